"""Factories as fixtures returning callables with keyword-only defaults (committed rows)."""
from __future__ import annotations

import itertools

import pytest

from app.admin.services import save_category
from app.auth.services import create_user, publish_consent
from app.extensions import db
from app.forum import services as forum

DEFAULT_PASSWORD = "correct horse battery"
_counter = itertools.count(1)


@pytest.fixture
def user_factory():
    def make(*, role: str = "member", email: str | None = None, display_name: str | None = None,
             password: str = DEFAULT_PASSWORD, host_persona: str | None = None, consent: bool = True):
        n = next(_counter)
        user = create_user(email or f"user{n}@example.test", display_name or f"{role.title()} {n}", password,
                           role=role, host_persona=host_persona)
        if consent:
            user.consent_version, user.consent_at = 1, user.created_at
        db.session.commit()
        return user

    return make


@pytest.fixture
def consent_factory():
    def make(*, body: str = "You agree that researchers read and quote your posts anonymously."):
        doc = publish_consent(body, by=None)
        db.session.commit()
        return doc

    return make


@pytest.fixture
def category_factory():
    def make(*, name: str | None = None, description: str = "", position: int = 0):
        category = save_category(None, by=None, name=name or f"Category {next(_counter)}",
                                 description=description, position=position)
        db.session.commit()
        return category

    return make


@pytest.fixture
def thread_factory(category_factory, user_factory):
    def make(*, category=None, author=None, title: str | None = None, body: str = "Opening post text.",
             replies: int = 0, now=None):
        category = category or category_factory()
        author = author or user_factory()
        thread = forum.start_thread(category, author=author, title=title or f"Thread {next(_counter)}",
                                    body=body, now=now)
        for i in range(replies):
            forum.reply(thread, author=author, body=f"Reply {i + 1}")
        db.session.commit()
        return thread

    return make


@pytest.fixture
def post_factory(thread_factory, user_factory):
    def make(*, thread=None, author=None, body: str = "A reply.", quoted=None, now=None):
        thread = thread or thread_factory()
        post = forum.reply(thread, author=author or user_factory(), body=body, quoted=quoted, now=now)
        db.session.commit()
        return post

    return make


@pytest.fixture
def poll_factory(thread_factory, user_factory):
    def make(*, thread=None, by=None, question: str = "Favourite lipstick shade?",
             options=("Red", "Nude", "Berry"), **kwargs):
        from app.polls import services as polls

        poll = polls.create_poll(thread or thread_factory(), by=by or user_factory(role="moderator"),
                                 question=question, options=list(options), **kwargs)
        db.session.commit()
        return poll

    return make


@pytest.fixture
def competition_factory(category_factory, user_factory):
    """A competition whose entries open at ``start`` (default: an hour ago) for a day, then a day of voting."""

    def make(*, by=None, category=None, title: str | None = None, start=None, judging: str = "members",
             winner_count: int = 1, entry_points: int = 5, win_points: int = 50, prize: str = "A tea set",
             rules: str = "Show us your favourite tea moment."):
        from datetime import timedelta

        from app.competitions.services import Windows, save_competition
        from app.db import utcnow

        start = start or utcnow() - timedelta(hours=1)
        day = timedelta(days=1)
        competition = save_competition(
            None, by=by or user_factory(role="moderator"), title=title or f"Competition {next(_counter)}",
            rules_text=rules, prize=prize, category=category or category_factory(),
            windows=Windows(start, start + day, start + day, start + 2 * day), judging=judging,
            entry_points=entry_points, win_points=win_points, winner_count=winner_count, now=start)
        db.session.commit()
        return competition

    return make


@pytest.fixture
def parallel(app):
    """Run ``work(index)`` in ``n`` threads at once, each in its own app context (its own session and
    connection); returns the exceptions raised. SQLite may refuse a loser with "database is locked":
    that is not a second row, so it is not reported."""
    import threading

    import sqlalchemy as sa

    def run(n: int, work) -> list[BaseException]:
        barrier, errors = threading.Barrier(n), []

        def worker(index: int) -> None:
            with app.app_context():
                try:
                    barrier.wait(timeout=10)
                    work(index)
                    db.session.commit()
                except sa.exc.OperationalError as error:
                    db.session.rollback()
                    if "locked" not in str(error):
                        errors.append(error)
                except Exception as error:  # noqa: BLE001 - reported to the test
                    db.session.rollback()
                    errors.append(error)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        db.session.expire_all()
        return errors

    return run
