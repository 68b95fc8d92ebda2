"""What the health dashboard reads: the rolled-up days and cohorts, and the members who have gone quiet."""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from app.core.settings import get_setting
from app.extensions import db
from app.members.models import User
from app.pulse.models import CohortMonth, DailyHealth
from app.security.roles import Permission, Role, role_has

PERIODS = (7, 30, 90, 365)
QUIET_DAYS = (14, 30, 60, 90)
QUIET_LIST = 30


@dataclass(frozen=True)
class Summary:
    days: list
    answered_share: float | None  # of the period's threads, the share with a reply
    median_answer_minutes: float | None
    participation_rate: float | None  # participations per active member-day


_DAYS = sa.select(DailyHealth.__table__).where(DailyHealth.day >= sa.bindparam("since")).order_by(DailyHealth.day)


def health_days(since: date) -> list[sa.Row]:
    """The rolled-up days since ``since``, as plain rows (a year of them is 365 small rows)."""
    return list(db.session.execute(_DAYS, {"since": since}))


def summarise(days: list[DailyHealth]) -> Summary:
    threads = sum(d.threads for d in days)
    minutes = [d.first_answer_minutes for d in days if d.first_answer_minutes is not None]
    active = sum(d.active_members for d in days)
    return Summary(days, sum(d.threads_answered for d in days) / threads if threads else None,
                   statistics.median(minutes) if minutes else None,
                   sum(d.participations for d in days) / active if active else None)


def cohorts() -> dict[date, list[CohortMonth]]:
    rows = db.session.scalars(sa.select(CohortMonth).order_by(CohortMonth.cohort, CohortMonth.offset_months))
    table: dict[date, list[CohortMonth]] = {}
    for row in rows:
        table.setdefault(row.cohort, []).append(row)
    return table


def _members():
    roles = [r.value for r in Role if role_has(r, Permission.POST) and not role_has(r, Permission.MODERATE)]
    return sa.and_(User.role.in_(roles), User.suspended_at.is_(None), User.consent_withdrawn_at.is_(None))


QUIET_SETTING = "pulse_quiet"  # written by the roll_up_health job: counts per threshold, the quietest members


def _last_visit():
    return sa.func.coalesce(User.last_seen_at, User.created_at)


def quiet_snapshot(now: datetime) -> dict:
    """For the roll_up_health job: how many members have not visited in each of ``QUIET_DAYS`` (one pass over
    the members), and the ids of the ``QUIET_LIST`` quietest. The quietest for any threshold are a prefix of
    these, as both are ordered by the last visit."""
    counts = db.session.execute(sa.select(*[
        sa.func.coalesce(sa.func.sum(sa.case((_last_visit() < now - timedelta(days=days), 1), else_=0)), 0)
        for days in QUIET_DAYS]).where(_members())).one()
    quietest = db.session.scalars(sa.select(User.id).where(_members()).order_by(_last_visit(), User.id)
                                  .limit(QUIET_LIST))
    return {"as_of": now.isoformat(), "counts": {str(days): int(n) for days, n in zip(QUIET_DAYS, counts)},
            "quietest": list(quietest)}


def quiet_members(now: datetime, days: int, *, limit: int = QUIET_LIST) -> tuple[int, list[User]]:
    """Members with no visit in ``days`` days: how many (as of the last roll-up), and the longest-quiet first.

    Two small queries: the job's snapshot, then its quietest members by primary key, kept only while they are
    still quiet now. Before the first roll-up the figures are counted live."""
    cutoff = now - timedelta(days=days)
    quiet = sa.and_(_members(), _last_visit() < cutoff)
    snapshot = get_setting(QUIET_SETTING)
    if snapshot and str(days) in snapshot.get("counts", {}):
        users = {user.id: user for user in db.session.scalars(
            sa.select(User).where(User.id.in_(snapshot["quietest"][:limit]), quiet))}
        return snapshot["counts"][str(days)], [users[i] for i in snapshot["quietest"][:limit] if i in users]
    total = db.session.scalar(sa.select(sa.func.count()).select_from(User).where(quiet)) or 0
    users = list(db.session.scalars(sa.select(User).where(quiet).order_by(_last_visit(), User.id).limit(limit)))
    return total, users
