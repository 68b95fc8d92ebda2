"""In-app notifications: a row per event for a member, with an unread counter."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import g, has_app_context
from sqlalchemy.orm import Mapped, mapped_column

from app.core.settings import Setting
from app.db import Base, UTCDateTime, utcnow
from app.extensions import db, read_connection


class Notification(Base):
    __tablename__ = "notification"
    __table_args__ = (sa.Index("ix_notification_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(30))
    text: Mapped[str] = mapped_column(sa.String(1000))  # stored in the recipient's language at send time
    url: Mapped[str | None] = mapped_column(sa.String(300))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


# Higher layers (mailing) plug in here: each hook sees every new notification in the event's transaction.
_hooks: list[Callable[[Notification, object], None]] = []


def add_notify_hook(hook: Callable[[Notification, object], None]) -> None:
    """Call ``hook(notification, actor)`` for every notification from now on (once per hook)."""
    if hook not in _hooks:
        _hooks.append(hook)


def notify(user_id: int, kind: str, text: str, *, url: str | None = None, actor=None) -> Notification:
    """Queue a notification for a member (the caller commits); hooks such as the email outbox run in the same
    transaction."""
    note = Notification(user_id=user_id, kind=kind, text=text[:1000], url=url, actor_id=getattr(actor, "id", None))
    db.session.add(note)
    _forget_chrome_state()
    for hook in _hooks:
        hook(note, actor)
    return note


# Hooks for many notifications of one kind at once (a host's invitation to an activity reaches thousands).
_bulk_hooks: list[Callable[[str, str | None, list[tuple[int, str]], object], None]] = []
BATCH = 500


def add_bulk_notify_hook(hook: Callable[[str, str | None, list[tuple[int, str]], object], None]) -> None:
    """Call ``hook(kind, url, [(user_id, text), ...], actor)`` for every batch written by ``notify_many``."""
    if hook not in _bulk_hooks:
        _bulk_hooks.append(hook)


def notify_many(kind: str, items: list[tuple[int, str]], *, url: str | None = None, actor=None,
                now: datetime | None = None) -> int:
    """One notification per ``(user_id, text)``, written set-based in batches of ``BATCH`` (a few statements per
    batch, whatever the number of members); bulk hooks run per batch in the same transaction. The caller
    commits."""
    now = now or utcnow()
    actor_id = getattr(actor, "id", None)
    _forget_chrome_state()
    for start in range(0, len(items), BATCH):
        batch = [(user_id, text[:1000]) for user_id, text in items[start:start + BATCH]]
        db.session.execute(sa.insert(Notification), [
            {"user_id": user_id, "kind": kind, "text": text, "url": url, "actor_id": actor_id, "created_at": now}
            for user_id, text in batch])
        for hook in _bulk_hooks:
            hook(kind, url, batch, actor)
    return len(items)


# What the page chrome shows besides the member row, in one statement built once: the member's unread count
# and the stored leaderboard mode.
_CHROME_STATE = sa.select(
    sa.select(sa.func.count()).select_from(Notification)
    .where(Notification.user_id == sa.bindparam("id"), Notification.read_at.is_(None)).scalar_subquery(),
    sa.select(Setting.value).where(Setting.key == "leaderboard.mode").scalar_subquery())


def _forget_chrome_state() -> None:
    """A notification was written or marked read in this request: the next ask counts again."""
    if has_app_context():
        g.pop("_th_chrome_state", None)


def chrome_state(user_id: int) -> tuple[int, Any]:
    """The member's unread notification count and the stored leaderboard mode (None when unset), read once per
    request."""
    state = g.get("_th_chrome_state")
    if state is None or state[0] != user_id:
        unread, mode = read_connection().execute(_CHROME_STATE, {"id": user_id}).one()
        state = g._th_chrome_state = (user_id, unread or 0, mode)
    return state[1:]


_UNREAD = sa.select(sa.func.count()).select_from(Notification).where(
    Notification.user_id == sa.bindparam("user_id"), Notification.read_at.is_(None))


def unread_count(user_id: int) -> int:
    return read_connection().scalar(_UNREAD, {"user_id": user_id}) or 0


def mark_all_read(user_id: int, *, now: datetime | None = None) -> int:
    """Mark every unread notification of a member as read; returns how many changed."""
    _forget_chrome_state()
    return db.session.execute(
        sa.update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())).rowcount
