"""Accessibility smoke check with axe-core: no serious or critical violations on the main pages.

axe-core is not a Python package: tests/browser/tools.py finds or installs the pinned npm package.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.forum.models import Post
from tests.browser.tools import BLOCKING, axe_violations, describe_violations
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Our Content-Security-Policy forbids inline script, which is how axe-core gets into the page."""
    return {**browser_context_args, "bypass_csp": True}


def test_login_thread_list_and_thread_pages_have_no_serious_axe_violations(
        page, base_url, db, axe_script, user_factory, category_factory, thread_factory, post_factory):
    member = user_factory(display_name="Reader Wu")
    host = user_factory(role="moderator", host_persona="Warm host", display_name="Host Mei")
    category = category_factory(name="Skin care", description="Routines, products and questions.")
    thread = thread_factory(category=category, author=member, title="Sunscreen that does not sting",
                            body="Which one works for **sensitive** skin?\n\n- mineral\n- chemical")
    first = db.session.scalar(sa.select(Post).where(Post.thread_id == thread.id, Post.number == 1))
    post_factory(thread=thread, author=host, body="Welcome! Tell us which ones you tried.")
    post_factory(thread=thread, author=member, body="> Tell us which ones you tried.\n\nTwo so far.",
                 quoted=first)
    thread_factory(category=category, title="Night cream for winter", replies=2)

    found: dict[str, list[dict]] = {}
    page.goto(f"{base_url}/login")
    found["login"] = axe_violations(page, axe_script)

    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    found["community"] = axe_violations(page, axe_script)

    page.goto(f"{base_url}/c/{category.id}")
    expect(page.get_by_role("link", name="Sunscreen that does not sting")).to_be_visible()
    found["thread list"] = axe_violations(page, axe_script)

    page.goto(f"{base_url}/t/{thread.id}")
    expect(page.get_by_role("heading", name="Sunscreen that does not sting")).to_be_visible()
    found["thread"] = axe_violations(page, axe_script)

    report = "\n".join(f"{name}:\n{describe_violations(v)}" for name, v in found.items() if v)
    if report:
        print("axe-core violations (all impacts):\n" + report)
    blocking = {name: [v for v in vs if v["impact"] in BLOCKING] for name, vs in found.items()}
    assert not any(blocking.values()), "serious/critical axe-core violations:\n" + "\n".join(
        f"{name}:\n{describe_violations(vs)}" for name, vs in blocking.items() if vs)
