"""Segment attributes: admins define them and their allowed values; members (or admins, or a CSV) set values."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from app import audit
from app.core.exceptions import DomainError
from app.db import utcnow
from app.extensions import db
from app.members.models import User
from app.members.queries import normalise_email
from app.segments.models import MemberSegment, SegmentAttribute, SegmentValue
from app.text.markup import TextError, clean_line

KEY_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
MAX_VALUES = 50
MAX_IMPORT_ERRORS = 100


def attributes() -> list[SegmentAttribute]:
    return list(db.session.scalars(sa.select(SegmentAttribute).order_by(SegmentAttribute.position,
                                                                        SegmentAttribute.label)))


def _label(value: str, field_name: str, high: int) -> str:
    try:
        value = clean_line(value or "")
    except TextError as error:
        raise DomainError(str(error), field_name) from error
    if not 1 <= len(value) <= high:
        raise DomainError(_("Between 1 and %(n)d characters.", n=high), field_name)
    return value


def _clean_values(values: list[str]) -> list[str]:
    cleaned = [v for v in (_label(v, "values", 80) if v.strip() else "" for v in values) if v]
    if not 1 <= len(cleaned) <= MAX_VALUES:
        raise DomainError(_("Give 1 to %(n)d allowed values, one per line.", n=MAX_VALUES), "values")
    if len({v.casefold() for v in cleaned}) != len(cleaned):
        raise DomainError(_("Allowed values must differ from each other."), "values")
    return cleaned


def save_attribute(attribute: SegmentAttribute | None, *, by: User | None, key: str, label: str, values: list[str],
                   member_editable: bool, position: int = 0) -> SegmentAttribute:
    """Create or change an attribute; a value still held by members cannot be removed."""
    key = (key or "").strip().lower()
    if not KEY_RE.match(key) or key == "email":
        raise DomainError(_("A key has 2 to 40 lowercase letters, digits or _, starts with a letter and is not "
                            "“email”."), "key")
    clash = db.session.scalar(sa.select(SegmentAttribute.id).where(SegmentAttribute.key == key))
    if clash and (attribute is None or clash != attribute.id):
        raise DomainError(_("Another attribute has this key."), "key")
    label, values = _label(label, "label", 80), _clean_values(values)
    created = attribute is None
    before = None if created else {"key": attribute.key, "label": attribute.label,
                                   "values": [v.value for v in attribute.values]}
    if created:
        attribute = SegmentAttribute()
        db.session.add(attribute)
    attribute.key, attribute.label, attribute.member_editable, attribute.position = (
        key, label, member_editable, position)
    _replace_values(attribute, values)
    db.session.flush()
    audit.record(by, "segment.create" if created else "segment.update", attribute, before=before,
                 after={"key": key, "label": label, "values": values}, job=None if by else "cli")
    return attribute


def _replace_values(attribute: SegmentAttribute, values: list[str]) -> None:
    existing = {v.value.casefold(): v for v in attribute.values}
    wanted = {v.casefold() for v in values}
    for gone in [v for k, v in existing.items() if k not in wanted]:
        held = db.session.scalar(sa.select(sa.func.count()).select_from(MemberSegment)
                                 .where(MemberSegment.value_id == gone.id)) if gone.id else 0
        if held:
            raise DomainError(ngettext("“%(value)s” is held by %(num)d member; it cannot be removed.",
                                         "“%(value)s” is held by %(num)d members; it cannot be removed.", held,
                                         value=gone.value), "values")
        attribute.values.remove(gone)
    for position, text in enumerate(values):
        value = existing.get(text.casefold())
        if value is None:
            value = SegmentValue(value=text)
            attribute.values.append(value)
        value.value, value.position = text, position


def delete_attribute(attribute: SegmentAttribute, *, by: User | None) -> None:
    """Remove an attribute with every member's value for it (audited)."""
    held = db.session.scalar(sa.select(sa.func.count()).select_from(MemberSegment)
                             .where(MemberSegment.attribute_id == attribute.id))
    audit.record(by, "segment.delete", attribute, before={"key": attribute.key, "members": held},
                 job=None if by else "cli")
    db.session.delete(attribute)
    db.session.flush()


def values_of(user: User) -> dict[int, int]:
    """The member's value id per attribute id."""
    return dict(db.session.execute(sa.select(MemberSegment.attribute_id, MemberSegment.value_id)
                                   .where(MemberSegment.user_id == user.id)).all())


def segments_for(user_ids: list[int]) -> dict[int, dict[str, str]]:
    """Attribute key -> value per member (for research exports)."""
    found: dict[int, dict[str, str]] = {}
    if user_ids:
        rows = db.session.execute(
            sa.select(MemberSegment.user_id, SegmentAttribute.key, SegmentValue.value)
            .join(SegmentAttribute, SegmentAttribute.id == MemberSegment.attribute_id)
            .join(SegmentValue, SegmentValue.id == MemberSegment.value_id)
            .where(MemberSegment.user_id.in_(user_ids)))
        for user_id, key, value in rows:
            found.setdefault(user_id, {})[key] = value
    return found


