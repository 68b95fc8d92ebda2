"""What a transcript export covers: the filter, its validation, and the SQL restrictions shared by every source."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from app.core.exceptions import DomainError
from app.extensions import db
from app.forum.models import Category, Thread
from app.members.models import User
from app.members.queries import taking_part_in_research
from app.research.models import Code
from app.security.roles import Permission, Role, role_has
from app.segments.models import MemberSegment, SegmentAttribute, SegmentValue
from app.segments.services import attributes

IDENTITIES = ("pseudonym", "display_name", "none")
QUOTES = ("keep", "drop")  # quoted text: kept (attributed in the identity format) or dropped
SOURCES = ("include_posts", "include_tasks", "include_polls", "include_competitions")
HOST_ROLES = [role.value for role in Role if role_has(role, Permission.MODERATE)]


@dataclass
class TranscriptFilter:
    """What to export; every field is JSON-friendly so an ExportRun can store it."""

    category_ids: list[int] = field(default_factory=list)
    thread_ids: list[int] = field(default_factory=list)
    date_from: str | None = None  # YYYY-MM-DD, inclusive, UTC
    date_to: str | None = None
    include_posts: bool = True
    include_tasks: bool = False
    include_polls: bool = False
    include_competitions: bool = False
    include_hosts: bool = True
    include_moderated: bool = False
    identity: str = "pseudonym"
    quotes: str = "keep"
    scrub: bool = True
    code_ids: list[int] = field(default_factory=list)
    segments: dict[str, list[str]] = field(default_factory=dict)  # attribute key -> accepted values

    @classmethod
    def from_params(cls, params: dict) -> TranscriptFilter:
        known = {k: v for k, v in (params or {}).items() if k in cls.__dataclass_fields__}
        return cls(**known)


def parse_segment_options(options: list[str] | tuple[str, ...]) -> dict[str, list[str]]:
    """``key=value`` strings (from the form or ``--segment``) to key -> values; values of one key are alternatives."""
    found: dict[str, list[str]] = {}
    for option in options:
        key, sep, value = (option or "").partition("=")
        key, value = key.strip().lower(), value.strip()
        if not sep or not key or not value:
            raise DomainError(_("Write a segment filter as key=value, e.g. age_band=25-34 (got “%(option)s”).",
                                option=option), "segments")
        values = found.setdefault(key, [])
        if value not in values:
            values.append(value)
    return found


def check_filter(spec: TranscriptFilter) -> None:
    """Refuse a filter that names nothing to export, an unknown segment attribute or value, or an unknown code."""
    if not any(getattr(spec, name) for name in SOURCES):
        raise DomainError(_("Choose at least one kind of content to export."), "include_posts")
    if spec.identity not in IDENTITIES:
        raise DomainError(_("Choose pseudonym, display name or none."), "identity")
    if spec.quotes not in QUOTES:
        raise DomainError(_("Choose to keep or to drop quoted text."), "quotes")
    if spec.identity == "pseudonym" and not current_app.config.get("SECRET_KEY"):
        raise DomainError(_("Pseudonyms need the community's secret key: set TEAHOUSE_SECRET_KEY."), "identity")
    for day, name in ((spec.date_from, "date_from"), (spec.date_to, "date_to")):
        try:
            _day(day, end=False)
        except ValueError as error:
            raise DomainError(_("Dates are written YYYY-MM-DD."), name) from error
    if spec.date_from and spec.date_to and spec.date_from > spec.date_to:
        raise DomainError(_("The start date is after the end date."), "date_to")
    _check_ids(spec)
    _check_segments(spec.segments)
    _check_codes(spec.code_ids)


def _check_ids(spec: TranscriptFilter) -> None:
    """Refuse category and thread ids that do not exist, rather than export nothing."""
    if missing := _missing(Category, spec.category_ids):
        raise DomainError(_("Unknown category: %(ids)s.", ids=missing), "categories")
    if missing := _missing(Thread, spec.thread_ids):
        raise DomainError(_("Unknown thread: %(ids)s.", ids=missing), "thread_ids")


def _missing(model, ids: list[int]) -> str:
    wanted = {int(i) for i in ids}
    storable = {i for i in wanted if 0 < i < 2**31}  # larger ids cannot exist (and PostgreSQL would refuse them)
    found = set(db.session.scalars(sa.select(model.id).where(model.id.in_(storable)))) if storable else set()
    return ", ".join(map(str, sorted(wanted - found)))


def _check_segments(segments: dict[str, list[str]]) -> None:
    known = {a.key: a for a in attributes()}
    for key, values in segments.items():
        attribute = known.get(key)
        if attribute is None:
            raise DomainError(_("There is no segment attribute “%(key)s” (attributes: %(known)s).", key=key,
                                known=", ".join(sorted(known)) or "-"), "segments")
        allowed = [v.value for v in attribute.values]
        for value in values:
            if value not in allowed:
                raise DomainError(_("“%(value)s” is not a value of %(key)s (allowed: %(allowed)s).", value=value,
                                    key=key, allowed=", ".join(allowed)), "segments")


def _check_codes(code_ids: list[int]) -> None:
    if code_ids:
        found = set(db.session.scalars(sa.select(Code.id).where(Code.id.in_(code_ids))))
        if missing := sorted(set(code_ids) - found):
            raise DomainError(_("Unknown code: %(ids)s.", ids=", ".join(map(str, missing))), "code_ids")


def resolve_codes(names_or_ids: list[str] | tuple[str, ...]) -> list[int]:
    """Code ids from names or ids (the CLI's ``--code``)."""
    ids = []
    for item in names_or_ids:
        item = item.strip()
        code = db.session.get(Code, int(item)) if item.isdigit() else db.session.scalar(
            sa.select(Code).where(Code.name == item))
        if code is None:
            raise DomainError(_("Unknown code: %(ids)s.", ids=item), "code_ids")
        ids.append(code.id)
    return ids


def _day(value: str | None, *, end: bool) -> datetime | None:
    if not value:
        return None
    day = date.fromisoformat(value)
    return datetime.combine(day, time.max if end else time.min, tzinfo=UTC)


def restrict_dates(select: sa.Select, column, spec: TranscriptFilter) -> sa.Select:
    if (start := _day(spec.date_from, end=False)):
        select = select.where(column >= start)
    if (end := _day(spec.date_to, end=True)):
        select = select.where(column <= end)
    return select


def restrict_people(select: sa.Select, user_column, spec: TranscriptFilter) -> sa.Select:
    """Consent, hosts and segment filters on the author; the select must outer-join ``User`` on ``user_column``.
    Members count only while they take part in research (consented, not withdrawn); hosts speak for the community
    and need no consent; a deleted author's rows (no user) stay."""
    select = select.where(sa.or_(User.id.is_(None), User.role.in_(HOST_ROLES), taking_part_in_research()))
    if not spec.include_hosts:
        select = select.where(sa.or_(User.role.is_(None), User.role.not_in(HOST_ROLES)))
    for key, values in spec.segments.items():
        select = select.where(user_column.in_(_members_with(key, values)))
    return select


def _members_with(key: str, values: list[str]) -> sa.Select:
    return (sa.select(MemberSegment.user_id)
            .join(SegmentAttribute, SegmentAttribute.id == MemberSegment.attribute_id)
            .join(SegmentValue, SegmentValue.id == MemberSegment.value_id)
            .where(SegmentAttribute.key == key, SegmentValue.value.in_(values)))
