"""Reading query-string parameters the same way everywhere."""
from __future__ import annotations

from datetime import UTC, datetime, time

from flask import request

from app.extensions import db


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


def row_id(value) -> int | None:
    """A row id from a request's value (a number or its text); None if absent, malformed or out of range."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None


def id_arg(name: str) -> int | None:
    """A row id from the query string (``row_id``): a filter on a missing or impossible one narrows nothing
    rather than failing."""
    return row_id(request.args.get(name))


def page_arg(name: str = "page") -> int:
    """A page number from the query string: 1 if absent or malformed, kept between 1 and MAX_PAGE."""
    return min(max(request.args.get(name, 1, type=int) or 1, 1), MAX_PAGE)


def paginate(select, **kwargs):
    """``db.paginate`` with the page read by ``page_arg``: an absurd page number shows an empty page, not an
    error about values the database cannot hold."""
    return db.paginate(select, page=page_arg(), **kwargs)
