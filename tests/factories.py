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
