"""Curation services: each changes one thing, says False when there is nothing to do, and is audited."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.core.exceptions import DomainError
from app.db import utcnow
from app.extensions import db as _db
from app.forum import services as forum
from app.forum.models import Category, Post, PostRevision, Reaction, Thread, ThreadRead
from app.members.notifications import Notification
from app.moderation import curation
from app.moderation.services import moderate_post
from app.search.services import search


def _events(verb: str) -> list[AuditEvent]:
    return list(_db.session.scalars(sa.select(AuditEvent).where(AuditEvent.verb == verb).order_by(AuditEvent.id)))


def _posts(thread_id: int) -> list[Post]:
    _db.session.expire_all()
    return list(_db.session.scalars(sa.select(Post).where(Post.thread_id == thread_id).order_by(Post.number)))


def _snapshot(thread_id: int) -> list[tuple]:
    return [(p.number, p.author_id, p.author_name, p.created_at, p.body) for p in _posts(thread_id)]


@pytest.fixture
def timeline(db, category_factory, user_factory):
    """Two threads whose posts interleave in time: target t1 (5h ago), s1 (4h), t2 (3h), s2 (2h), s3 (1h)."""
    category = category_factory()
    alice, bob, carol = user_factory(), user_factory(), user_factory()
    now = utcnow()
    target = forum.start_thread(category, author=alice, title="Target thread", body="t1 opening",
                                now=now - timedelta(hours=5))
    source = forum.start_thread(category, author=bob, title="Source thread", body="s1 opening",
                                now=now - timedelta(hours=4))
    forum.reply(target, author=bob, body="t2 reply", now=now - timedelta(hours=3))
    forum.reply(source, author=carol, body="s2 reply", now=now - timedelta(hours=2))
    forum.reply(source, author=alice, body="s3 reply", now=now - timedelta(hours=1))
    db.session.commit()
    return {"category": category, "target": target, "source": source, "alice": alice, "bob": bob, "carol": carol,
            "now": now}


TOGGLES = [
    (lambda t, by: curation.pin_thread(t, by=by), lambda t, by: curation.unpin_thread(t, by=by),
     "is_pinned", "thread.pin", "thread.unpin"),
    (lambda t, by: curation.pin_thread(t, by=by, to="landing"),
     lambda t, by: curation.unpin_thread(t, by=by, to="landing"),
     "is_pinned_globally", "thread.pin_landing", "thread.unpin_landing"),
    (lambda t, by: curation.lock_thread(t, by=by), lambda t, by: curation.unlock_thread(t, by=by),
     "is_locked", "thread.lock", "thread.unlock"),
    (lambda t, by: curation.feature_thread(t, by=by), lambda t, by: curation.unfeature_thread(t, by=by),
     "is_featured", "thread.feature", "thread.unfeature"),
]


@pytest.mark.parametrize("do, undo, column, verb, undo_verb", TOGGLES, ids=["pin", "pin_landing", "lock", "feature"])
def test_thread_toggles_change_once_and_are_audited_with_before_and_after(
        db, thread_factory, moderator, do, undo, column, verb, undo_verb):
    thread = thread_factory()
    assert do(thread, moderator) is True and getattr(thread, column) is True
    assert do(thread, moderator) is False
    assert undo(thread, moderator) is True and getattr(thread, column) is False
    assert undo(thread, moderator) is False
    db.session.commit()
    [event] = _events(verb)
    assert (event.actor_id, event.target_type, event.target_id) == (moderator.id, "thread", thread.id)
    assert (event.before, event.after) == ({column: False}, {column: True})
    assert len(_events(undo_verb)) == 1


def test_pins_go_to_the_category_or_the_landing_page_and_nowhere_else(db, thread_factory, moderator):
    thread = thread_factory()
    curation.pin_thread(thread, by=moderator, to="category")
    assert thread.is_pinned and not thread.is_pinned_globally
    with pytest.raises(DomainError) as error:
        curation.pin_thread(thread, by=moderator, to="sidebar")
    assert error.value.field == "to"


@pytest.mark.parametrize("role", ["member", "researcher"])
@pytest.mark.parametrize("action", [
    lambda t, u, c: curation.pin_thread(t, by=u), lambda t, u, c: curation.lock_thread(t, by=u),
    lambda t, u, c: curation.feature_thread(t, by=u), lambda t, u, c: curation.hide_thread(t, by=u, reason="x"),
    lambda t, u, c: curation.move_thread(t, c, by=u),
    lambda t, u, c: curation.split_thread(t, [1], title="New one", category=c, by=u),
], ids=["pin", "lock", "feature", "hide", "move", "split"])
def test_members_and_researchers_cannot_curate(db, thread_factory, category_factory, user_factory, role, action):
    thread, user = thread_factory(replies=1), user_factory(role=role)
    with pytest.raises(DomainError):
        action(thread, user, category_factory())
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.actor_id == user.id)) == 0


# --- hide and restore ------------------------------------------------------------------------------------

def test_hiding_a_thread_records_who_when_and_why(db, thread_factory, moderator):
    thread, when = thread_factory(), utcnow() - timedelta(minutes=5)
    assert curation.hide_thread(thread, by=moderator, reason="  Off-topic  ", now=when)
    assert (thread.state, thread.hidden_by_id, thread.hidden_at, thread.hide_reason) == (
        "hidden", moderator.id, when, "Off-topic")
    assert curation.hide_thread(thread, by=moderator, reason="again") is False
    [event] = _events("thread.hide")
    assert event.reason == "Off-topic" and event.before == {"state": "published"}


@pytest.mark.parametrize("reason", ["", "   ", "bad\x00reason", "x" * 501])
def test_hiding_needs_a_clean_reason(db, thread_factory, moderator, reason):
    thread = thread_factory()
    with pytest.raises(DomainError) as error:
        curation.hide_thread(thread, by=moderator, reason=reason)
    assert error.value.field == "reason" and thread.state == "published"


def test_restoring_a_thread_clears_the_hiding_and_is_audited(db, thread_factory, moderator):
    thread = thread_factory()
    curation.hide_thread(thread, by=moderator, reason="Heated")
    assert curation.restore_thread(thread, by=moderator)
    assert (thread.state, thread.hidden_at, thread.hidden_by_id, thread.hide_reason) == ("published", None, None,
                                                                                         None)
    assert curation.restore_thread(thread, by=moderator) is False
    [event] = _events("thread.restore")
    assert event.before == {"state": "hidden", "hide_reason": "Heated"} and event.after == {"state": "published"}


def test_restoring_a_thread_hidden_through_its_opening_post_brings_the_post_back(db, thread_factory, moderator):
    thread = thread_factory()
    opening = _posts(thread.id)[0]
    moderate_post(opening, "hide", by=moderator, reason="rude")
    assert thread.state == "hidden"
    assert curation.restore_thread(thread, by=moderator)
    db.session.commit()
    assert _posts(thread.id)[0].state == "published" and db.session.get(Thread, thread.id).state == "published"


def test_a_merged_away_thread_cannot_be_restored_empty(db, timeline, moderator):
    curation.merge_threads(timeline["source"], timeline["target"], by=moderator)
    with pytest.raises(DomainError):
        curation.restore_thread(timeline["source"], by=moderator)


# --- move ------------------------------------------------------------------------------------------------

def test_moving_a_thread_carries_its_counts_and_last_post_time(db, thread_factory, category_factory, moderator):
    source, target = category_factory(name="From here"), category_factory(name="To there")
    thread = thread_factory(category=source, replies=2)
    stays = thread_factory(category=source, now=utcnow() - timedelta(days=3))
    assert curation.move_thread(thread, target, by=moderator)
    db.session.commit()
    source, target = db.session.get(Category, source.id), db.session.get(Category, target.id)
    assert (source.thread_count, source.post_count) == (1, 1)
    assert (target.thread_count, target.post_count) == (1, 3)
    assert target.last_post_at == thread.last_post_at and source.last_post_at == stays.last_post_at
    assert thread.category.name == "To there"
    [event] = _events("thread.move")
    assert event.before["category_id"] == source.id and event.after["category_id"] == target.id


def test_moving_a_thread_to_its_own_category_changes_nothing(db, thread_factory, moderator):
    thread = thread_factory()
    assert curation.move_thread(thread, thread.category, by=moderator) is False
    assert _events("thread.move") == []


# --- merge -----------------------------------------------------------------------------------------------

def test_merge_keeps_authors_times_and_text_and_numbers_posts_by_time(db, timeline, moderator):
    source, target = timeline["source"], timeline["target"]
    before = {body: (author_id, name, created) for _, author_id, name, created, body in
              _snapshot(source.id) + _snapshot(target.id)}
    assert curation.merge_threads(source, target, by=moderator) == 3
    db.session.commit()
    merged = _snapshot(target.id)
    assert [row[0] for row in merged] == [1, 2, 3, 4, 5]
    assert [row[4] for row in merged] == ["t1 opening", "s1 opening", "t2 reply", "s2 reply", "s3 reply"]
    assert {body: (author_id, name, created) for _, author_id, name, created, body in merged} == before
    target = db.session.get(Thread, target.id)
    assert target.post_count == 5 and target.last_poster_name == timeline["alice"].display_name
    assert target.last_post_at == merged[-1][3]


def test_merging_an_older_thread_keeps_the_target_opening_post_first(db, timeline, moderator):
    # Merge the older thread (t1, 5h ago) into the younger one (s1, 4h ago): s1 still opens it.
    source, target = timeline["target"], timeline["source"]
    curation.merge_threads(source, target, by=moderator)
    db.session.commit()
    bodies = [row[4] for row in _snapshot(target.id)]
    assert bodies == ["s1 opening", "t1 opening", "t2 reply", "s2 reply", "s3 reply"]


def test_the_merged_source_stays_hidden_and_points_at_the_target(db, timeline, moderator):
    source, target = timeline["source"], timeline["target"]
    curation.merge_threads(source, target, by=moderator)
    db.session.commit()
    source = db.session.get(Thread, source.id)
    assert source.state == "hidden" and source.hidden_by_id == moderator.id
    assert f"#{target.id}" in source.hide_reason and source.post_count == 0
    [event] = _events("thread.merge")
    assert event.target_id == target.id and event.after["source_id"] == source.id
    assert len(event.after["moved_post_ids"]) == 3 and event.before == {"source_posts": 3, "target_posts": 2}


def test_merge_moves_reactions_revisions_and_category_counts(db, timeline, category_factory, moderator,
                                                             user_factory):
    source, target = timeline["source"], timeline["target"]
    elsewhere = category_factory()
    curation.move_thread(source, elsewhere, by=moderator)
    reply = _posts(source.id)[1]
    forum.toggle_reaction(reply, user=user_factory())
    forum.edit_post(reply, editor=timeline["carol"], body="s2 reply, edited")
    db.session.commit()
    curation.merge_threads(source, target, by=moderator)
    db.session.commit()
    moved = db.session.get(Post, reply.id)
    assert moved.thread_id == target.id and moved.reaction_count == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Reaction).where(Reaction.post_id == reply.id)) == 1
    assert db.session.scalar(sa.select(PostRevision.body).where(PostRevision.post_id == reply.id)) == "s2 reply"
    assert db.session.get(Thread, target.id).reaction_count == 1
    assert db.session.get(Category, elsewhere.id).post_count == 0
    assert db.session.get(Category, elsewhere.id).thread_count == 1  # the hidden source row still counts
    assert db.session.get(Category, timeline["category"].id).post_count == 5


def test_merge_keeps_readers_from_skipping_posts_they_have_not_read(db, timeline, moderator, member):
    source, target = timeline["source"], timeline["target"]
    forum.mark_read(member, target, 2)  # read t1 and t2
    db.session.commit()
    curation.merge_threads(source, target, by=moderator)
    db.session.commit()
    mark = db.session.scalar(sa.select(ThreadRead.last_read_number).where(ThreadRead.thread_id == target.id))
    assert mark == 1  # the merged-in s1 now sits at #2: resume there, not after #3


def test_merged_posts_are_found_in_the_target_thread(db, timeline, moderator):
    curation.merge_threads(timeline["source"], timeline["target"], by=moderator)
    db.session.commit()
    hits, _ = search("opening")
    assert {hit.thread_id for hit in hits} == {timeline["target"].id}
    assert search("Source")[0] == []  # the source title no longer rides on a post of the target


def test_a_thread_cannot_be_merged_into_itself_or_into_a_hidden_thread(db, timeline, moderator):
    source, target = timeline["source"], timeline["target"]
    with pytest.raises(DomainError):
        curation.merge_threads(source, source, by=moderator)
    curation.hide_thread(target, by=moderator, reason="closed")
    with pytest.raises(DomainError):
        curation.merge_threads(source, target, by=moderator)


def test_merging_an_already_merged_thread_again_moves_nothing(db, timeline, thread_factory, moderator):
    curation.merge_threads(timeline["source"], timeline["target"], by=moderator)
    assert curation.merge_threads(timeline["source"], thread_factory(), by=moderator) == 0
    assert len(_events("thread.merge")) == 1


# --- split -----------------------------------------------------------------------------------------------

def test_split_makes_a_new_thread_from_chosen_replies_and_renumbers_both(db, thread_factory, category_factory,
                                                                         user_factory, moderator):
    authors = [user_factory() for _ in range(5)]
    now = utcnow()
    thread = forum.start_thread(category_factory(), author=authors[0], title="Long chat", body="p1",
                                now=now - timedelta(hours=6))
    for i in range(1, 5):
        forum.reply(thread, author=authors[i], body=f"p{i + 1}", now=now - timedelta(hours=6 - i))
    db.session.commit()
    before = {row[4]: row[1:4] for row in _snapshot(thread.id)}
    posts = _posts(thread.id)
    destination = category_factory(name="Side topics")
    new = curation.split_thread(thread, [posts[2].id, posts[4].id], title="  Side   topic ", category=destination,
                                by=moderator)
    db.session.commit()
    assert [(r[0], r[4]) for r in _snapshot(new.id)] == [(1, "p3"), (2, "p5")]
    assert [(r[0], r[4]) for r in _snapshot(thread.id)] == [(1, "p1"), (2, "p2"), (3, "p4")]
    assert {row[4]: row[1:4] for row in _snapshot(new.id) + _snapshot(thread.id)} == before
    new, thread = db.session.get(Thread, new.id), db.session.get(Thread, thread.id)
    assert (new.title, new.author_id, new.created_at) == ("Side topic", authors[2].id, posts[2].created_at)
    assert (new.post_count, thread.post_count, new.last_poster_name) == (2, 3, authors[4].display_name)
    assert (db.session.get(Category, destination.id).thread_count, destination.post_count) == (1, 2)
    assert db.session.get(Category, thread.category_id).post_count == 3
    [event] = _events("thread.split")
    assert event.after["new_thread_id"] == new.id and event.after["moved_post_ids"] == [posts[2].id, posts[4].id]


@pytest.mark.parametrize("choose", [lambda posts, other: [], lambda posts, other: [posts[0].id],
                                    lambda posts, other: [posts[1].id, other.id]],
                         ids=["nothing", "opening post", "post of another thread"])
def test_split_refuses_bad_choices(db, thread_factory, post_factory, moderator, choose):
    thread = thread_factory(replies=2)
    other = post_factory()
    with pytest.raises(DomainError) as error:
        curation.split_thread(thread, choose(_posts(thread.id), other), title="New thread",
                              category=thread.category, by=moderator)
    assert error.value.field == "post_ids"
    assert [p.number for p in _posts(thread.id)] == [1, 2, 3]


def test_split_keeps_the_source_readers_marks_honest(db, thread_factory, moderator, member):
    thread = thread_factory(replies=4)
    forum.mark_read(member, thread, 3)  # read #1..#3
    db.session.commit()
    posts = _posts(thread.id)
    curation.split_thread(thread, [posts[1].id], title="Split off", category=thread.category, by=moderator)
    db.session.commit()
    mark = db.session.scalar(sa.select(ThreadRead.last_read_number).where(ThreadRead.thread_id == thread.id))
    assert mark == 2  # old #1 and #3 are the new #1 and #2


def test_a_split_thread_follows_the_state_of_its_new_opening_post(db, thread_factory, moderator):
    thread = thread_factory(replies=2)
    reply = _posts(thread.id)[1]
    moderate_post(reply, "hide", by=moderator, reason="rude")
    new = curation.split_thread(thread, [reply.id], title="Hidden start", category=thread.category, by=moderator)
    assert new.state == "hidden" and new.hide_reason == "rude"


def test_the_new_thread_title_is_searchable(db, thread_factory, moderator):
    thread = thread_factory(replies=2)
    curation.split_thread(thread, [_posts(thread.id)[2].id], title="Marmalade question", category=thread.category,
                          by=moderator)
    db.session.commit()
    hits, _ = search("Marmalade")
    assert [hit.number for hit in hits] == [1]


# --- host edits and suspensions --------------------------------------------------------------------------

def test_a_host_edit_keeps_the_revision_notifies_the_member_and_is_audited(db, post_factory, member, moderator):
    post = post_factory(author=member, body="Original words")
    assert curation.edit_member_post(post, by=moderator, body="Tidied words", reason="typo")
    db.session.commit()
    assert db.session.scalar(sa.select(PostRevision.body).where(PostRevision.post_id == post.id)) == "Original words"
    note = db.session.scalar(sa.select(Notification).where(Notification.user_id == member.id,
                                                            Notification.kind == "post_edited"))
    assert note is not None and note.url == f"/p/{post.id}" and note.actor_id == moderator.id
    [event] = _events("post.edit")
    assert event.reason == "typo" and event.before["body"] == "Original words" and event.after["body"] == "Tidied words"


def test_a_host_edit_that_changes_nothing_tells_nobody(db, post_factory, member, moderator):
    post = post_factory(author=member, body="Same words")
    assert curation.edit_member_post(post, by=moderator, body="Same words") is False
    assert _events("post.edit") == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.kind == "post_edited")) == 0


def test_suspending_a_member_logs_them_out_notifies_and_audits(db, member, moderator):
    token = member.session_token
    assert curation.suspend_member(member, by=moderator, days=7, reason="Advertising")
    db.session.commit()
    assert member.is_suspended and (member.suspended_until - member.suspended_at) == timedelta(days=7)
    assert member.session_token != token
    assert db.session.scalar(sa.select(Notification.text).where(Notification.kind == "suspended")).endswith(
        "Advertising")
    [event] = _events("user.suspend")
    assert event.reason == "Advertising" and event.after["until"]


@pytest.mark.parametrize("days, reason, field", [(0, "x", "days"), (3651, "x", "days"), (3, " ", "reason")])
def test_suspension_needs_a_sensible_period_and_a_reason(db, member, moderator, days, reason, field):
    with pytest.raises(DomainError) as error:
        curation.suspend_member(member, by=moderator, days=days, reason=reason)
    assert error.value.field == field and not member.is_suspended


@pytest.mark.parametrize("role", ["moderator", "researcher", "admin"])
def test_moderators_cannot_suspend_staff_but_admins_can(db, user_factory, moderator, admin, role):
    staff = user_factory(role=role)
    with pytest.raises(DomainError):
        curation.suspend_member(staff, by=moderator, days=1, reason="x")
    assert curation.suspend_member(staff, by=admin, days=1, reason="x")


def test_nobody_suspends_themselves_and_no_days_means_until_lifted(db, admin, member):
    with pytest.raises(DomainError):
        curation.suspend_member(admin, by=admin, days=1, reason="x")
    curation.suspend_member(member, by=admin, days=None, reason="Harassment")
    assert member.is_suspended and member.suspended_until is None


def test_lifting_a_suspension_notifies_and_audits_once(db, member, moderator):
    curation.suspend_member(member, by=moderator, days=3, reason="Cool off")
    assert curation.unsuspend_member(member, by=moderator)
    assert curation.unsuspend_member(member, by=moderator) is False
    db.session.commit()
    assert not member.is_suspended and len(_events("user.unsuspend")) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.user_id == member.id, Notification.kind == "unsuspended")) == 1
