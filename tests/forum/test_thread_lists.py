"""Thread lists: published threads in order for members, everything for hosts, a member's own pending threads
listed apart until a host approves them."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.db import ContentState
from app.forum.models import Post
from tests.conftest import login_as


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


def test_kept_thread_rows_show_a_new_title_count_read_mark_and_language_at_once(member_client, member,
                                                                                 thread_factory, db):
    from app.forum.services import mark_read

    thread = thread_factory(title="Sunscreen talk")
    first = member_client.get("/threads").get_data(as_text=True)
    assert "Sunscreen talk" in first and 'class="badge-new"' in first
    thread.title, thread.post_count = "Sunscreen, again", thread.post_count + 4
    mark_read(member, thread, 1)
    db.session.commit()
    page = member_client.get("/threads").get_data(as_text=True)
    assert "Sunscreen, again" in page and "Sunscreen talk" not in page
    assert f'href="/t/{thread.id}?page=1#post-2">4 unread</a>' in page
    member.locale = "zh_Hans"
    db.session.commit()
    assert "4 条未读" in member_client.get("/threads").get_data(as_text=True)


def test_a_list_counts_no_further_than_ten_pages_past_the_one_shown(app, db, thread_factory, category_factory):
    from app.core.params import LOOKAHEAD_PAGES, paginate
    from app.forum.models import Thread

    category = category_factory()
    for n in range(40):
        thread_factory(category=category, title=f"Thread {n}")
    select = sa.select(Thread).where(Thread.category_id == category.id).order_by(Thread.id)
    with app.test_request_context("/threads?page=2"):
        page = paginate(select, per_page=2)
        assert [t.title for t in page.items] == ["Thread 2", "Thread 3"]
        assert page.total == (2 + LOOKAHEAD_PAGES) * 2 + 1 and page.pages == 2 + LOOKAHEAD_PAGES + 1
        assert page.has_next
    with app.test_request_context("/threads?page=3"):
        assert paginate(select, per_page=20).total == 40  # the last page: no count, its length says it all
        assert paginate(select, per_page=20, exact=True).total == 40
    with app.test_request_context("/threads?page=15"):
        assert paginate(select, per_page=3).total == 40 and paginate(select, per_page=3).pages == 14
    with app.test_request_context("/threads?page=2"):  # no filter: the count still reads the table
        assert paginate(sa.select(Thread).order_by(Thread.id), per_page=5).total == 40


def test_members_share_the_kept_list_and_each_sees_their_own_read_marks(app, db, member, member_client,
                                                                          user_factory, thread_factory, post_factory):
    from app.forum import rendering
    from app.forum.services import mark_read

    thread = thread_factory(title="Toner talk")
    other = login_as(app.test_client(), user_factory(role="member"))
    mark_read(member, thread, 1)
    db.session.commit()
    rendering._rows.clear()
    mine, theirs = (client.get("/threads").get_data(as_text=True) for client in (member_client, other))
    assert len(rendering._rows.items) == 1  # one render of the rows served both members
    mine_row, theirs_row = (page.split(f'href="/t/{thread.id}"')[1].split("</tr>")[0] for page in (mine, theirs))
    assert "badge-new" not in mine_row and "badge-new" in theirs_row
    post_factory(thread=thread, body="A second opinion")
    mine, theirs = (client.get("/threads").get_data(as_text=True) for client in (member_client, other))
    assert f'href="/t/{thread.id}?page=1#post-2">1 unread</a>' in mine and "1 unread" not in theirs
    thread.state = ContentState.HIDDEN.value
    db.session.commit()
    assert "Toner talk" not in member_client.get("/threads").get_data(as_text=True)


def test_kept_rows_are_a_fresh_render_for_each_members_marks_and_change_with_the_rows(app, db, member,
                                                                                        thread_factory, post_factory):
    from datetime import timedelta

    from flask_login import login_user

    from app.db import utcnow
    from app.forum import queries, rendering

    read, fresh_thread = thread_factory(title="Read one"), thread_factory(title="Fresh one")
    post_factory(thread=read)

    def rows(marks, *, clear=False):
        if clear:
            rendering._rows.clear()
        with app.test_request_context("/threads"):
            login_user(member)
            page = queries.thread_list_page(member, "latest", per_page=20)
            return str(rendering.thread_rows(page.items, marks, False)[0])

    for marks in ({}, {read.id: 1}, {read.id: 2, fresh_thread.id: 1}):
        kept, fresh = rows(marks), rows(marks, clear=True)
        assert kept == fresh and rows(marks) == fresh
    assert "1 unread" in rows({read.id: 1}) and "1 unread" not in rows({read.id: 2})
    read.title, read.last_post_at = "Read one, renamed", utcnow() - timedelta(days=2)
    db.session.commit()
    assert "Read one, renamed" in rows({}) and "2 days ago" in rows({})
