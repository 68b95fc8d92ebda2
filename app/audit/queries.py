"""Reads of the audit log: the filtered list the hosts' and the admins' pages show."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.extensions import db

# What the hosts' audit log shows: moderation of posts, threads, members and the queue (admins see every verb).
MODERATION_VERBS = ("post.", "thread.", "spam.", "canned.", "review.", "flag.", "user.suspend", "user.unsuspend",
                    "user.message", "user.vip", "user.trust", "member.trust")


def _only(prefixes: tuple[str, ...]) -> sa.ColumnElement[bool]:
    return sa.or_(*(AuditEvent.verb.startswith(prefix, autoescape=True) for prefix in prefixes))


def audit_events(*, actor: str = "", verb: str = "", target: str = "", start: datetime | None = None,
                 end: datetime | None = None, only: tuple[str, ...] | None = None) -> sa.Select:
    """Audit events, newest first: actor name containing ``actor``, verb starting with ``verb``, within the days;
    with ``only``, just the verbs starting with one of those prefixes."""
    select = sa.select(AuditEvent).order_by(AuditEvent.id.desc())
    if only:
        select = select.where(_only(only))
    if actor:
        select = select.where(AuditEvent.actor_name.icontains(actor, autoescape=True))
    if verb:
        select = select.where(AuditEvent.verb.istartswith(verb, autoescape=True))
    if target:
        select = select.where(AuditEvent.target_type == target)
    if start:
        select = select.where(AuditEvent.created_at >= start)
    if end:
        select = select.where(AuditEvent.created_at <= end)
    return select


def audit_target_types(only: tuple[str, ...] | None = None) -> list[str]:
    """The kinds of object the audit log names (among ``only``'s verbs), alphabetically: the filter's choices."""
    select = sa.select(AuditEvent.target_type).distinct().where(AuditEvent.target_type.is_not(None))
    if only:
        select = select.where(_only(only))
    return sorted(db.session.scalars(select).all())
