"""Browser journey: a moderator made to set up two-factor sign-in enrols from the page, then signs in with a code."""
from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from app.auth.two_factor import set_staff_requirement
from tests.browser.tools import screenshot
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser


def _password_step(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_staff_member_enrols_and_then_signs_in_with_a_code(page, base_url, db, admin, moderator, artefacts):
    set_staff_requirement(True, by=admin)
    db.session.commit()

    _password_step(page, base_url, moderator.email)
    expect(page).to_have_url(re.compile(r"/settings/two-factor$"))
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.locator(".qr-code svg")).to_be_visible()
    page.goto(f"{base_url}/moderation/")  # nothing else is reachable before enrolling
    expect(page).to_have_url(re.compile(r"/settings/two-factor$"))
    screenshot(page, artefacts / "two-factor-setup.png", full_page=True)

    totp = pyotp.TOTP(page.locator(".two-factor-secret").inner_text().strip())
    page.get_by_label("Code from your app").fill(totp.now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have saved my recovery codes").click()
    expect(page.get_by_text("10 unused recovery codes left.")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login"))
    _password_step(page, base_url, moderator.email)
    expect(page.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    # The enrolment code's time step is spent; the next step's code is accepted (clock-drift window).
    page.get_by_label("Code from your app, or a recovery code").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".usernav")).to_contain_text(moderator.display_name)
    page.goto(f"{base_url}/moderation/")
    expect(page).to_have_url(re.compile(r"/moderation/"))
