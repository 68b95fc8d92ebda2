"""Factories as fixtures returning callables with keyword-only defaults (committed rows); the callables are plain
functions too (`make_user` ...), for a dataset a module builds once."""
from __future__ import annotations

import itertools

import pytest

from app.admin.services import save_category
from app.auth.services import create_user, publish_consent
from app.extensions import db
from app.forum import services as forum

DEFAULT_PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def make_user(*, role: str = "member", email: str | None = None, display_name: str | None = None,
              password: str = DEFAULT_PASSWORD, host_persona: str | None = None, consent: bool = True):
    n = next(_counter)
    user = create_user(email or f"user{n}@example.test", display_name or f"{role.title()} {n}", password,
                       role=role, host_persona=host_persona)
    if consent:
        user.consent_version, user.consent_at = 1, user.created_at
    db.session.commit()
    return user


@pytest.fixture
def user_factory():
    return make_user


@pytest.fixture
def consent_factory():
    def make(*, body: str = "You agree that researchers read and quote your posts anonymously."):
        doc = publish_consent(body, by=None)
        db.session.commit()
        return doc

    return make


def make_category(*, name: str | None = None, description: str = "", position: int = 0):
    category = save_category(None, by=None, name=name or f"Category {next(_counter)}",
                             description=description, position=position)
    db.session.commit()
    return category


@pytest.fixture
def category_factory():
    return make_category


def make_thread(*, category=None, author=None, title: str | None = None, body: str = "Opening post text.",
                replies: int = 0, now=None):
    category = category or make_category()
    author = author or make_user()
    thread = forum.start_thread(category, author=author, title=title or f"Thread {next(_counter)}",
                                body=body, now=now)
    for i in range(replies):
        forum.reply(thread, author=author, body=f"Reply {i + 1}")
    db.session.commit()
    return thread


@pytest.fixture
def thread_factory():
    return make_thread


@pytest.fixture
def post_factory(thread_factory, user_factory):
    def make(*, thread=None, author=None, body: str = "A reply.", quoted=None, now=None):
        thread = thread or thread_factory()
        post = forum.reply(thread, author=author or user_factory(), body=body, quoted=quoted, now=now)
        db.session.commit()
        return post

    return make


def make_poll(*, thread=None, by=None, question: str = "Favourite lipstick shade?",
              options=("Red", "Nude", "Berry"), **kwargs):
    from app.polls import services as polls

    poll = polls.create_poll(thread or make_thread(), by=by or make_user(role="moderator"),
                             question=question, options=list(options), **kwargs)
    db.session.commit()
    return poll


@pytest.fixture
def poll_factory():
    return make_poll


def make_competition(*, by=None, category=None, title: str | None = None, start=None, judging: str = "members",
                     winner_count: int = 1, entry_points: int = 5, win_points: int = 50, prize: str = "A tea set",
                     rules: str = "Show us your favourite tea moment."):
    """A competition whose entries open at ``start`` (default: an hour ago) for a day, then a day of voting."""
    from datetime import timedelta

    from app.competitions.services import Windows, save_competition
    from app.db import utcnow

    start = start or utcnow() - timedelta(hours=1)
    day = timedelta(days=1)
    competition = save_competition(
        None, by=by or make_user(role="moderator"), title=title or f"Competition {next(_counter)}",
        rules_text=rules, prize=prize, category=category or make_category(),
        windows=Windows(start, start + day, start + day, start + 2 * day), judging=judging,
        entry_points=entry_points, win_points=win_points, winner_count=winner_count, now=start)
    db.session.commit()
    return competition


@pytest.fixture
def competition_factory():
    return make_competition


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
