"""Building the landing snapshot (the refresh_hot job) and the hosts' announcements."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from app import audit
from app.competitions.models import Competition, CompetitionEntry
from app.core.exceptions import DomainError
from app.db import ContentState, utcnow
from app.extensions import db
from app.forum.models import Post, Thread, ThreadRead
from app.landing.hot import PUBLISHED, hot_setting, thread_heat, window
from app.landing.models import Announcement, LandingSnapshot
from app.members.models import User
from app.members.queries import members_only
from app.polls.models import Ballot, Poll
from app.security import policy
from app.tasks.models import Task, TaskSubmission
from app.text.fields import clean_title, markdown_html


def build_hot_panels(now: datetime) -> int:
    """Compute every panel from the window only and swap the snapshot in (one transaction: the caller's)."""
    size = int(hot_setting("hot.panel_size"))
    window = timedelta(days=float(hot_setting("hot.window_days")))
    heat = thread_heat(now)
    panels = {
        # Only the shown rows become dicts: the window may hold thousands of active threads.
        "trending": [h.as_panel() for h in [h for h in heat if h.score > 0][:size]],
        "popular": [h.as_panel() for h in sorted((h for h in heat if h.replies),
                                                 key=lambda h: (-h.replies, -h.thread_id))[:size]],
        "most_read": _most_read(now - window, size),
        "newest_members": _newest_members(size),
        "open_activities": _open_activities(now, size),
        "pinned": _pinned_threads(size),
        "figures": _figures(now),
        "window_days": window.days,
    }
    snapshot = LandingSnapshot(computed_at=now, panels=panels)
    db.session.add(snapshot)
    db.session.flush()
    # Readers always find a complete snapshot: the new row exists before older ones go, in one transaction.
    db.session.execute(sa.delete(LandingSnapshot).where(LandingSnapshot.id < snapshot.id))
    return sum(len(v) for v in panels.values() if isinstance(v, list))


def _most_read(since: datetime, size: int) -> list[dict]:
    reads = window(sa.select(ThreadRead.thread_id, ThreadRead.user_id).where(ThreadRead.last_read_at >= since),
                   "recent_reads")
    rows = db.session.execute(
        sa.select(Thread.id, Thread.title, sa.func.count(sa.distinct(reads.c.user_id)).label("readers"))
        .select_from(reads)
        .join(Thread, reads.c.thread_id == Thread.id).join(User, reads.c.user_id == User.id)
        .where(Thread.state == PUBLISHED, members_only())
        .group_by(Thread.id, Thread.title).order_by(sa.desc("readers"), Thread.id.desc()).limit(size)).all()
    return [{"thread_id": r.id, "title": r.title, "readers": r.readers} for r in rows]


def _newest_members(size: int) -> list[dict]:
    rows = db.session.execute(sa.select(User.id, User.display_name, User.created_at)
                              .where(members_only(), User.suspended_at.is_(None))
                              .order_by(User.created_at.desc()).limit(size)).all()
    return [{"user_id": r.id, "name": r.display_name, "joined": r.created_at.isoformat()} for r in rows]


def _open_activities(now: datetime, size: int) -> list[dict]:
    """Open tasks, polls and competitions, soonest deadline first (polls without a closing time last)."""
    tasks = db.session.execute(
        sa.select(Task.id, Task.title, Task.due_at, Task.is_masked, sa.func.count(TaskSubmission.id))
        .outerjoin(TaskSubmission, TaskSubmission.task_id == Task.id)
        .where(Task.is_published.is_(True), Task.opens_at <= now, Task.due_at > now)
        .group_by(Task.id, Task.title, Task.due_at, Task.is_masked).order_by(Task.due_at).limit(size)).all()
    polls = db.session.execute(
        sa.select(Poll.id, Poll.thread_id, Poll.question, Poll.closes_at, sa.func.count(Ballot.id))
        .join(Thread, Thread.id == Poll.thread_id).outerjoin(Ballot, Ballot.poll_id == Poll.id)
        .where(Poll.is_published.is_(True), Poll.closed_at.is_(None), Thread.state == PUBLISHED,
               sa.or_(Poll.closes_at.is_(None), Poll.closes_at > now))
        .group_by(Poll.id, Poll.thread_id, Poll.question, Poll.closes_at)
        .order_by(Poll.closes_at.is_(None), Poll.closes_at, Poll.id.desc()).limit(size)).all()
    competitions = db.session.execute(
        sa.select(Competition.id, Competition.title, Competition.entry_closes_at, Competition.voting_opens_at,
                  Competition.voting_closes_at, sa.func.count(CompetitionEntry.id))
        .outerjoin(CompetitionEntry, sa.and_(CompetitionEntry.competition_id == Competition.id,
                                             CompetitionEntry.state == PUBLISHED))
        .where(Competition.is_published.is_(True), Competition.entry_opens_at <= now,
               Competition.voting_closes_at > now)
        .group_by(Competition.id, Competition.title, Competition.entry_closes_at, Competition.voting_opens_at,
                  Competition.voting_closes_at)
        .order_by(Competition.voting_closes_at).limit(size)).all()
    items = [{"kind": "task", "id": r.id, "title": r.title, "due": r.due_at.isoformat(), "masked": r.is_masked,
              "count": r[4]} for r in tasks]
    items += [{"kind": "poll", "id": r.id, "thread_id": r.thread_id, "title": r.question,
               "due": r.closes_at.isoformat() if r.closes_at else None, "count": r[4]} for r in polls]
    for r in competitions:
        phase = "entry" if now < r.entry_closes_at else ("voting" if now >= r.voting_opens_at else "judging")
        due = r.entry_closes_at if phase == "entry" else r.voting_closes_at
        items.append({"kind": "competition", "id": r.id, "title": r.title, "due": due.isoformat(), "phase": phase,
                      "count": r[5]})
    items.sort(key=lambda item: (item["due"] is None, item["due"] or ""))
    return items[:size]


def _pinned_threads(size: int) -> list[dict]:
    rows = db.session.execute(sa.select(Thread.id, Thread.title, Thread.post_count)
                              .where(Thread.is_pinned_globally.is_(True), Thread.state == PUBLISHED)
                              .order_by(Thread.last_post_at.desc()).limit(size)).all()
    return [{"thread_id": r.id, "title": r.title, "replies": max(r.post_count - 1, 0)} for r in rows]


def _figures(now: datetime) -> dict:
    zone = ZoneInfo(current_app.config["COMMUNITY_TIMEZONE"])
    local_midnight = now.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    member = members_only()
    members = db.session.scalar(sa.select(sa.func.count()).select_from(User).where(member))
    week = window(sa.select(Post.author_id, Post.created_at, Post.state)
                  .where(Post.created_at >= min(now - timedelta(days=7), local_midnight)), "recent_posts")
    posts_today, active_week = db.session.execute(
        sa.select(sa.func.sum(sa.case((sa.and_(week.c.created_at >= local_midnight, week.c.state == PUBLISHED), 1),
                                      else_=0)),
                  sa.func.count(sa.distinct(sa.case((week.c.created_at >= now - timedelta(days=7),
                                                     week.c.author_id)))))
        .select_from(week).join(User, week.c.author_id == User.id).where(member)).one()
    posts_today = int(posts_today or 0)
    return {"members": members, "posts_today": posts_today, "active_week": active_week}


def current_snapshot() -> LandingSnapshot | None:
    return db.session.scalar(sa.select(LandingSnapshot).order_by(LandingSnapshot.id.desc()).limit(1))


def save_announcement(announcement: Announcement | None, *, by: User, title: str, body: str,
                      position: int = 0) -> Announcement:
    """Create or edit a landing announcement (hosts only; audited)."""
    if not policy.can_moderate(by):
        raise DomainError(_("Only hosts can edit announcements."))
    title = clean_title(title, "title")
    html = markdown_html(body or "", "body")
    created = announcement is None
    announcement = announcement or Announcement(created_by_id=by.id)
    announcement.title, announcement.body, announcement.body_html = title, (body or "").strip(), html
    announcement.position = position
    db.session.add(announcement)
    db.session.flush()
    audit.record(by, "announcement.create" if created else "announcement.update", announcement,
                 after={"title": title})
    return announcement


def archive_announcement(announcement: Announcement, *, by: User) -> bool:
    if not policy.can_moderate(by):
        raise DomainError(_("Only hosts can edit announcements."))
    if announcement.archived_at:
        return False
    announcement.archived_at = utcnow()
    audit.record(by, "announcement.archive", announcement)
    return True


__all__ = ["ContentState", "build_hot_panels", "current_snapshot"]
