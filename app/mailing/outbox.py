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
from app.mailing.models import MailPreference, OutboxMessage, OutboxStatus
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
    return _note_key(note.user_id, note.kind, note.url, note.text)


def _note_key(user_id: int, kind: str, url: str | None, text: str) -> str:
    digest = hashlib.sha256(f"{kind}|{url}|{text}".encode()).hexdigest()[:24]
    return f"note:{user_id}:{digest}"


def _receivable(now: datetime) -> sa.ColumnElement[bool]:
    """``can_receive`` in SQL: an address, not suspended (or the suspension over), consent not withdrawn."""
    active = sa.or_(User.suspended_at.is_(None), sa.and_(User.suspended_until.is_not(None),
                                                         User.suspended_until <= now))
    return sa.and_(User.email.is_not(None), User.email != "", active, User.consent_withdrawn_at.is_(None))


def email_notifications(kind: str, url: str | None, items: list[tuple[int, str]], actor=None) -> int:
    """The bulk notify hook: for one batch of notifications of ``kind``, queue an email to each member who wants
    this category at once, in two statements (who, then an INSERT of all their rows; existing keys skipped)."""
    category = preferences.category_of(kind, from_host=bool(getattr(actor, "is_host", False)))
    if category is None or not items:
        return 0
    now = utcnow()
    texts = dict(items)
    mode = sa.func.coalesce(MailPreference.mode, preferences.BY_KEY[category].default)
    rows = db.session.execute(
        sa.select(User.id, User.email, User.locale)
        .outerjoin(MailPreference, sa.and_(MailPreference.user_id == User.id, MailPreference.category == category))
        .where(User.id.in_(list(texts)), _receivable(now), mode == preferences.IMMEDIATE)).all()
    if not rows:
        return 0
    default = current_app.config.get("BABEL_DEFAULT_LOCALE") or "en"
    values = [row_values(user_id=row.id, recipient=row.email, kind=kind, language=row.locale or default,
                         dedupe_key=_note_key(row.id, kind, url, texts[row.id]), now=now,
                         payload={"template": "notice", "category": category, "text": texts[row.id], "url": url})
              for row in rows]
    db.session.execute(_insert_many(), values)
    return len(values)


def _insert_many() -> sa.Insert:
    """Many rows in one executemany; a row whose dedupe key exists is skipped."""
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    return insert(OutboxMessage).on_conflict_do_nothing(index_elements=["dedupe_key"])


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
