"""The roll_up_health job: one row per community day and the monthly cohorts, so the dashboard reads a few
hundred small rows instead of scanning posts.

Days are the community's days (COMMUNITY_TIMEZONE). Each run recomputes the last week (late replies still answer
a thread) and fills any missing days back to ``BACKFILL_DAYS``; figures for a day are replaced in the job's one
transaction, so readers see the old row or the new one.
"""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from app.competitions.models import CompetitionEntry
from app.core.settings import set_setting
from app.db import ContentState
from app.extensions import db
from app.forum.models import Post, Thread, ThreadRead
from app.members.models import User
from app.moderation import inquiries
from app.polls.models import Ballot
from app.pulse import queries
from app.pulse.models import CohortMonth, DailyHealth, MemberDay
from app.tasks.models import TaskSubmission

BACKFILL_DAYS = 400
RECOMPUTE_DAYS = 7
PUBLISHED = ContentState.PUBLISHED.value


def community_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("COMMUNITY_TIMEZONE") or "UTC")


def day_of(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def day_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(ZoneInfo("UTC"))


def days_to_compute(now: datetime, zone: ZoneInfo) -> list[date]:
    """The last week, plus every day since the first member joined (at most BACKFILL_DAYS) not rolled up yet."""
    today = day_of(now, zone)
    first_member = db.session.scalar(sa.select(sa.func.min(User.created_at)))
    if first_member is None:
        return []
    start = max(day_of(first_member, zone), today - timedelta(days=BACKFILL_DAYS))
    done = set(db.session.scalars(sa.select(DailyHealth.day).where(DailyHealth.day >= start)))
    recent = today - timedelta(days=RECOMPUTE_DAYS)
    span = (today - start).days + 1
    return [d for d in (start + timedelta(days=i) for i in range(span)) if d >= recent or d not in done]


def _moments(columns, start: datetime, end: datetime):
    """(user id, time) pairs of one kind of activity in the window."""
    user, when = columns
    return db.session.execute(sa.select(user, when).where(when >= start, when < end, user.is_not(None)))


def _record_member_days(start: datetime, end: datetime, zone: ZoneInfo) -> None:
    """Who did anything (posted, voted, answered a task, entered a competition, read, visited) on which day."""
    seen: set[tuple[date, int]] = set()
    sources = ((Post.author_id, Post.created_at), (Ballot.user_id, Ballot.updated_at),
               (TaskSubmission.user_id, TaskSubmission.created_at), (CompetitionEntry.user_id,
                                                                    CompetitionEntry.created_at),
               (ThreadRead.user_id, ThreadRead.last_read_at), (User.id, User.last_seen_at))
    for columns in sources:
        seen.update((day_of(when, zone), user_id) for user_id, when in _moments(columns, start, end))
    if not seen:
        return
    days = {day for day, _ in seen}
    known = set(db.session.execute(sa.select(MemberDay.day, MemberDay.user_id).where(MemberDay.day.in_(days))).all())
    fresh = [{"day": day, "user_id": user_id} for day, user_id in sorted(seen - known)]
    for chunk in range(0, len(fresh), 1000):
        db.session.execute(sa.insert(MemberDay), fresh[chunk:chunk + 1000])


def _per_day(rows, zone: ZoneInfo) -> Counter:
    return Counter(day_of(when, zone) for (when,) in rows)


def _answer_minutes(start: datetime, end: datetime, zone: ZoneInfo) -> dict[date, float]:
    """Median minutes from a member's inquiry to the first host answer, by the day it was asked."""
    waits: dict[date, list[float]] = defaultdict(list)
    for inquiry in inquiries.collect(since=start):
        if inquiry.asked_at < end and inquiry.answered_at is not None:
            waits[day_of(inquiry.asked_at, zone)].append((inquiry.answered_at - inquiry.asked_at).total_seconds() / 60)
    return {day: statistics.median(values) for day, values in waits.items()}


def roll_up(now: datetime) -> int:
    """Recompute the daily rows that may have changed and the cohorts; returns how many days were written."""
    zone = community_zone()
    set_setting(queries.QUIET_SETTING, queries.quiet_snapshot(now))  # the dashboard never counts the members
    days = days_to_compute(now, zone)
    if not days:
        return 0
    start, end = day_start(days[0], zone), day_start(days[-1] + timedelta(days=1), zone)
    _record_member_days(start - timedelta(days=6), end, zone)
    posts = db.session.execute(sa.select(Post.created_at, Post.number).where(
        Post.created_at >= start, Post.created_at < end, Post.state == PUBLISHED)).all()
    threads = _per_day([(w,) for w, n in posts if n == 1], zone)
    replies = _per_day([(w,) for w, n in posts if n > 1], zone)
    answered = _per_day(db.session.execute(sa.select(Thread.created_at).where(
        Thread.created_at >= start, Thread.created_at < end, Thread.state == PUBLISHED, Thread.post_count > 1)), zone)
    joined = _per_day(db.session.execute(sa.select(User.created_at).where(User.created_at >= start,
                                                                          User.created_at < end)), zone)
    took_part = Counter()
    for column in (Ballot.created_at, TaskSubmission.created_at, CompetitionEntry.created_at):
        took_part.update(_per_day(db.session.execute(sa.select(column).where(column >= start, column < end)), zone))
    minutes = _answer_minutes(start, end, zone)
    active = dict(db.session.execute(sa.select(MemberDay.day, sa.func.count()).where(MemberDay.day.in_(days))
                                     .group_by(MemberDay.day)).all())
    db.session.execute(sa.delete(DailyHealth).where(DailyHealth.day.in_(days)))
    db.session.execute(sa.insert(DailyHealth), [
        {"day": day, "active_members": active.get(day, 0), "weekly_active": _weekly_active(day),
         "new_members": joined[day], "threads": threads[day], "replies": replies[day],
         "threads_answered": answered[day], "first_answer_minutes": minutes.get(day),
         "participations": took_part[day], "computed_at": now} for day in days])
    roll_up_cohorts(now, zone)
    return len(days)


def _weekly_active(day: date) -> int:
    return db.session.scalar(sa.select(sa.func.count(sa.distinct(MemberDay.user_id))).where(
        MemberDay.day > day - timedelta(days=7), MemberDay.day <= day)) or 0


def _month(day: date) -> date:
    return day.replace(day=1)


def _months_between(first: date, later: date) -> int:
    return (later.year - first.year) * 12 + later.month - first.month


def roll_up_cohorts(now: datetime, zone: ZoneInfo, *, months: int = 12) -> None:
    """For each of the last ``months`` months' new members: how many were active in each month since."""
    this_month = _month(day_of(now, zone))
    index = this_month.year * 12 + this_month.month - 1 - (months - 1)
    first = date(index // 12, index % 12 + 1, 1)
    joined = db.session.execute(sa.select(User.id, User.created_at).where(
        User.created_at >= day_start(first, zone))).all()
    cohort_of = {user_id: _month(day_of(created, zone)) for user_id, created in joined}
    sizes = Counter(cohort_of.values())
    active: dict[tuple[date, int], set[int]] = defaultdict(set)
    if cohort_of:
        rows = db.session.execute(sa.select(MemberDay.user_id, MemberDay.day).where(MemberDay.day >= first))
        for user_id, day in rows:
            cohort = cohort_of.get(user_id)
            if cohort is not None:
                active[(cohort, _months_between(cohort, day))].add(user_id)
    db.session.execute(sa.delete(CohortMonth))
    rows = [{"cohort": cohort, "offset_months": offset, "size": size,
             "active": len(active.get((cohort, offset), ()))}
            for cohort, size in sizes.items() for offset in range(_months_between(cohort, this_month) + 1)]
    if rows:
        db.session.execute(sa.insert(CohortMonth), rows)
