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
from app.landing.queries import OPEN_TASKS, can_answer_tasks

RENDER_SECONDS = 15  # relative times on the panels lag the clock by at most this much (they show minutes)
THREAD_PANELS = ("trending", "popular", "most_read", "pinned")


_parsed = LRU(8)  # snapshot JSON text -> (panels, the panel threads' ids)


@dataclass(frozen=True)
class Snapshot:
    """The newest snapshot as the page needs it: its panels (shared, never mutate), its exact JSON text and the
    ids of the threads on its panels (sorted)."""

    computed_at: datetime
    panels: dict
    text: str
    thread_ids: tuple[int, ...] = ()


_LATEST = (sa.select(LandingSnapshot.computed_at, sa.cast(LandingSnapshot.panels, sa.Text))
           .order_by(LandingSnapshot.id.desc()).limit(1))
# The landing page reads the snapshot and the member's open tasks in one round trip.
_NEWEST = sa.select(LandingSnapshot).order_by(LandingSnapshot.id.desc()).limit(1).subquery()
_LATEST_AND_OPEN_TASKS = sa.select(
    sa.select(_NEWEST.c.computed_at).scalar_subquery(), sa.select(sa.cast(_NEWEST.c.panels, sa.Text)).scalar_subquery(),
    OPEN_TASKS.scalar_subquery())
_PANEL_THREADS = (
    sa.select(Thread.id, Thread.post_count, Thread.state, ThreadRead.last_read_number)
    .outerjoin(ThreadRead, sa.and_(ThreadRead.thread_id == Thread.id, ThreadRead.user_id == sa.bindparam("user_id"))))
_NO_THREADS: frozenset[int] = frozenset()


def _snapshot(computed_at: datetime, text: str) -> Snapshot:
    """The snapshot of this JSON text, parsed once per worker and content."""
    parsed = _parsed.get(text)
    if parsed is None:
        panels = json.loads(text)
        ids = tuple(sorted({row["thread_id"] for key in THREAD_PANELS for row in panels.get(key, [])}))
        parsed = (panels, ids)
        _parsed.put(text, parsed)
    return Snapshot(computed_at, parsed[0], text, parsed[1])


def latest() -> Snapshot | None:
    """The newest snapshot (one query)."""
    row = read_connection().execute(_LATEST).first()
    return None if row is None else _snapshot(*row)


def latest_and_open_tasks(user) -> tuple[Snapshot | None, int]:
    """The newest snapshot and how many open tasks the member has not answered (0 for those who cannot post),
    in one query when the member can post."""
    if not can_answer_tasks(user):
        return latest(), 0
    computed_at, text, open_tasks = read_connection().execute(
        _LATEST_AND_OPEN_TASKS, {"user_id": user.id, "now": utcnow()}).one()
    return (None if text is None else _snapshot(computed_at, text)), open_tasks or 0


def _panel_threads(ids: tuple[int, ...]) -> sa.Select:
    """The panel threads' states, with the ids written into the statement: built once per snapshot (an expanding
    IN list is rebuilt on every execution)."""
    statement = _statements.get(ids)
    if statement is None:
        statement = _PANEL_THREADS.where(Thread.id.in_([sa.literal(i, sa.Integer) for i in ids]))
        _statements.put(ids, statement)
    return statement


_statements = LRU(8)  # panel thread ids -> their statement


def thread_states(user, snapshot: Snapshot) -> tuple[int, frozenset[int]]:
    """For the panel threads (one query): how many the member has not read to the end, and which ones are no
    longer published (hidden, pending or spam since the snapshot was built: never shown, never counted)."""
    ids = snapshot.thread_ids
    if not ids:
        return 0, _NO_THREADS
    published, unread, shown = set(), 0, ContentState.PUBLISHED.value
    for thread_id, post_count, state, last_read in read_connection().execute(_panel_threads(ids),
                                                                              {"user_id": user.id}):
        if state == shown:
            published.add(thread_id)
            if (last_read or 0) < post_count:
                unread += 1
    return unread, (_NO_THREADS if len(published) == len(ids) else frozenset(ids).difference(published))


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


def announcements_html(announcements: list[sa.Row]) -> Markup:
    """The announcements as members see them, rendered once per their ids, titles and text."""
    key = tuple((a.id, a.title, a.body_html) for a in announcements)
    return fragment("landing/_announcements.html", ("announcements", key), announcements=announcements,
                    hosting=False)


def mine_html(unread: int, open_tasks: int, notifications: int) -> Markup:
    """The "For you" panel, rendered once per its three numbers (the same for every member who has them)."""
    return fragment("landing/_mine.html", ("mine", unread, open_tasks, notifications), unread=unread,
                    open_tasks=open_tasks, notifications=notifications)
