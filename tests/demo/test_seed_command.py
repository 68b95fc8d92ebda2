"""`flask demo seed` run by each test: generated text, seeding twice, benchmark sizes and refused sizes."""
from __future__ import annotations

import random

import sqlalchemy as sa

from app.demo.corpus import Text, escape_text
from app.forum.models import Category, Post, Thread
from app.members.models import User
from app.moderation.spam import score_text
from app.text.markup import render_markdown


def _seed(runner, *args):
    return runner.invoke(args=["demo", "seed", *args])


def _count(session, statement) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(statement.subquery()))


def test_every_generated_sentence_renders_as_escaped_text_and_scores_as_clean():
    text = Text(random.Random(7), per_template=20)
    pools = [*text.pools["en"], *text.pools["zh"], *text.pools["mix"], *text.titles]
    sentences = [variant[0] for variants in pools for variant in variants]
    for sentence in sentences:
        assert render_markdown(sentence) == f"<p>{escape_text(sentence)}</p>\n"
        assert score_text(sentence, is_new_member=True, blocked_words=[]).value == 0
    joined = " ".join(sentences)
    assert all(word in joined for word in ("口红", "护肤", "防晒", "sunscreen", "lipstick"))


def test_bodies_mix_english_chinese_and_paragraphs():
    text = Text(random.Random(8), per_template=10)
    bodies = [text.body(habit)[0] for habit in ("zh", "en", "mix") for _ in range(200)]
    assert any("\n\n" in body for body in bodies)
    assert any(all(ord(ch) < 128 for ch in body) for body in bodies)
    assert any(all(not ch.isascii() or not ch.isalpha() for ch in body) for body in bodies)


def test_seeding_twice_adds_without_collisions(runner, db, user_factory):
    user_factory()
    for _ in range(2):
        result = _seed(runner, "--members", "5", "--threads", "5", "--posts", "20", "--seed", "3")
        assert result.exit_code == 0, result.output
    assert _count(db.session, sa.select(User.id)) == 11
    assert _count(db.session, sa.select(Post.id)) == 40
    assert _count(db.session, sa.select(Category.id)) == 8
    # The forum's own services keep working on top of the bulk rows (ids were not taken from under them).
    from app.forum import services as forum

    member = db.session.scalar(sa.select(User).where(User.email.like("%@bulk.test")).limit(1))
    thread = db.session.scalar(sa.select(Thread).order_by(Thread.id.desc()).limit(1))
    post = forum.reply(thread, author=member, body="Still works 还能回复")
    db.session.commit()
    assert post.number == thread.post_count
    assert db.session.get(User, member.id).post_count == 1 + _count(
        db.session, sa.select(Post.id).where(Post.author_id == member.id, Post.id != post.id))


def test_a_200_post_thread_exists_at_benchmark_sizes(runner, db):
    assert _seed(runner, "--members", "50", "--threads", "100", "--posts", "10000").exit_code == 0
    assert db.session.scalar(sa.select(sa.func.max(Thread.post_count))) >= 200
    sizes = db.session.scalars(sa.select(Thread.post_count).order_by(Thread.post_count)).all()
    assert sizes[len(sizes) // 2] < 100  # heavy-tailed: the median thread is far smaller than the largest


def test_posts_fewer_than_threads_is_refused(runner, db):
    result = _seed(runner, "--members", "5", "--threads", "10", "--posts", "5")
    assert result.exit_code != 0
    assert "Error: --posts must be at least --threads" in result.output
    assert _count(db.session, sa.select(User.id)) == 0
