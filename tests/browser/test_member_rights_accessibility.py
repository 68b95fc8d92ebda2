"""Accessibility smoke check (axe-core) of the members' rights pages: the member's and the admins'."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.rights import consent, erasure
from tests.browser.test_accessibility import browser_context_args  # noqa: F401  (a context that lets axe-core in)
from tests.browser.tools import BLOCKING, axe_violations, describe_violations
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser


def _log_in(page, base_url: str, user) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_privacy_and_admin_rights_pages_have_no_serious_axe_violations(page, base_url, db, axe_script,
                                                                       user_factory, consent_factory):
    consent_factory()
    member, admin = user_factory(display_name="Quiet Qian"), user_factory(role="admin")
    consent.withdraw_consent(member)
    erasure.request_erasure(member, DEFAULT_PASSWORD)
    db.session.commit()

    found = {}
    _log_in(page, base_url, member)
    page.goto(f"{base_url}/settings/privacy/")
    found["privacy"] = axe_violations(page, axe_script)
    page.get_by_role("button", name="Log out").click()
    _log_in(page, base_url, admin)
    page.goto(f"{base_url}/admin/member-rights")
    expect(page.get_by_text("Quiet Qian").first).to_be_visible()
    found["admin"] = axe_violations(page, axe_script)

    blocking = {name: [v for v in vs if v["impact"] in BLOCKING] for name, vs in found.items()}
    assert not any(blocking.values()), "serious/critical axe-core violations:\n" + "\n".join(
        f"{name}:\n{describe_violations(vs)}" for name, vs in blocking.items() if vs)
