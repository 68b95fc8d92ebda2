"""Browser journey: invitation -> registration with consent -> first thread -> reply -> quote -> log out."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.auth.services import create_invitation
from app.members.models import User
from tests.browser.tools import screenshot

pytestmark = pytest.mark.browser
PASSWORD = "a long enough password"


def test_invited_member_joins_starts_a_thread_replies_and_logs_out(
        page, base_url, db, admin, consent_factory, category_factory, artefacts):
    consent_factory(body="We read and quote your posts **anonymously**.")
    category_factory(name="Product talk")
    _invitation, token = create_invitation("newcomer@example.test", by=admin)
    db.session.commit()

    page.goto(f"{base_url}/invite/{token}")
    expect(page.get_by_role("heading", name="Join the community")).to_be_visible()
    expect(page.locator(".consent-body")).to_contain_text("anonymously")
    page.get_by_label("Display name").fill("Newcomer")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    page.get_by_label("I have read the research consent").check()
    page.get_by_role("button", name="Join the community").click()
    expect(page.get_by_text("Welcome to the community, Newcomer!")).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"/invite/|/login"))  # in the community, logged in
    expect(page.locator(".usernav")).to_contain_text("Newcomer")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.get_by_role("link", name="Product talk").first.click()
    page.get_by_role("link", name="New thread").click()
    page.get_by_label("Title").fill("My first lipstick review")
    page.get_by_label("Your post").fill("The colour is **great** and it lasts all day.")
    page.get_by_role("button", name="Start thread").click()
    expect(page.get_by_role("heading", name="My first lipstick review")).to_be_visible()
    expect(page.locator("#post-1 .post-body strong")).to_have_text("great")

    page.get_by_label("Your reply").fill("Update: still there after lunch.")
    page.get_by_role("button", name="Reply").click()
    expect(page.locator("#post-2")).to_contain_text("still there after lunch")

    page.locator("#post-1").get_by_role("link", name="Quote").click()
    expect(page.get_by_label("Your reply")).to_have_value(re.compile("Newcomer wrote:"))
    page.get_by_label("Your reply").press("Control+End")             # below the quotation
    page.get_by_label("Your reply").press_sequentially("Quoting myself to agree.")
    page.get_by_role("button", name="Reply").click()
    expect(page.locator("#post-3 blockquote")).to_contain_text("The colour is great")
    expect(page.locator("#post-3 .post-body > :last-child")).to_have_text("Quoting myself to agree.")
    expect(page.locator("#post-3 .reply-to")).to_be_visible()
    expect(page.locator(".thread-head")).to_contain_text("2 replies")
    screenshot(page, artefacts / "onboarding-thread.png", full_page=True)
    thread_path = re.sub(r"^https?://[^/]+", "", page.url).split("#")[0]

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    page.goto(f"{base_url}{thread_path}")
    expect(page).to_have_url(re.compile(r"/login\?next="))

    page.get_by_label("Email").fill("newcomer@example.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My first lipstick review")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    user = db.session.scalar(sa.select(User).where(User.email == "newcomer@example.test"))
    assert user.consent_version == 1 and user.consent_at is not None
