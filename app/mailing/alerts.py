"""Inquiry alerts: a member's question waits longer than the community's promise, so the hosts hear by email."""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from app import audit
from app.core.settings import set_setting
from app.extensions import db
from app.mailing import outbox, preferences
from app.members.models import User
from app.moderation import inquiries
from app.security.roles import Permission, Role, role_has

PROMISE_SETTING = inquiries.PROMISE_SETTING
DEFAULT_PROMISE_HOURS = inquiries.DEFAULT_PROMISE_HOURS


def promise_hours() -> float:
    return inquiries.promise_hours()


def set_promise_hours(hours: float, *, by: User) -> None:
    """Change the community's answer promise (admins; audited, the caller commits)."""
    before = promise_hours()
    set_setting(PROMISE_SETTING, float(hours), by=by)
    audit.record(by, "settings.inquiry_promise", None, before={"hours": before}, after={"hours": float(hours)})


def hosts_on_duty() -> list[User]:
    """Hosts who may moderate, are not suspended and have not turned the alerts off."""
    roles = [r.value for r in Role if role_has(r, Permission.MODERATE)]
    hosts = db.session.scalars(sa.select(User).where(User.role.in_(roles)).order_by(User.id)).all()
    return [h for h in hosts if outbox.can_receive(h)
            and preferences.mode_for(h.id, "inquiry_alerts") == preferences.IMMEDIATE]


def alert_overdue_inquiries(now: datetime) -> int:
    """Email every host on duty once about each question waiting past the promise; returns emails queued."""
    promise = timedelta(hours=promise_hours())
    overdue = [i for i in inquiries.waiting(now) if i.waiting(now) > promise]
    if not overdue:
        return 0
    hosts = hosts_on_duty()
    queued = 0
    for inquiry in overdue:
        payload = {"template": "inquiry_alert", "category": "inquiry_alerts", "title": inquiry.thread.title,
                   "member": inquiry.post.author_name, "hours": int(inquiry.waiting(now).total_seconds() // 3600),
                   "url": f"/p/{inquiry.post.id}"}
        for host in hosts:
            queued += outbox.queue(host, "inquiry_alert", f"inquiry:{inquiry.post.id}:{host.id}", payload,
                                   now=now) is not None
    return queued
