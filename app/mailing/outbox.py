"""Writing emails into the outbox, in the transaction of the event that causes them.

Nothing here talks to a mail server: the web request only adds a row, and ``sender`` delivers it later.
"""
from __future__ import annotations

import hashlib
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from app.db import utcnow
from app.extensions import db
from app.mailing import preferences
from app.mailing.models import OutboxMessage, OutboxStatus
from app.members.models import User
from app.members.notifications import Notification


def language_of(user: User) -> str:
    return user.locale or current_app.config.get("BABEL_DEFAULT_LOCALE") or "en"


def can_receive(user: User | None) -> bool:
    """Suspended accounts and those who withdrew consent get no mail but what they ask for themselves."""
    return bool(user and user.email and not user.is_suspended and user.consent_withdrawn_at is None)


def _insert(values: dict) -> sa.Insert:
    """INSERT that does nothing when the dedupe key exists (SQLite and PostgreSQL both say ON CONFLICT)."""
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    return (insert(OutboxMessage).values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(OutboxMessage.id))


def _key(dedupe_key: str) -> str:
    if len(dedupe_key) > 200:  # long keys keep a readable head and a hash of the whole
        return dedupe_key[:150] + hashlib.sha256(dedupe_key.encode()).hexdigest()[:50]
    return dedupe_key


def row_values(*, user_id: int | None, recipient: str, kind: str, dedupe_key: str, language: str, payload: dict,
               now: datetime) -> dict:
    """The columns of one new queued outbox row."""
    return {"user_id": user_id, "recipient": recipient, "kind": kind, "dedupe_key": _key(dedupe_key),
            "language": language, "payload": payload, "status": OutboxStatus.QUEUED, "attempts": 0,
            "next_try_at": now, "created_at": now}


def queue(user: User, kind: str, dedupe_key: str, payload: dict, *, now: datetime | None = None) -> int | None:
    """Add an email for ``user`` unless one with ``dedupe_key`` exists; its id, or None when it did (the caller
    commits).

    One statement, atomic against a concurrent twin, and safe inside a flush (domains may notify from a
    ``before_flush`` hook, where neither a savepoint nor an ORM flush can run)."""
    return queue_to(user.email, kind, dedupe_key, payload, language=language_of(user), user_id=user.id, now=now)


def queue_to(recipient: str, kind: str, dedupe_key: str, payload: dict, *, language: str,
             user_id: int | None = None, now: datetime | None = None) -> int | None:
    """Add an email for an address (an invitation has no account yet) unless ``dedupe_key`` exists; its id, or
    None when it did. The caller commits: the row is written in the transaction of the event that causes it."""
    values = row_values(user_id=user_id, recipient=recipient, kind=kind, dedupe_key=dedupe_key, language=language,
                        payload=payload, now=now or utcnow())
    return db.session.execute(_insert(values)).scalar()  # no row returned: the key was there already


def _notification_key(note: Notification) -> str:
    digest = hashlib.sha256(f"{note.kind}|{note.url}|{note.text}".encode()).hexdigest()[:24]
    return f"note:{note.user_id}:{digest}"


def email_notification(note: Notification, actor=None) -> int | None:
    """The notify hook: queue an email now when the member wants this kind immediately; the digest reads the
    notifications of kinds they want in the digest, so nothing is written for those."""
    category = preferences.category_of(note.kind, from_host=bool(getattr(actor, "is_host", False)))
    if category is None or preferences.mode_for(note.user_id, category) != preferences.IMMEDIATE:
        return None
    user = db.session.get(User, note.user_id)
    if not can_receive(user):
        return None
    return queue(user, note.kind, _notification_key(note),
                 {"template": "notice", "category": category, "text": note.text, "url": note.url})


def withdraw_queued(kind: str, key_prefix: str, reason: str, *, now: datetime | None = None) -> int:
    """Stop queued rows of ``kind`` whose dedupe key starts with ``key_prefix`` (a renewed invitation makes the
    older link dead): they stay on the admin page as failed, with ``reason``. The caller commits."""
    return db.session.execute(
        sa.update(OutboxMessage).where(OutboxMessage.kind == kind, OutboxMessage.status == OutboxStatus.QUEUED,
                                       OutboxMessage.dedupe_key.startswith(key_prefix, autoescape=True))
        .values(status=OutboxStatus.FAILED, failed_at=now or utcnow(), last_error=reason[:1000],
                claimed_at=None, claimed_by=None).execution_options(synchronize_session=False)).rowcount
