"""Browser journey: a member flags a post, a moderator handles it from the review queue."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.audit.models import AuditEvent
from app.forum.models import Post
from tests.browser.journeys import log_in as _log_in
from tests.browser.journeys import log_out as _log_out
from tests.browser.tools import screenshot

pytestmark = pytest.mark.browser
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-results"


def test_member_flags_a_post_and_a_moderator_hides_it_from_the_queue(
        page, base_url, db, user_factory, thread_factory, post_factory):
    member = user_factory(display_name="Careful Reader")
    moderator = user_factory(role="moderator", host_persona="Warm host", display_name="Host Mei")
    thread = thread_factory(title="Favourite sunscreen")
    post = post_factory(thread=thread, body="Rude words that break the house rules")

    _log_in(page, base_url, member.email)
    page.goto(f"{base_url}/t/{thread.id}")
    page.locator(f"#post-{post.number}").get_by_role("link", name=re.compile("Flag")).click()
    page.get_by_label("Abusive or hostile").check()
    page.get_by_label("Note for the hosts").fill("Insulting another member")
    page.get_by_role("button", name="Send flag").click()
    expect(page.get_by_text("The hosts will look at this post")).to_be_visible()
    _log_out(page)

    _log_in(page, base_url, moderator.email)
    page.goto(f"{base_url}/mod/")
    row = page.locator("table.queue tbody tr").filter(has_text="Rude words")
    expect(row).to_contain_text("Insulting another member")
    row.get_by_label("Action").select_option("hide")
    row.get_by_label("Reason").fill("House rules: be kind")
    row.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("The queue is empty")).to_be_visible()
    ARTEFACTS.mkdir(exist_ok=True)
    page.goto(f"{base_url}/mod/handled")
    expect(page.locator("table.grid")).to_contain_text("Favourite sunscreen")
    screenshot(page, ARTEFACTS / "moderation-handled.png", full_page=True)

    db.session.expire_all()
    assert db.session.get(Post, post.id).state == "hidden"
    assert db.session.scalar(sa.select(AuditEvent.reason).where(AuditEvent.verb == "post.hide")) == \
        "House rules: be kind"


def test_a_host_working_the_queue_is_told_when_another_host_got_there_first(
        page, base_url, db, user_factory, post_factory):
    from app.db import utcnow
    from app.moderation import review
    from app.moderation.models import ReviewItem, ReviewKind
    from app.moderation.queue import open_item

    host = user_factory(role="moderator", host_persona="Warm host", display_name="Host Mei")
    other = user_factory(role="moderator", display_name="Host Leo")
    author = user_factory(display_name="New Member")
    first, second = post_factory(author=author, body="Add my wechat for deals"), post_factory(body="Lovely tea set")
    for post in (first, second):
        post.state = "pending"
        open_item(post, ReviewKind.PENDING, score=6.0, reasons=["wechat-id"], now=utcnow())
    db.session.commit()

    _log_in(page, base_url, host.email)
    page.goto(f"{base_url}/mod/")
    stale_row = page.locator("table.queue tbody tr").filter(has_text="Add my wechat")
    expect(stale_row).to_contain_text("a WeChat id")  # the reason in words
    # Meanwhile another host marks it as spam from their own screen.
    item = db.session.scalar(sa.select(ReviewItem).where(ReviewItem.post_id == first.id))
    review.handle_review_item(item, "spam", by=other, reason="ads", seen_version=item.version)
    db.session.commit()

    stale_row.get_by_label("Action").select_option("approve")
    stale_row.get_by_role("button", name="Apply").click()
    expect(page.locator(".flash-error").filter(has_text="already handled by Host Leo")).to_be_visible()
    ARTEFACTS.mkdir(exist_ok=True)
    screenshot(page, ARTEFACTS / "moderation-stale-action.png", full_page=True)

    fresh_row = page.locator("table.queue tbody tr").filter(has_text="Lovely tea set")
    fresh_row.get_by_label("Action").select_option("approve")
    fresh_row.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("The queue is empty")).to_be_visible()

    db.session.expire_all()
    assert db.session.get(Post, first.id).state == "spam" and db.session.get(Post, second.id).state == "published"
    verbs = db.session.execute(sa.select(AuditEvent.verb, AuditEvent.actor_id).where(AuditEvent.target_id == first.id,
                                                                                     AuditEvent.target_type == "post",
                                                                                     AuditEvent.verb.startswith("post."))
                               ).all()
    assert verbs == [("post.spam", other.id)]
