"""`flask demo seed`: bulk data whose counters, text and index agree with what the services would have written.

Every test here reads one seeded community; tests that seed for themselves are in test_seed_command.py."""
from __future__ import annotations

import random

import pytest
import sqlalchemy as sa

from app.forum.models import Category, Post, Reaction, Thread, ThreadRead
from app.members.models import User
from app.moderation.spam import text_hash
from app.search.index import document_for
from app.search.services import search
from app.text.markup import render_markdown
from tests.conftest import shared_rows


def _seed(runner, *args):
    return runner.invoke(args=["demo", "seed", *args])


def _count(session, statement) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(statement.subquery()))


@pytest.fixture(scope="module")
def seeded_rows(app):
    """Seeded once for the whole module: its tests only read the rows (`shared_rows` checks they add none)."""
    with shared_rows(app):
        result = _seed(app.test_cli_runner(), "--members", "30", "--threads", "40", "--posts", "600", "--seed", "3")
        assert result.exit_code == 0, result.output
        assert "Seeded 30 members, 40 threads, 600 posts" in result.output
        yield


@pytest.fixture
def seeded(seeded_rows, db):
    return db.session


def test_seed_creates_the_requested_rows(seeded):
    assert _count(seeded, sa.select(Post.id)) == 600
    assert _count(seeded, sa.select(Thread.id)) == 40
    assert _count(seeded, sa.select(User.id).where(User.email.like("member%@bulk.test"))) == 30
    assert _count(seeded, sa.select(Category.id)) >= 8


def test_post_numbers_are_contiguous_and_times_follow_them(seeded):
    per_thread = sa.select(Post.thread_id, sa.func.min(Post.number).label("low"),
                           sa.func.max(Post.number).label("high"), sa.func.count(sa.distinct(Post.number)).label("n")) \
        .group_by(Post.thread_id).subquery()
    bad = sa.select(Thread.id).join(per_thread, per_thread.c.thread_id == Thread.id).where(sa.or_(
        per_thread.c.low != 1, per_thread.c.high != Thread.post_count, per_thread.c.n != Thread.post_count))
    assert _count(seeded, bad) == 0
    earlier = sa.orm.aliased(Post)
    backwards = sa.select(Post.id).join(earlier, sa.and_(earlier.thread_id == Post.thread_id,
                                                         earlier.number == Post.number - 1)) \
        .where(earlier.created_at > Post.created_at)
    assert _count(seeded, backwards) == 0
    opening_before_thread = sa.select(Post.id).join(Thread, Post.thread_id == Thread.id).where(
        Post.number == 1, Post.created_at != Thread.created_at)
    assert _count(seeded, opening_before_thread) == 0


@pytest.mark.parametrize("model", [User, Thread, Post, Reaction])
def test_ids_grow_with_time_as_when_members_write(seeded, model):
    later = sa.orm.aliased(model)
    out_of_order = sa.select(model.id).join(later, later.id == model.id + 1).where(later.created_at < model.created_at)
    assert _count(seeded, sa.select(model.id)) > 0
    assert _count(seeded, out_of_order) == 0


def test_thread_last_post_fields_match_the_last_post(seeded):
    last = sa.select(Post.thread_id, Post.created_at, Post.author_name).join(
        Thread, sa.and_(Thread.id == Post.thread_id, Post.number == Thread.post_count)).subquery()
    bad = sa.select(Thread.id).join(last, last.c.thread_id == Thread.id).where(sa.or_(
        Thread.last_post_at != last.c.created_at, Thread.last_poster_name != last.c.author_name))
    assert _count(seeded, bad) == 0
    assert _count(seeded, sa.select(Thread.id).where(Thread.author_name != User.display_name)
                  .join(User, User.id == Thread.author_id)) == 0


def test_reaction_counters_match_reaction_rows_and_nobody_upvotes_themself(seeded):
    per_post = sa.select(sa.func.count()).where(Reaction.post_id == Post.id).scalar_subquery()
    assert _count(seeded, sa.select(Post.id).where(Post.reaction_count != per_post)) == 0
    per_thread = sa.select(sa.func.coalesce(sa.func.sum(Post.reaction_count), 0)).where(
        Post.thread_id == Thread.id).scalar_subquery()
    assert _count(seeded, sa.select(Thread.id).where(Thread.reaction_count != per_thread)) == 0
    own = sa.select(Reaction.id).join(Post, Reaction.post_id == Post.id).where(Reaction.user_id == Post.author_id)
    assert _count(seeded, own) == 0
    assert _count(seeded, sa.select(Reaction.id)) > 0
    early = sa.select(Reaction.id).join(Post, Reaction.post_id == Post.id).where(Reaction.created_at < Post.created_at)
    assert _count(seeded, early) == 0


