"""Reading query-string parameters the same way everywhere."""
from __future__ import annotations

from datetime import UTC, datetime, time

from flask import request


def day_arg(name: str, *, end: bool = False) -> datetime | None:
    """A YYYY-MM-DD query parameter as the start (or, with ``end``, the last moment) of that UTC day; None if absent
    or malformed, so a bad filter value narrows nothing instead of failing."""
    try:
        value = datetime.strptime(request.args.get(name) or "", "%Y-%m-%d").date()
    except ValueError:
        return None
    return datetime.combine(value, time.max if end else time.min, tzinfo=UTC)
