"""Bad input on every activity page a member, host, researcher or admin can reach: a message, never a 500.

Absurd numbers (hundreds of digits, non-ASCII digits), dates that fall off the calendar when moved between time
zones, unknown or oversized ids and empty forms.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.competitions.models import Competition
from app.polls.models import Ballot, Poll
from tests.conftest import login_as

HUGE = "9" * 400
FAR_DATES = ("9999-12-31T23:59", "0001-01-01T00:00")


@pytest.fixture
def far_east_host(user_factory, db):
    """A host whose time zone is 14 hours ahead of UTC (the edge of the calendar is closest there)."""
    host = user_factory(role="moderator", host_persona="Warm host")
    host.timezone = "Pacific/Kiritimati"
    db.session.commit()
    return host


def _competition_form(category_id: int, **changes) -> dict:
    return {"title": "Best tea moment", "rules": "One photo, one story.", "prize": "", "category": str(category_id),
            "judging": "members", "entry_points": "5", "win_points": "50", "winner_count": "1",
            "entry_opens_at": "2030-01-01T09:00", "entry_closes_at": "2030-01-02T09:00",
            "voting_opens_at": "2030-01-02T09:00", "voting_closes_at": "2030-01-03T09:00", **changes}


@pytest.mark.parametrize("field, value, message", [
    *[(name, date, "between 2000 and 2100") for name in ("entry_opens_at", "voting_closes_at") for date in FAR_DATES],
    ("entry_points", HUGE, "too large"), ("win_points", "-" + HUGE, "too large"), ("winner_count", "١", "integer"),
    ("winner_count", "", "required"), ("category", "99999999999", "Not a valid choice"),
])
def test_the_competition_form_answers_bad_values_with_a_message(app, far_east_host, category_factory, db, field,
                                                                 value, message):
    client = login_as(app.test_client(), far_east_host)
    page = client.post("/competitions/new", data=_competition_form(category_factory().id, **{field: value}))
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and message in text and "One photo, one story." in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Competition)) == 0


@pytest.mark.parametrize("field, value, message", [
    ("closes_at", FAR_DATES[0], "between 2000 and 2100"), ("closes_at", FAR_DATES[1], "between 2000 and 2100"),
    ("max_choices", HUGE, "too large"), ("options", "only one", "2 to 20 options"),
])
def test_the_poll_form_answers_bad_values_with_a_message(app, far_east_host, thread_factory, db, field, value,
                                                         message):
    thread = thread_factory()
    client = login_as(app.test_client(), far_east_host)
    data = {"question": "Which tea?", "options": "Oolong\nGreen", "is_multiple": "y", "max_choices": "2",
            "results_visibility": "always", field: value}
    page = client.post(f"/t/{thread.id}/polls/new", data=data)
    assert page.status_code == 200 and message in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Poll)) == 0


@pytest.mark.parametrize("options", [["²"], ["1" * 40], ["-1"], [""], []])
def test_a_ballot_with_nonsense_options_is_refused_politely(member_client, poll_factory, db, options):
    poll = poll_factory()
    page = member_client.post(f"/polls/{poll.id}/vote", data={"option": options}, follow_redirects=True)
    assert page.status_code == 200 and "Choose an option." in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Ballot)) == 0


@pytest.mark.parametrize("attribute", ["99999999999999999999", "-3", "abc", ""])
def test_the_breakdown_page_ignores_an_unknown_attribute(researcher_client, poll_factory, attribute):
    poll = poll_factory()
    assert researcher_client.get(f"/polls/{poll.id}/breakdown?attribute={attribute}").status_code == 200


@pytest.mark.parametrize("amount", [HUGE, "²", "", "0"])
def test_the_points_form_answers_bad_amounts_with_a_message(moderator_client, member, amount):
    page = moderator_client.post(f"/u/{member.id}/points", data={
        "direction": "grant", "amount": amount, "reason": "Thoughtful diary", "submit_points": "Save"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "has-error" in text and "Thoughtful diary" in text


def test_the_points_settings_answer_a_huge_number_with_a_message(admin_client):
    page = admin_client.post("/admin/points", data={
        "mode": "on", "post": HUGE, "thread": "2", "post_daily_cap": "10", "reply_received": "1",
        "reply_received_daily_cap": "10", "poll_vote": "2"})
    assert page.status_code == 200 and "too large" in page.get_data(as_text=True)


def test_the_segment_form_answers_a_huge_position_with_a_message(admin_client):
    page = admin_client.post("/admin/segments", data={
        "key": "age_band", "label": "Age band", "values": "18-24\n25-34", "member_editable": "y", "position": HUGE,
        "submit": "Save attribute"})
    assert page.status_code == 200 and "too large" in page.get_data(as_text=True)


@pytest.mark.parametrize("url", [
    "/competitions/987654", "/competitions/987654/edit", "/tasks/987654", "/tasks/987654/edit",
    "/polls/987654/breakdown", "/u/987654/points", "/admin/segments/987654", "/t/987654/polls/new",
])
def test_unknown_ids_are_not_found(admin_client, url):
    assert admin_client.get(url).status_code == 404


@pytest.mark.parametrize("url", [
    "/competitions/entries/987654/vote", "/competitions/entries/987654/score", "/competitions/entries/987654/hide",
    "/competitions/987654/publish", "/polls/987654/vote", "/polls/987654/close", "/tasks/987654/publish",
    "/tasks/submissions/987654/review", "/admin/segments/987654/delete",
])
def test_actions_on_unknown_ids_are_not_found(admin_client, url):
    assert admin_client.post(url).status_code == 404


def test_empty_forms_get_messages_not_errors(admin_client, competition_factory, poll_factory):
    competition, poll = competition_factory(), poll_factory()
    pages = ["/competitions/new", f"/competitions/{competition.id}", "/tasks/new", "/polls/new", "/admin/points",
             f"/t/{poll.thread_id}/polls/new", "/admin/segments"]
    for url in pages:
        page = admin_client.post(url, data={"submit": "Save attribute"} if "segments" in url else {})
        assert page.status_code == 200 and "has-error" in page.get_data(as_text=True), url
    assert admin_client.post("/admin/segments/member", data={}).status_code == 200