def test_member_and_category_counters_match_the_rows(seeded):
    posts = sa.select(sa.func.count()).where(Post.author_id == User.id).scalar_subquery()
    threads = sa.select(sa.func.count()).where(Thread.author_id == User.id).scalar_subquery()
    assert _count(seeded, sa.select(User.id).where(sa.or_(User.post_count != posts, User.thread_count != threads))) == 0
    category_threads = sa.select(sa.func.count()).where(Thread.category_id == Category.id).scalar_subquery()
    category_posts = sa.select(sa.func.coalesce(sa.func.sum(Thread.post_count), 0)).where(
        Thread.category_id == Category.id).scalar_subquery()
    assert _count(seeded, sa.select(Category.id).where(sa.or_(Category.thread_count != category_threads,
                                                              Category.post_count != category_posts))) == 0
    for category in seeded.scalars(sa.select(Category)):
        newest = seeded.scalar(sa.select(sa.func.max(Thread.last_post_at)).where(Thread.category_id == category.id))
        assert category.last_post_at == newest


def test_members_are_active_only_after_joining_with_unique_names(seeded):
    for model, when in ((Post, Post.created_at), (Reaction, Reaction.created_at)):
        who = Post.author_id if model is Post else Reaction.user_id
        assert _count(seeded, sa.select(model.id).join(User, User.id == who).where(when < User.created_at)) == 0
    users = seeded.execute(sa.select(User.display_name, User.display_name_key, User.consent_version)).all()
    assert len({u.display_name_key for u in users}) == len(users)
    assert all(u.display_name_key == u.display_name.casefold() and u.consent_version == 1 for u in users)
    assert _count(seeded, sa.select(User.id).where(User.created_at > User.last_seen_at)) == 0


def test_read_marks_cover_everyone_who_posted_or_upvoted(seeded):
    posted = sa.select(Post.thread_id, Post.author_id.label("user_id"), sa.func.max(Post.number).label("n")) \
        .group_by(Post.thread_id, Post.author_id).subquery()
    missing = sa.select(posted.c.thread_id).outerjoin(ThreadRead, sa.and_(
        ThreadRead.thread_id == posted.c.thread_id, ThreadRead.user_id == posted.c.user_id)).where(
        sa.or_(ThreadRead.id.is_(None), ThreadRead.last_read_number < posted.c.n))
    assert _count(seeded, missing) == 0
    beyond = sa.select(ThreadRead.id).join(Thread, Thread.id == ThreadRead.thread_id).where(
        sa.or_(ThreadRead.last_read_number > Thread.post_count, ThreadRead.first_read_at > ThreadRead.last_read_at))
    assert _count(seeded, beyond) == 0


def _index_matches(session, post_id: int, document: str) -> bool:
    if session.get_bind().dialect.name == "sqlite":
        stored = session.scalar(sa.text("SELECT content FROM search_index WHERE rowid = :id"), {"id": post_id})
        return stored == document
    same = sa.text("SELECT document = to_tsvector('simple', :doc) FROM search_index WHERE post_id = :id")
    return session.scalar(same, {"id": post_id, "doc": document})


def test_seeded_html_hash_and_search_entries_are_what_the_services_write(seeded):
    rows = seeded.execute(sa.select(Post.id, Post.number, Post.body, Post.body_html, Post.body_hash, Thread.title)
                          .join(Thread, Thread.id == Post.thread_id).order_by(Post.id)).all()
    for row in random.Random(1).sample(rows, 120):
        assert row.body_html == render_markdown(row.body)
        assert row.body_hash == text_hash(row.body)
        assert _index_matches(seeded, row.id, document_for(row.title if row.number == 1 else None, row.body_html))
    assert seeded.scalar(sa.text("SELECT count(*) FROM search_index")) == 600


def test_seeded_posts_are_found_by_search_in_both_languages(seeded):
    for word in ("口红", "护肤", "防晒", "sunscreen"):
        hits, _more = search(word)
        assert hits, word