def set_values(user: User, chosen: dict[int, int | None], *, by: User | None, source: str,
               now: datetime | None = None, known: list[SegmentAttribute] | None = None) -> int:
    """Set (value id) or clear (None) the member's value per attribute id; returns how many changed.

    Members may only change attributes marked as member-editable; admins and imports change any.
    """
    now = now or utcnow()
    by_id = {a.id: a for a in (known if known is not None else attributes())}
    current = {row.attribute_id: row for row in db.session.scalars(
        sa.select(MemberSegment).where(MemberSegment.user_id == user.id))}
    changed = 0
    for attribute_id, value_id in chosen.items():
        attribute = by_id.get(attribute_id)
        if attribute is None or (source == "member" and not attribute.member_editable):
            raise DomainError(_("Unknown attribute."))
        if value_id is not None and value_id not in {v.id for v in attribute.values}:
            raise DomainError(_("Choose one of the allowed values."), f"attr_{attribute_id}")
        row = current.get(attribute_id)
        if row is not None and value_id is None:
            db.session.delete(row)
        elif row is None and value_id is not None:
            db.session.add(MemberSegment(user_id=user.id, attribute_id=attribute_id, value_id=value_id,
                                         source=source, updated_at=now, updated_by_id=getattr(by, "id", None)))
        elif row is not None and row.value_id != value_id:
            row.value_id, row.source, row.updated_at, row.updated_by_id = value_id, source, now, getattr(by, "id", None)
        else:
            continue
        changed += 1
    db.session.flush()
    if changed and source == "admin":
        audit.record(by, "segment.set_member_values", user, after={"changed": changed})
    return changed


@dataclass
class ImportResult:
    rows: int = 0
    changed: int = 0
    errors: list[str] = field(default_factory=list)
    planned: list[tuple[int, dict[int, int]]] = field(default_factory=list)  # (user id, attribute id -> value id)

    def error(self, message: str) -> None:
        self.errors.append(message)


def _read_csv(data: bytes, result: ImportResult) -> list[tuple[int, list[str]]] | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.error(_("The file is not UTF-8 text (save it as “CSV UTF-8”)."))
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as error:
        result.error(_("Line %(line)d: %(error)s", line=reader.line_num, error=str(error)))
        return None
    if "\x00" in text:
        result.error(_("The file contains a NUL character."))
        return None
    return rows


def _header(header: list[str], known: dict[str, SegmentAttribute], result: ImportResult) -> list[str | None]:
    columns = [h.strip().lower() for h in header]
    if "email" not in columns:
        result.error(_("Line 1: there is no “email” column."))
    for index, name in enumerate(columns):
        if name != "email" and name not in known:
            result.error(_("Line 1: unknown column “%(name)s” (attributes: %(known)s).", name=header[index].strip(),
                           known=", ".join(sorted(known)) or "-"))
        if name and columns.index(name) != index:
            result.error(_("Line 1: the column “%(name)s” appears twice.", name=name))
    return columns


def _users_by_email(emails: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(emails), 500):
        chunk = emails[start:start + 500]
        found.update({email: user_id for user_id, email in db.session.execute(
            sa.select(User.id, User.email).where(User.email.in_(chunk)))})
    return found


def check_import(data: bytes) -> ImportResult:
    """Validate a CSV of email + one column per attribute key; nothing is written."""
    result = ImportResult()
    rows = _read_csv(data, result)
    if rows is None:
        return result
    rows = [(line, row) for line, row in rows if any(cell.strip() for cell in row)]
    if not rows:
        result.error(_("The file is empty."))
        return result
    known = {a.key: a for a in attributes()}
    columns = _header(rows[0][1], known, result)
    if result.errors:
        return result
    emails = {line: normalise_email(row[columns.index("email")]) if len(row) > columns.index("email") else ""
              for line, row in rows[1:]}
    users, seen = _users_by_email(sorted(set(emails.values()))), {}
    for line, row in rows[1:]:
        result.rows += 1
        _check_row(line, row, columns, known, emails[line], users, seen, result)
    return result


def _check_row(line: int, row: list[str], columns: list[str], known: dict[str, SegmentAttribute], email: str,
               users: dict[str, int], seen: dict[str, int], result: ImportResult) -> None:
    if len(row) != len(columns):
        result.error(_("Line %(line)d: %(n)d cells, but the header has %(m)d.", line=line, n=len(row), m=len(columns)))
        return
    if email in seen:
        result.error(_("Line %(line)d: %(email)s already appears on line %(first)d.", line=line, email=email,
                       first=seen[email]))
        return
    seen[email] = line
    if email not in users:
        result.error(_("Line %(line)d: no member has the email “%(email)s”.", line=line, email=email))
        return
    chosen: dict[int, int] = {}
    for name, cell in zip(columns, row):
        cell = cell.strip()
        if name == "email" or not cell:
            continue  # an empty cell leaves the member's value as it is
        attribute = known[name]
        match = next((v for v in attribute.values if v.value.casefold() == cell.casefold()), None)
        if match is None:
            result.error(_("Line %(line)d, column %(column)s: “%(value)s” is not an allowed value (allowed: "
                           "%(allowed)s).", line=line, column=name, value=cell,
                           allowed=", ".join(v.value for v in attribute.values)))
        else:
            chosen[attribute.id] = match.id
    result.planned.append((users[email], chosen))


def import_csv(data: bytes, *, by: User | None, now: datetime | None = None) -> ImportResult:
    """Validate the whole file, then apply it; with any error nothing is applied (the caller commits)."""
    result = check_import(data)
    if result.errors:
        result.planned = []
        return result
    known = attributes()
    for user_id, chosen in result.planned:
        result.changed += set_values(db.session.get(User, user_id), chosen, by=by, source="import", now=now,
                                     known=known)
    audit.record(by, "segment.import", None, after={"rows": result.rows, "changed": result.changed},
                 job=None if by else "cli")
    return result
