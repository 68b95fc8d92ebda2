"""Read marks and upvotes: each is one row per member, and two requests racing for it (two tabs, a double click)
leave one row and true counts instead of failing."""
from __future__ import annotations

import sqlalchemy as sa

from app.forum import services as forum
from app.forum.models import Post, Reaction, Thread, ThreadRead
from app.members.models import User


def _marks(db, user, thread) -> list[int]:
    return db.session.scalars(sa.select(ThreadRead.last_read_number)
                              .where(ThreadRead.user_id == user.id, ThreadRead.thread_id == thread.id)).all()


def test_a_read_mark_advances_and_a_reread_writes_nothing(db, thread_factory, member):
    thread = thread_factory(replies=5)
    assert forum.mark_read(member, thread, 3) is True
    assert forum.mark_read(member, thread, 3) is False
    assert forum.mark_read(member, thread, 2) is False
    assert _marks(db, member, thread) == [3]
    assert forum.mark_read(member, thread, 6) is True
    db.session.commit()
    assert _marks(db, member, thread) == [6]


def test_two_tabs_opening_a_thread_at_once_leave_one_read_mark(db, thread_factory, member, parallel):
    thread = thread_factory(replies=30)
    member_id, thread_id = member.id, thread.id

    def open_page(index: int) -> None:
        forum.mark_read(db.session.get(User, member_id), db.session.get(Thread, thread_id), 10 + index)

    assert parallel(6, open_page) == []
    marks = _marks(db, member, thread)
    assert len(marks) == 1 and 10 <= marks[0] <= 15


def test_an_upvote_counts_once_and_a_second_toggle_takes_it_back(db, post_factory, member):
    post = post_factory()
    assert forum.toggle_reaction(post, user=member) is True
    db.session.commit()
    assert (post.reaction_count, post.thread.reaction_count) == (1, 1)
    assert forum.toggle_reaction(post, user=member) is False
    db.session.commit()
    db.session.refresh(post)
    db.session.refresh(post.thread)
    assert (post.reaction_count, post.thread.reaction_count) == (0, 0)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Reaction)) == 0


def test_a_double_click_upvotes_once_and_the_counts_stay_true(db, post_factory, member, parallel):
    post = post_factory()
    member_id, post_id = member.id, post.id

    def click(index: int) -> None:
        forum.toggle_reaction(db.session.get(Post, post_id), user=db.session.get(User, member_id))

    assert parallel(2, click) == []
    db.session.refresh(post)
    db.session.refresh(post.thread)
    rows = db.session.scalar(sa.select(sa.func.count()).select_from(Reaction).where(Reaction.post_id == post_id))
    assert rows in (0, 1)  # both clicks landed (on, off) or the second found the first's row: never two rows
    assert post.reaction_count == rows and post.thread.reaction_count == rows


def test_the_upvote_button_answers_with_the_new_count(member_client, post_factory):
    post = post_factory()
    headers = {"Accept": "application/json"}
    first = member_client.post(f"/p/{post.id}/react", headers=headers)
    assert first.get_json() == {"upvoted": True, "count": 1, "label": "Upvote, 1 vote"}
    second = member_client.post(f"/p/{post.id}/react", headers=headers)
    assert second.get_json() == {"upvoted": False, "count": 0, "label": "Upvote, 0 votes"}


def test_viewing_a_thread_twice_keeps_one_read_mark(member_client, db, thread_factory, member):
    thread = thread_factory(replies=3)
    assert member_client.get(f"/t/{thread.id}").status_code == 200
    assert member_client.get(f"/t/{thread.id}").status_code == 200
    assert _marks(db, member, thread) == [4]
