"""The health dashboard's figures and charts, and the one-click "invite back" email to a quiet member."""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import format_date
from flask_babel import gettext as _

from app import audit
from app.core.exceptions import DomainError
from app.mailing import outbox
from app.members.models import User
from app.pulse import charts, queries
from app.pulse.rollup import community_zone, day_of

WEEKLY_AFTER_DAYS = 90


def dashboard(now: datetime, period: int, quiet_days: int) -> dict:
    """Everything the page shows, from the rollup tables (a handful of queries whatever the number of posts)."""
    today = day_of(now, community_zone())
    summary = queries.summarise(queries.health_days(today - timedelta(days=period - 1)))
    days = weekly(summary.days) if period > WEEKLY_AFTER_DAYS else summary.days
    labels = [d.day for d in days]

    def chart(title, series, kind="line"):
        return charts.chart(title, labels, series, kind=kind, tick=lambda day: format_date(day, "MMM d"))

    figures = {
        "active": chart(_("Active members per day and per week"), [
            (_("daily"), [d.active_members for d in days]), (_("weekly"), [d.weekly_active for d in days])]),
        "new": chart(_("New members per day"), [(_("new members"), [d.new_members for d in days])], kind="bar"),
        "posts": chart(_("Threads and replies per day"), [
            (_("threads"), [d.threads for d in days]), (_("replies"), [d.replies for d in days])], kind="bar"),
        "answered": chart(_("Share of threads answered (%)"), [
            (_("answered"), [round(100 * d.threads_answered / d.threads) if d.threads else None for d in days])]),
        "first_answer": chart(_("Median minutes to a host's first answer"), [
            (_("minutes"), [d.first_answer_minutes for d in days])]),
        "participation": chart(_("Activity participations per 100 active members"), [
            (_("participation"), [_per_hundred(d) for d in days])]),
    }
    quiet_total, quiet = queries.quiet_members(now, quiet_days)
    return {"summary": summary, "charts": figures, "cohorts": queries.cohorts(), "quiet_total": quiet_total,
            "quiet": quiet, "latest": summary.days[-1] if summary.days else None,
            "per_week": period > WEEKLY_AFTER_DAYS}


@dataclass(frozen=True)
class Week:
    """Seven rolled-up days as one chart point: counts summed, the active figures and medians as the days had
    them (the last day's weekly actives, the median of the daily medians)."""

    day: date
    active_members: float
    weekly_active: int
    new_members: int
    threads: int
    replies: int
    threads_answered: int
    first_answer_minutes: float | None
    participations: int
    active_days: int  # the week's daily actives summed: participations per active member-day, as for a day


def _per_hundred(day) -> int | None:
    """Participations per 100 active member-days."""
    active = getattr(day, "active_days", day.active_members)
    return round(100 * day.participations / active) if active else None


def weekly(days: list) -> list[Week]:
    """Long periods chart one point per week: a year of daily points is noise at this width and slow to draw."""
    weeks = []
    for start in range(0, len(days), 7):
        chunk = days[start:start + 7]
        minutes = [d.first_answer_minutes for d in chunk if d.first_answer_minutes is not None]
        weeks.append(Week(chunk[0].day, sum(d.active_members for d in chunk) / len(chunk), chunk[-1].weekly_active,
                          sum(d.new_members for d in chunk), sum(d.threads for d in chunk),
                          sum(d.replies for d in chunk), sum(d.threads_answered for d in chunk),
                          statistics.median(minutes) if minutes else None, sum(d.participations for d in chunk),
                          sum(d.active_members for d in chunk)))
    return weeks


def invite_back(member: User, *, by: User, now: datetime) -> bool:
    """Queue a friendly "we miss you" email to a quiet member (at most one a day); audited."""
    if not outbox.can_receive(member):
        raise DomainError(_("This member cannot receive email (suspended or consent withdrawn)."))
    queued = outbox.queue(member, "invite_back", f"invite_back:{member.id}:{now:%Y-%m-%d}",
                          {"template": "invite_back", "category": "all", "name": member.display_name,
                           "host": by.host_persona or by.display_name, "url": "/"}, now=now)
    if queued is None:
        return False
    audit.record(by, "member.invite_back", member)
    return True
