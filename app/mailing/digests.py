"""Daily or weekly digests, sent at a sensible local hour in each member's time zone.

A digest holds the landing snapshot's trending threads and open activities, the member's own unread threads and
the notifications they chose to get in the digest. It names threads by title only: no post text, so a masked
answer can never reach an inbox, and only published threads (what every member may see) are listed.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from app.db import ContentState
from app.extensions import db
from app.forum.models import Thread, ThreadRead
from app.landing.panels import latest
from app.mailing import outbox, preferences
from app.mailing.models import MailPreference, OutboxMessage
from app.members.models import User
from app.members.notifications import Notification

DIGEST_HOUR = 8  # local time: before the working day, when people read mail
WEEKLY_DAY = 0  # Monday
LIST_SIZE = 8
PUBLISHED = ContentState.PUBLISHED.value


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def due_zones(now: datetime, zones: list[str]) -> dict[str, tuple[bool, datetime]]:
    """The zones where it is now the digest hour: zone -> (is the weekly day there, local time)."""
    due = {}
    for name in zones:
        local = now.astimezone(_zone(name))
        if local.hour == DIGEST_HOUR:
            due[name] = (local.weekday() == WEEKLY_DAY, local)
    return due


def _frequency():
    chosen = aliased(MailPreference)
    return chosen, sa.func.coalesce(chosen.mode, preferences.WEEKLY)


DIGEST_BATCH = 500


def due_members(now: datetime, *, batch: int = DIGEST_BATCH) -> Iterator[list[tuple[User, str]]]:
    """Members whose digest is due now (their local digest hour; Mondays for weekly ones), with the frequency, in
    batches of at most ``batch`` read by id (keyset paging: a big community is never loaded in one pass; the
    session holds its objects weakly, so a used batch is let go)."""
    zones = list(db.session.scalars(sa.select(User.timezone).distinct()))
    due = due_zones(now, zones)
    if not due:
        return
    chosen, frequency = _frequency()
    # The job runs several times within the digest hour: members whose digest is already queued are skipped in SQL.
    queued = sa.exists().where(OutboxMessage.user_id == User.id, OutboxMessage.kind == "digest",
                               OutboxMessage.created_at > now - timedelta(hours=2))
    select = (sa.select(User, frequency)
              .outerjoin(chosen, sa.and_(chosen.user_id == User.id, chosen.category == preferences.DIGEST_CATEGORY))
              .where(User.timezone.in_(list(due)), frequency != preferences.NEVER, ~queued)
              .order_by(User.id).limit(batch))
    after_id = 0
    while rows := db.session.execute(select.where(User.id > after_id)).all():
        after_id = rows[-1][0].id
        yield [(user, freq) for user, freq in rows
               if outbox.can_receive(user) and (freq == preferences.DAILY or due[user.timezone or "UTC"][0])]


def period_key(user: User, frequency: str, now: datetime) -> str:
    local = now.astimezone(_zone(user.timezone))
    if frequency == preferences.DAILY:
        return f"digest:{user.id}:d{local:%Y-%m-%d}"
    year, week, _ = local.isocalendar()
    return f"digest:{user.id}:w{year}-{week:02d}"


def _unread_threads(user: User, since: datetime) -> list[dict]:
    rows = db.session.execute(
        sa.select(Thread.id, Thread.title, Thread.post_count, ThreadRead.last_read_number)
        .join(ThreadRead, sa.and_(ThreadRead.thread_id == Thread.id, ThreadRead.user_id == user.id))
        .where(Thread.state == PUBLISHED, Thread.last_post_at > since,
               ThreadRead.last_read_number < Thread.post_count)
        .order_by(Thread.last_post_at.desc()).limit(LIST_SIZE)).all()
    return [{"title": r.title, "url": f"/t/{r.id}", "new": r.post_count - r.last_read_number} for r in rows]


def _published(ids: set[int]) -> set[int]:
    if not ids:
        return set()
    return set(db.session.scalars(sa.select(Thread.id).where(Thread.id.in_(sorted(ids)), Thread.state == PUBLISHED)))


def _snapshot_parts() -> tuple[list[dict], list[dict]]:
    """Trending threads (still published) and open activities from the landing snapshot: titles and counts only."""
    snapshot = latest()
    if snapshot is None:
        return [], []
    trending = snapshot.panels.get("trending", [])[:LIST_SIZE]
    visible = _published({row["thread_id"] for row in trending})
    threads = [{"title": row["title"], "url": f"/t/{row['thread_id']}"} for row in trending
               if row["thread_id"] in visible]
    paths = {"task": "/tasks/{id}", "poll": "/t/{thread_id}", "competition": "/competitions/{id}"}
    activities = [{"kind": item["kind"], "title": item["title"], "due": item.get("due"),
                   "url": paths[item["kind"]].format(**item)} for item in snapshot.panels.get("open_activities", [])
                  if item["kind"] in paths][:LIST_SIZE]
    return threads, activities


def _digest_notes(user: User, since: datetime) -> list[dict]:
    """The member's notifications since ``since`` whose kinds they chose to read in the digest."""
    modes = preferences.choices(user.id)
    rows = db.session.execute(sa.select(Notification.kind, Notification.text, Notification.url)
                              .where(Notification.user_id == user.id, Notification.created_at > since)
                              .order_by(Notification.id.desc()).limit(100)).all()
    return [{"text": r.text, "url": r.url} for r in rows
            if (category := preferences.category_of(r.kind)) and modes.get(category) == preferences.DIGEST][:20]


def build_digest(user: User, frequency: str, now: datetime, snapshot_parts=None) -> dict | None:
    """The digest's content for a member, or None when there is nothing to tell."""
    since = now - (timedelta(days=1) if frequency == preferences.DAILY else timedelta(days=7))
    trending, activities = snapshot_parts if snapshot_parts is not None else _snapshot_parts()
    unread, notes = _unread_threads(user, since), _digest_notes(user, since)
    if not (unread or notes or trending or activities):
        return None
    return {"template": "digest", "category": preferences.DIGEST_CATEGORY, "frequency": frequency,
            "name": user.display_name, "unread": unread, "notes": notes, "trending": trending,
            "activities": activities, "url": "/"}


def queue_digests(now: datetime, *, batch: int = DIGEST_BATCH) -> int:
    """The send_digests job: queue each due member's digest once per period; returns how many were queued."""
    queued = 0
    parts = _snapshot_parts()
    for members in due_members(now, batch=batch):
        for user, frequency in members:
            payload = build_digest(user, frequency, now, parts)
            if payload is not None and outbox.queue(user, "digest", period_key(user, frequency, now), payload,
                                                    now=now):
                queued += 1
    return queued
