"""The health dashboard's figures and charts, and the one-click "invite back" email to a quiet member."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import format_date
from flask_babel import gettext as _

from app import audit
from app.core.exceptions import DomainError
from app.mailing import outbox
from app.members.models import User
from app.pulse import charts, queries
from app.pulse.rollup import community_zone, day_of


def dashboard(now: datetime, period: int, quiet_days: int) -> dict:
    """Everything the page shows, from the rollup tables (a handful of queries whatever the number of posts)."""
    today = day_of(now, community_zone())
    summary = queries.summarise(queries.health_days(today - timedelta(days=period - 1)))
    days = summary.days
    labels = [format_date(d.day, "MMM d") for d in days]
    figures = {
        "active": charts.chart(_("Active members per day and per week"), labels, [
            (_("daily"), [d.active_members for d in days]), (_("weekly"), [d.weekly_active for d in days])]),
        "new": charts.chart(_("New members per day"), labels, [(_("new members"), [d.new_members for d in days])],
                            kind="bar"),
        "posts": charts.chart(_("Threads and replies per day"), labels, [
            (_("threads"), [d.threads for d in days]), (_("replies"), [d.replies for d in days])], kind="bar"),
        "answered": charts.chart(_("Share of threads answered (%)"), labels, [
            (_("answered"), [round(100 * d.threads_answered / d.threads) if d.threads else None for d in days])]),
        "first_answer": charts.chart(_("Median minutes to a host's first answer"), labels, [
            (_("minutes"), [d.first_answer_minutes for d in days])]),
        "participation": charts.chart(_("Activity participations per 100 active members"), labels, [
            (_("participation"), [round(100 * d.participations / d.active_members) if d.active_members else None
                                  for d in days])]),
    }
    quiet_total, quiet = queries.quiet_members(now, quiet_days)
    return {"summary": summary, "charts": figures, "cohorts": queries.cohorts(), "quiet_total": quiet_total,
            "quiet": quiet, "latest": days[-1] if days else None}


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
