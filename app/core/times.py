"""Form times are in the member's own time zone; the database stores UTC."""
from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_login import current_user


def member_zone() -> ZoneInfo:
    try:
        return ZoneInfo(getattr(current_user, "timezone", None) or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def to_utc(value: datetime | None) -> datetime | None:
    """A naive form value read in the member's time zone, as aware UTC."""
    return value.replace(tzinfo=member_zone()).astimezone(UTC) if value else None


def to_local(value: datetime | None) -> datetime | None:
    """An aware UTC value as the naive local time a datetime-local input shows."""
    return value.astimezone(member_zone()).replace(tzinfo=None) if value else None
