"""Browser journeys for each activity: create -> participate -> masked view -> review/close -> points and notifications.

A host adds a poll, members vote (results masked until they do), the host closes it and the voter sees the points;
a host sets a masked photo task, members are told, answer with photos, see others only after answering, and the
host's review notifies and pays them; a competition is entered, voted on, closed, announced and paid out.
"""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from PIL import Image
from playwright.sync_api import expect

from app.competitions.models import Competition
from app.db import utcnow
from tests.browser.journeys import log_in as _log_in
from tests.browser.journeys import log_out as _log_out
from tests.browser.tools import screenshot

pytestmark = pytest.mark.browser


def test_a_poll_is_added_voted_on_closed_and_paid(page, base_url, db, user_factory, thread_factory, artefacts):
    host = user_factory(role="moderator", host_persona="Warm host", display_name="Host Lan")
    member = user_factory(display_name="Tea Lover")
    late = user_factory(display_name="Late Comer")
    thread = thread_factory(title="Autumn teas")

    _log_in(page, base_url, host.email)
    page.goto(f"{base_url}/t/{thread.id}")
    page.get_by_role("link", name="Add a poll").click()
    page.get_by_label("Question").fill("Which tea this autumn?")
    page.get_by_label("Options, one per line (2 to 20)").fill("Oolong\nPu'er\nBlack tea")
    page.get_by_label("After voting").check()
    page.get_by_role("button", name="Add poll").click()
    expect(page.locator(".poll h2")).to_contain_text("Which tea this autumn?")
    _log_out(page)

    _log_in(page, base_url, member.email)
    page.goto(f"{base_url}/t/{thread.id}")
    poll = page.locator(".poll")
    expect(poll).to_contain_text("Results are shown after you vote.")
    poll.get_by_role("radio", name="Pu'er").check()
    poll.get_by_role("button", name="Vote").click()
    expect(page.get_by_text("Your vote is counted.")).to_be_visible()
    expect(page.locator(".poll meter")).to_have_count(3)
    expect(page.locator(".poll")).to_contain_text("1 voter")
    expect(page.locator(".poll-results tr", has_text="Pu'er")).to_contain_text("100.0%")
    page.locator(".poll").get_by_role("radio", name="Oolong").check()
    page.locator(".poll").get_by_role("button", name="Change my vote").click()
    expect(page.locator(".poll-results tr", has_text="Oolong")).to_contain_text("100.0%")
    expect(page.locator(".poll")).to_contain_text("1 voter")
    screenshot(page, artefacts / "poll-voted.png", full_page=True)
    _log_out(page)

    _log_in(page, base_url, host.email)
    page.goto(f"{base_url}/t/{thread.id}")
    page.locator(".poll").get_by_role("button", name="Close poll").click()
    expect(page.get_by_text("Poll closed.")).to_be_visible()
    _log_out(page)

    _log_in(page, base_url, late.email)
    page.goto(f"{base_url}/t/{thread.id}")
    expect(page.locator(".poll")).to_contain_text("closed")
    expect(page.locator(".poll").get_by_role("button", name="Vote")).to_have_count(0)
    expect(page.locator(".poll-results tr", has_text="Oolong")).to_contain_text("100.0%")
    _log_out(page)

    _log_in(page, base_url, member.email)
    page.goto(f"{base_url}/u/{member.id}/points")
    expect(page.locator("table.grid tr", has_text="Poll answered")).to_contain_text("+2")


