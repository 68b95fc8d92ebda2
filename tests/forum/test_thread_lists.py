"""Thread lists: published threads in order for members, everything for hosts, a member's own pending threads
listed apart until a host approves them."""
from __future__ import annotations

import pytest

from app.db import ContentState
from app.forum.models import Post


@pytest.fixture
def pending_thread(thread_factory, member, db):
    """A thread by `member` that waits for review (as the spam pipeline or a held first post leaves it)."""
    thread = thread_factory(author=member, title="Waiting for a host")
    thread.state = ContentState.PENDING.value
    for post in db.session.query(Post).filter_by(thread_id=thread.id):
        post.state = ContentState.PENDING.value
    db.session.commit()
    return thread


def test_members_see_published_threads_pinned_first_then_latest(member_client, thread_factory, category_factory, db):
    from datetime import timedelta

    from app.db import utcnow

    category = category_factory()
    thread_factory(category=category, title="Old news", now=utcnow() - timedelta(days=3))
    thread_factory(category=category, title="Fresh talk", now=utcnow() - timedelta(hours=1))
    pinned = thread_factory(category=category, title="House rules", now=utcnow() - timedelta(days=9))
    pinned.is_pinned = True
    db.session.commit()
    for url in ("/threads", f"/c/{category.id}"):
        page = member_client.get(url).get_data(as_text=True)
        assert page.index("House rules") < page.index("Fresh talk") < page.index("Old news"), url


def test_a_members_pending_thread_is_listed_apart_for_them_only(member_client, client, user_factory, pending_thread):
    from tests.conftest import login_as

    own = member_client.get("/threads").get_data(as_text=True)
    assert "Your threads awaiting review" in own and "Waiting for a host" in own
    assert "Waiting for a host" in member_client.get(f"/c/{pending_thread.category_id}").get_data(as_text=True)
    other = login_as(client, user_factory()).get("/threads").get_data(as_text=True)
    assert "Waiting for a host" not in other and "Your threads awaiting review" not in other


def test_hosts_see_pending_threads_in_the_list_itself(moderator_client, pending_thread):
    page = moderator_client.get("/threads").get_data(as_text=True)
    assert "Waiting for a host" in page and "Your threads awaiting review" not in page


def test_an_approved_thread_leaves_the_box_and_joins_the_list(member_client, pending_thread, db):
    pending_thread.state = ContentState.PUBLISHED.value
    db.session.commit()
    page = member_client.get("/threads").get_data(as_text=True)
    assert "Your threads awaiting review" not in page and "Waiting for a host" in page
