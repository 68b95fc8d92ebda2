"""`flask demo seed`: bulk data whose counters agree with what the services would have written."""
from __future__ import annotations

import sqlalchemy as sa

from app.forum.models import Category, Post, Reaction, Thread
from app.members.models import User
from app.text.markup import render_markdown


def _seed(runner, *args):
    return runner.invoke(args=["demo", "seed", *args])


def test_seed_writes_consistent_counters(runner, db):
    result = _seed(runner, "--members", "30", "--threads", "40", "--posts", "600", "--seed", "3")
    assert result.exit_code == 0, result.output
    assert "Seeded 30 members, 40 threads, 600 posts" in result.output
    session = db.session
    assert session.scalar(sa.select(sa.func.count()).select_from(Post)) == 600
    assert session.scalar(sa.select(sa.func.count()).select_from(Thread)) == 40
    # Numbers are contiguous 1..post_count in every thread, and times increase with the numbers.
    for thread in session.scalars(sa.select(Thread)):
        rows = session.execute(sa.select(Post.number, Post.created_at).where(Post.thread_id == thread.id)
                               .order_by(Post.number)).all()
        assert [r.number for r in rows] == list(range(1, thread.post_count + 1))
        assert [r.created_at for r in rows] == sorted(r.created_at for r in rows)
        assert thread.last_post_at == rows[-1].created_at
    mismatched = session.scalar(
        sa.select(sa.func.count()).select_from(Post).where(Post.reaction_count != sa.select(sa.func.count())
                                                          .where(Reaction.post_id == Post.id).scalar_subquery()))
    assert mismatched == 0
    thread_sums = sa.select(sa.func.coalesce(sa.func.sum(Post.reaction_count), 0)).where(
        Post.thread_id == Thread.id).scalar_subquery()
    assert session.scalar(sa.select(sa.func.count()).select_from(Thread)
                          .where(Thread.reaction_count != thread_sums)) == 0
    own = session.scalar(sa.select(sa.func.count()).select_from(Reaction).join(Post, Reaction.post_id == Post.id)
                         .where(Reaction.user_id == Post.author_id))
    assert own == 0
    user_posts = sa.select(sa.func.count()).where(Post.author_id == User.id).scalar_subquery()
    assert session.scalar(sa.select(sa.func.count()).select_from(User).where(User.post_count != user_posts)) == 0
    category_posts = sa.select(sa.func.coalesce(sa.func.sum(Thread.post_count), 0)).where(
        Thread.category_id == Category.id).scalar_subquery()
    assert session.scalar(sa.select(sa.func.count()).select_from(Category)
                          .where(Category.post_count != category_posts)) == 0


def test_seeded_html_is_what_the_renderer_gives(runner, db):
    _seed(runner, "--members", "10", "--threads", "10", "--posts", "100")
    for body, html in db.session.execute(sa.select(Post.body, Post.body_html).limit(50)):
        assert html == render_markdown(body)


def test_seed_mixes_english_and_chinese_and_contains_common_words(runner, db):
    _seed(runner, "--members", "20", "--threads", "30", "--posts", "900")
    bodies = " ".join(db.session.scalars(sa.select(Post.body)))
    assert "口红" in bodies and "sunscreen" in bodies


def test_seeding_twice_adds_without_collisions(runner, db, user_factory):
    user_factory()
    assert _seed(runner, "--members", "5", "--threads", "5", "--posts", "20").exit_code == 0
    result = _seed(runner, "--members", "5", "--threads", "5", "--posts", "20")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 11


def test_a_200_post_thread_exists_at_benchmark_sizes(runner, db):
    _seed(runner, "--members", "50", "--threads", "100", "--posts", "10000")
    assert db.session.scalar(sa.select(sa.func.max(Thread.post_count))) >= 200


def test_posts_fewer_than_threads_is_refused(runner):
    result = _seed(runner, "--members", "5", "--threads", "10", "--posts", "5")
    assert result.exit_code != 0 and "Error: --posts must be at least --threads" in result.output