def test_a_competition_is_entered_voted_closed_and_announced(page, base_url, db, user_factory, category_factory,
                                                             artefacts):
    from app.jobs.registry import get as get_job
    from app.jobs.runner import run_job

    host = user_factory(role="moderator", host_persona="Warm host", display_name="Host Lan")
    entrant = user_factory(display_name="Photo Fan")
    voter = user_factory(display_name="Keen Voter")
    category_factory(name="Tea moments")
    now = utcnow()

    _log_in(page, base_url, host.email)
    page.goto(f"{base_url}/activities")
    page.get_by_role("link", name="New competition").click()
    page.get_by_label("Title").fill("Best teacup photo")
    page.get_by_label("Rules (markdown)").fill("One photo of your favourite cup, with a line about it.")
    page.get_by_label("Prize").fill("A celadon cup")
    page.get_by_label("Category of its thread").select_option(label="Tea moments")
    for label, delta in (("Entries open", -1), ("Entries close", 24), ("Voting opens", 24), ("Voting closes", 48)):
        page.get_by_label(label).fill((now + timedelta(hours=delta)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save competition").click()
    expect(page.get_by_role("heading", name="Best teacup photo")).to_be_visible()
    expect(page.locator(".thread-head")).to_contain_text("open for entries")
    _log_out(page)

    _log_in(page, base_url, entrant.email)
    page.goto(f"{base_url}/activities")
    page.get_by_role("link", name="Best teacup photo").click()
    page.get_by_label("Title of your entry").fill("Grandmother's cup")
    page.get_by_label("Your entry", exact=True).fill("Blue and white, chipped, perfect.")
    page.get_by_role("button", name="Send entry").click()
    expect(page.get_by_text("Your entry is saved. Good luck!")).to_be_visible()
    _log_out(page)

    competition = db.session.scalar(sa.select(Competition))
    competition.entry_closes_at = competition.voting_opens_at = utcnow() - timedelta(minutes=5)
    competition.entry_opens_at = utcnow() - timedelta(hours=2)
    db.session.commit()
    _log_in(page, base_url, voter.email)
    page.goto(f"{base_url}/competitions/{competition.id}")
    page.get_by_role("button", name="Vote for this entry").click()
    expect(page.get_by_text("Your vote is counted.")).to_be_visible()
    expect(page.locator(".tag-mine")).to_contain_text("Your vote")
    screenshot(page, artefacts / "competition-voting.png", full_page=True)
    _log_out(page)

    competition = db.session.get(Competition, competition.id)
    competition.voting_closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert run_job(get_job("close_activities")).items == 1

    _log_in(page, base_url, entrant.email)
    expect(page.locator(".badge-unread")).to_be_visible()
    page.goto(f"{base_url}/notifications")
    expect(page.get_by_text("You won “Best teacup photo” (place 1)! Congratulations.")).to_be_visible()
    page.goto(f"{base_url}/competitions/{competition.id}")
    expect(page.locator(".tag-winner")).to_contain_text("Place 1")
    page.get_by_role("link", name="Discussion thread").click()
    expect(page.locator("#post-2")).to_contain_text("Results of “Best teacup photo”")
    expect(page.locator("#post-2")).to_contain_text("Grandmother's cup")
    screenshot(page, artefacts / "competition-announced.png", full_page=True)
    page.goto(f"{base_url}/u/{entrant.id}/points")
    expect(page.locator("table.grid tr", has_text="Competition entry")).to_contain_text("+5")
    expect(page.locator("table.grid tr", has_text="Competition win")).to_contain_text("+50")
    expect(page.locator(".badge-list")).to_contain_text("Competition winner")


def _photo(colour: tuple[int, int, int]) -> dict:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "JPEG")
    return {"name": "shelf.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def _answer(page, text: str, colour: tuple[int, int, int]) -> None:
    page.get_by_label("Your answer").fill(text)
    page.get_by_label("Photos (JPEG, PNG or WebP; up to 10 MB each)").set_input_files(_photo(colour))
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_text("Thank you! Your answer is saved.")).to_be_visible()


def test_a_masked_photo_task_is_set_answered_reviewed_and_paid(page, base_url, db, user_factory, artefacts):
    host = user_factory(role="moderator", host_persona="Warm host", display_name="Host Lan")
    first = user_factory(display_name="Shelf Keeper")
    second = user_factory(display_name="Cream Fan")
    now = utcnow()

    _log_in(page, base_url, host.email)
    page.goto(f"{base_url}/activities")
    page.get_by_role("link", name="New task").click()
    page.get_by_label("Title").fill("Photo of your skincare shelf")
    page.get_by_label("Instructions (markdown)").fill("Show us **your** shelf and tell us which cream you reach for.")
    page.get_by_label("Opens").fill((now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Due").fill((now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Photos required").fill("1")
    page.get_by_label("Points for an accepted answer").fill("12")
    expect(page.get_by_label("Masked: members see others' answers only after answering")).to_be_checked()
    page.get_by_role("button", name="Save task").click()
    expect(page.get_by_role("heading", name="Photo of your skincare shelf")).to_be_visible()
    _log_out(page)

    _log_in(page, base_url, first.email)
    expect(page.locator(".badge-unread")).to_be_visible()
    page.goto(f"{base_url}/notifications")
    page.get_by_role("link", name="A new task for you: “Photo of your skincare shelf”.").click()
    page.get_by_label("Your answer").fill("The blue jar is my night cream.")
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_text("This task needs at least 1 photo.")).to_be_visible()
    expect(page.get_by_label("Your answer")).to_have_value("The blue jar is my night cream.")
    _answer(page, "The blue jar is my night cream.", (20, 60, 160))
    expect(page.locator(".photo-strip img")).to_have_count(1)
    _log_out(page)

    _log_in(page, base_url, second.email)
    page.goto(f"{base_url}/tasks/")
    page.locator(".task-open").get_by_role("link", name="Photo of your skincare shelf").click()
    expect(page.get_by_text("This task is masked")).to_be_visible()
    expect(page.get_by_text("The blue jar is my night cream.")).to_have_count(0)
    screenshot(page, artefacts / "task-masked.png", full_page=True)
    _answer(page, "Mostly sunscreen.", (200, 160, 40))
    expect(page.get_by_text("The blue jar is my night cream.")).to_be_visible()
    expect(page.locator(".photo-strip img")).to_have_count(2)
    _log_out(page)

    _log_in(page, base_url, host.email)
    page.goto(f"{base_url}/tasks/")
    page.get_by_role("link", name="Photo of your skincare shelf").first.click()
    first_answer = page.locator("article.post", has_text="The blue jar is my night cream.")
    first_answer.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Review saved; the member is notified.")).to_be_visible()
    second_answer = page.locator("article.post", has_text="Mostly sunscreen.")
    second_answer.get_by_label("Note to the member").fill("Could you add the cream you use at night?")
    second_answer.get_by_role("button", name="Ask for more").click()
    expect(page.locator("article.post", has_text="Mostly sunscreen.")).to_contain_text("needs more")
    screenshot(page, artefacts / "task-reviewed.png", full_page=True)
    _log_out(page)

    _log_in(page, base_url, first.email)
    page.goto(f"{base_url}/notifications")
    expect(page.get_by_text("Your answer to “Photo of your skincare shelf” was accepted.")).to_be_visible()
    page.goto(f"{base_url}/u/{first.id}/points")
    expect(page.locator("table.grid tr", has_text="Task answer accepted")).to_contain_text("+12")
    _log_out(page)

    _log_in(page, base_url, second.email)
    page.goto(f"{base_url}/notifications")
    page.get_by_role("link", name=re.compile("ask for a little more")).click()
    expect(page.get_by_text("Could you add the cream you use at night?")).to_be_visible()
    page.goto(f"{base_url}/tasks/")
    expect(page.locator(".task-open")).to_contain_text("needs more")
