"""No page issues more than 10 SQL queries, measured on a realistic dataset."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from app.extensions import db as _db
from app.forum.models import Thread
from tests.conftest import shared_rows

LIMIT = 10


@contextmanager
def count_queries(app):
    with app.app_context():
        engine = _db.engine
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)


@pytest.fixture(scope="module")
def seeded(app):
    """The realistic dataset, seeded once for the module (12,000 posts take seconds to write): both tests browse
    it, and what they add (read marks, their member, the activities) stays until the module ends."""
    with shared_rows(app, read_only=False):
        runner = app.test_cli_runner()
        result = runner.invoke(args=["demo", "seed", "--members", "60", "--threads", "80", "--posts", "12000"])
        assert result.exit_code == 0, result.output
        assert runner.invoke(args=["jobs", "run-once", "refresh_hot"]).exit_code == 0
        assert runner.invoke(args=["search", "reindex"]).exit_code == 0
        with app.app_context():
            longest = _db.session.scalar(sa.select(Thread.id).order_by(Thread.post_count.desc()).limit(1))
        yield longest


@pytest.fixture
def community(seeded, db):
    """The dataset's longest thread."""
    return db.session.get(Thread, seeded)


def _pages(thread):
    return {"landing": "/", "thread list": "/threads", "thread list (top)": "/threads?sort=top",
            "category": f"/c/{thread.category_id}", "thread page": f"/t/{thread.id}?page=3",
            "tasks": "/tasks/", "notifications": "/notifications", "search": "/search?q=口红",
            "profile": f"/u/{thread.author_id}"}


def test_pages_stay_within_ten_queries(app, member_client, community):
    assert community.post_count >= 200
    for name, url in _pages(community).items():
        member_client.get(url)  # warm: first visits may write a read mark
        with count_queries(app) as statements:
            response = member_client.get(url)
        assert response.status_code == 200, name
        assert len(statements) <= LIMIT, (name, len(statements), [s[:90] for s in statements])


@pytest.fixture
def activities(community, moderator, user_factory, poll_factory, competition_factory):
    """An open task with answers (one accepted), a closed task, a poll on the long thread and a competition."""
    from datetime import timedelta

    from app.db import utcnow
    from app.tasks import services as tasks

    now = utcnow()
    task = tasks.save_task(None, by=moderator, title="Evening routine", instructions="Tell us, step by step.",
                           opens_at=now - timedelta(days=1), due_at=now + timedelta(days=3), min_photos=0, points=10,
                           is_masked=False)
    answers = [tasks.submit(task, user=user_factory(), text=f"Cleanser, then cream ({n}).", files=[])
               for n in range(3)]
    tasks.review(answers[0], "accept", by=moderator, note="Thank you!")
    tasks.save_task(None, by=moderator, title="Last month's sunscreen", instructions="How was it?",
                    opens_at=now - timedelta(days=30), due_at=now - timedelta(days=20), min_photos=0, points=10,
                    is_masked=False)
    _db.session.commit()
    poll_factory(thread=community, by=moderator)
    competition_factory(by=moderator)
    return task


def test_activity_pages_stay_within_ten_queries(app, member_client, activities):
    for name, url in {"task page": f"/tasks/{activities.id}", "activities": "/activities",
                      "notifications": "/notifications", "thread list page 2": "/threads?page=2"}.items():
        member_client.get(url)
        with count_queries(app) as statements:
            response = member_client.get(url)
        assert response.status_code == 200, name
        assert len(statements) <= LIMIT, (name, len(statements), [s[:90] for s in statements])
        assert "Evening routine" in response.get_data(as_text=True) or name not in ("task page", "activities")
