"""Curation tools: services, views, audit events and refusals for members and researchers."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core.exceptions import DomainError
from app.db import utcnow
from app.forum import services as forum
from app.forum.models import Post, PostRevision, Thread
from app.members.notifications import Notification
from app.moderation import curation, inquiries
from app.moderation.models import AuditEvent


def _verbs(db):
    return [e.verb for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]


@pytest.mark.parametrize("action, column, value", [
    ("pin", "is_pinned", True), ("pin_landing", "is_pinned_globally", True), ("lock", "is_locked", True),
    ("feature", "is_featured", True)])
def test_thread_flags_are_set_once_and_audited(db, thread_factory, moderator, action, column, value):
    thread = thread_factory()
    assert curation.set_thread_flag(thread, action, by=moderator)
    assert getattr(thread, column) is value
    assert not curation.set_thread_flag(thread, action, by=moderator)
    assert curation.set_thread_flag(thread, "un" + action, by=moderator) and getattr(thread, column) is False
    assert _verbs(db) [-2:] == [f"thread.{action}", f"thread.un{action}"]


def test_members_cannot_curate(db, thread_factory, member):
    with pytest.raises(DomainError):
        curation.set_thread_flag(thread_factory(), "lock", by=member)


def test_hide_needs_a_reason_and_restore_brings_it_back(db, thread_factory, moderator):
    thread = thread_factory()
    with pytest.raises(DomainError):
        curation.hide_thread(thread, by=moderator, reason=" ")
    assert curation.hide_thread(thread, by=moderator, reason="off-topic")
    assert thread.state == "hidden" and thread.hide_reason == "off-topic"
    assert curation.restore_thread(thread, by=moderator) and thread.state == "published"


def test_move_carries_counts(db, thread_factory, category_factory, moderator):
    source, target = category_factory(), category_factory()
    thread = thread_factory(category=source, replies=2)
    assert curation.move_thread(thread, target, by=moderator)
    db.session.commit()
    assert (source.thread_count, source.post_count) == (0, 0)
    assert (target.thread_count, target.post_count) == (1, 3) and thread.category_id == target.id


def test_merge_keeps_authors_times_and_numbers_posts_by_time(db, category_factory, user_factory, moderator):
    category = category_factory()
    alice, bob = user_factory(), user_factory()
    now = utcnow()
    target = forum.start_thread(category, author=alice, title="Target", body="t1", now=now - timedelta(hours=5))
    forum.reply(target, author=bob, body="t2", now=now - timedelta(hours=1))
    source = forum.start_thread(category, author=bob, title="Source", body="s1", now=now - timedelta(hours=3))
    forum.reply(source, author=alice, body="s2", now=now - timedelta(minutes=30))
    db.session.commit()
    source_id, target_id = source.id, target.id
    assert curation.merge_threads(source, target, by=moderator) == 2
    db.session.commit()
    rows = db.session.execute(sa.select(Post.number, Post.body, Post.author_id).where(Post.thread_id == target_id)
                              .order_by(Post.number)).all()
    assert [(r.number, r.body) for r in rows] == [(1, "t1"), (2, "s1"), (3, "t2"), (4, "s2")]
    assert [r.author_id for r in rows] == [alice.id, bob.id, bob.id, alice.id]
    merged_source = db.session.get(Thread, source_id)
    assert merged_source.state == "hidden" and str(target_id) in merged_source.hide_reason
    assert db.session.get(Thread, target_id).post_count == 4
    assert "thread.merge" in _verbs(db)


def test_split_moves_chosen_replies_to_a_new_thread(db, thread_factory, category_factory, moderator, user_factory):
    thread = thread_factory(replies=4)
    posts = db.session.scalars(sa.select(Post).where(Post.thread_id == thread.id).order_by(Post.number)).all()
    with pytest.raises(DomainError):
        curation.split_thread(thread, [posts[0].id], title="Nope", category=thread.category, by=moderator)
    new = curation.split_thread(thread, [posts[2].id, posts[4].id], title="Side topic",
                                category=category_factory(), by=moderator)
    db.session.commit()
    assert [p.number for p in db.session.scalars(sa.select(Post).where(Post.thread_id == new.id)
                                                 .order_by(Post.number))] == [1, 2]
    assert [p.number for p in db.session.scalars(sa.select(Post).where(Post.thread_id == thread.id)
                                                 .order_by(Post.number))] == [1, 2, 3]
    assert new.post_count == 2 and thread.post_count == 3 and new.author_id == posts[2].author_id


def test_host_edit_keeps_the_revision_and_notifies_the_member(db, post_factory, member, moderator):
    post = post_factory(author=member, body="Original words")
    assert curation.edit_member_post(post, by=moderator, body="Tidied words", reason="typo")
    db.session.commit()
    assert db.session.scalar(sa.select(PostRevision.body).where(PostRevision.post_id == post.id)) == "Original words"
    assert db.session.scalar(sa.select(Notification.kind).where(Notification.user_id == member.id)) == "post_edited"
    assert "post.edit" in _verbs(db)


def test_inquiries_list_unanswered_questions_and_the_median_response(db, category_factory, user_factory, moderator):
    ask = category_factory(name="Ask the hosts")
    ask.is_inquiry = True
    asker = user_factory()
    now = utcnow()
    answered = forum.start_thread(ask, author=asker, title="Answered question", body="?", now=now - timedelta(hours=5))
    forum.reply(answered, author=moderator, body="Here you go", now=now - timedelta(hours=3))
    forum.start_thread(ask, author=asker, title="Waiting question", body="??", now=now - timedelta(hours=2))
    chat = forum.start_thread(category_factory(), author=asker, title="Chat", body="hi", now=now - timedelta(hours=4))
    forum.reply(chat, author=user_factory(), body=f"@{moderator.display_name} can you help?",
                now=now - timedelta(hours=1))
    db.session.commit()
    waiting = inquiries.waiting(now)
    assert [(i.kind, i.thread.title) for i in waiting] == [("thread", "Waiting question"), ("mention", "Chat")]
    assert inquiries.median_first_response(now) == timedelta(hours=2)


# --- views -----------------------------------------------------------------------------------------------

def test_moderator_locks_from_the_thread_page(moderator_client, thread_factory, db):
    thread = thread_factory()
    assert b"Host tools" in moderator_client.get(f"/t/{thread.id}").data
    assert moderator_client.post(f"/mod/threads/{thread.id}/lock").status_code == 302
    db.session.expire_all()
    assert db.session.get(Thread, thread.id).is_locked


def test_move_merge_split_forms_work_and_show_errors(moderator_client, thread_factory, category_factory, db):
    thread, other = thread_factory(replies=2), thread_factory()
    target_category = category_factory(name="Elsewhere")
    assert b"Elsewhere" in moderator_client.get(f"/mod/threads/{thread.id}/move").data
    assert moderator_client.post(f"/mod/threads/{thread.id}/move",
                                 data={"category_id": target_category.id}).status_code == 302
    page = moderator_client.post(f"/mod/threads/{thread.id}/merge", data={"target_id": 99999})
    assert b"There is no thread with that number" in page.data
    page = moderator_client.post(f"/mod/threads/{thread.id}/split", data={"title": "New", "category_id":
                                                                         target_category.id})
    assert page.status_code == 200 and b"error" in page.data
    assert moderator_client.post(f"/mod/threads/{other.id}/merge", data={"target_id": thread.id}).status_code == 302


def test_moderator_suspends_a_member_for_a_period(moderator_client, member, db):
    response = moderator_client.post(f"/mod/users/{member.id}/suspend", data={"days": "7", "reason": "Ads"})
    assert response.status_code == 302
    db.session.refresh(member)
    assert member.is_suspended and (member.suspended_until - member.suspended_at).days == 7


def test_moderators_cannot_suspend_hosts(moderator_client, user_factory, db):
    other_host = user_factory(role="moderator")
    page = moderator_client.post(f"/mod/users/{other_host.id}/suspend", data={"days": "1", "reason": "x"})
    assert b"Only admins can suspend hosts" in page.data


def test_inquiries_page(moderator_client):
    assert b"Median first response" in moderator_client.get("/mod/inquiries").data


@pytest.mark.parametrize("client_fixture", ["member_client", "researcher_client"])
@pytest.mark.parametrize("method, url", [
    ("post", "/mod/threads/1/lock"), ("post", "/mod/threads/1/hide"), ("get", "/mod/threads/1/move"),
    ("get", "/mod/threads/1/merge"), ("get", "/mod/threads/1/split"), ("get", "/mod/posts/1/edit"),
    ("get", "/mod/users/1/suspend"), ("post", "/mod/users/1/unsuspend"), ("get", "/mod/inquiries")])
def test_members_and_researchers_cannot_curate(request, client_fixture, method, url):
    assert getattr(request.getfixturevalue(client_fixture), method)(url).status_code == 403
