"""The landing page's shared panels, rendered once and reused by every member who sees the same thing.

They depend only on the snapshot, language, time zone and clock, so each worker renders them once per snapshot
content (not id: a reused id never serves old panels), locale, zone and RENDER_SECONDS, as shared fragments
(app.core.fragments). Threads hidden since the snapshot are part of the key, so hidden content never shows.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from markupsafe import Markup

from app.core.fragments import LRU, fragment
from app.db import ContentState, utcnow
from app.extensions import read_connection
from app.forum.models import Thread, ThreadRead
from app.landing.models import LandingSnapshot

RENDER_SECONDS = 15  # relative times on the panels lag the clock by at most this much (they show minutes)
THREAD_PANELS = ("trending", "popular", "most_read", "pinned")


_parsed = LRU(8)  # snapshot JSON text -> panels


@dataclass(frozen=True)
class Snapshot:
    """The newest snapshot as the page needs it: its panels (shared, never mutate) and its exact JSON text."""

    computed_at: datetime
    panels: dict
    text: str

    def thread_ids(self) -> set[int]:
        return {row["thread_id"] for key in THREAD_PANELS for row in self.panels.get(key, [])}


_LATEST = (sa.select(LandingSnapshot.computed_at, sa.cast(LandingSnapshot.panels, sa.Text))
           .order_by(LandingSnapshot.id.desc()).limit(1))
_PANEL_THREADS = (
    sa.select(Thread.id, Thread.post_count, Thread.state, ThreadRead.last_read_number)
    .outerjoin(ThreadRead, sa.and_(ThreadRead.thread_id == Thread.id, ThreadRead.user_id == sa.bindparam("user_id")))
    .where(Thread.id.in_(sa.bindparam("ids", expanding=True))))


def latest() -> Snapshot | None:
    """The newest snapshot (one query; the JSON is parsed once per worker and content)."""
    row = read_connection().execute(_LATEST).first()
    if row is None:
        return None
    computed_at, text = row
    panels = _parsed.get(text)
    if panels is None:
        panels = json.loads(text)
        _parsed.put(text, panels)
    return Snapshot(computed_at, panels, text)


def thread_states(user, snapshot: Snapshot) -> tuple[int, frozenset[int]]:
    """For the panel threads (one query): how many the member has not read to the end, and which ones are no
    longer published (hidden, pending or spam since the snapshot was built: never shown, never counted)."""
    ids = snapshot.thread_ids()
    if not ids:
        return 0, frozenset()
    rows = read_connection().execute(_PANEL_THREADS, {"user_id": user.id, "ids": sorted(ids)}).all()
    published = {r.id for r in rows if r.state == ContentState.PUBLISHED.value}
    unread = sum(1 for r in rows if r.id in published and (r.last_read_number or 0) < r.post_count)
    return unread, frozenset(ids - published)


def rendered(snapshot: Snapshot, hidden: frozenset[int], now: datetime | None = None) -> tuple[Markup, Markup]:
    """The main-column and side-column panel HTML for this request's language and time zone."""
    now = now or utcnow()
    key = (snapshot.text, snapshot.computed_at, int(now.timestamp()) // RENDER_SECONDS, hidden)
    panels = snapshot.panels
    if hidden:
        panels = {**panels, **{name: [row for row in panels.get(name, []) if row["thread_id"] not in hidden]
                               for name in THREAD_PANELS}}
    context = {"panels": panels, "computed_at": snapshot.computed_at}
    return (fragment("landing/_panels_main.html", key, **context),
            fragment("landing/_panels_side.html", key, **context))
