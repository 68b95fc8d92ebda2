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


MAX_ID = 2**63 - 1  # the largest row id either database stores; larger numbers name no row
MAX_PAGE = 10**9  # beyond any real list, and small enough that its OFFSET fits the databases' integers


def id_arg(name: str) -> int | None:
    """A row id from the query string; None if absent, malformed or out of range (a filter on it narrows nothing
    rather than failing)."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value <= MAX_ID else None


def page_arg(name: str = "page") -> int:
    """A page number from the query string: 1 if absent or malformed, kept between 1 and MAX_PAGE."""
    return min(max(request.args.get(name, 1, type=int) or 1, 1), MAX_PAGE)


def paginate(select, **kwargs):
    """``db.paginate`` with the page read by ``page_arg``: an absurd page number shows an empty page, not an
    error about values the database cannot hold."""
    from app.extensions import db

    return db.paginate(select, page=page_arg(), **kwargs)
