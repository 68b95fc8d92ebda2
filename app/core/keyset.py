"""Keyset pagination for long lists, newest first: each page starts after the last row of the one before it.

``OFFSET`` makes the database walk every row it skips and a page count needs ``COUNT(*)`` over the whole list;
on a million members both cost more the further one goes. Here a page is "the next ``per_page`` rows older than
this one" through an index on (time, id), so page 20,000 costs what page 1 does, and no total is counted: the
links are "newer" and "older", each shown only when there is such a page. The edge is compared as a row value,
``(created_at, id) < (:at, :id)``, which PostgreSQL and SQLite both answer from the index in its order. The cursor in the URL is
``<microseconds since 1970>.<id>`` of the row at the page's edge; anything else in it shows the first page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import request

from app.extensions import db

_CURSOR = re.compile(r"^(-?\d{1,17})\.(\d{1,18})$")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class KeysetPage:
    items: list
    newer: str | None  # cursor for the link to the newer rows (before=…), None on the first page
    older: str | None  # cursor for the link to the older rows (after=…), None on the last page

    @property
    def has_links(self) -> bool:
        return bool(self.newer or self.older)


def encode(moment: datetime, row_id: int) -> str:
    return f"{(moment - _EPOCH) // timedelta(microseconds=1)}.{row_id}"


def decode(cursor: str | None) -> tuple[datetime, int] | None:
    match = _CURSOR.match(cursor or "")
    if not match:
        return None
    try:
        return _EPOCH + timedelta(microseconds=int(match.group(1))), int(match.group(2))
    except OverflowError:
        return None


def keyset_page(select: sa.Select, moment: sa.ColumnElement, row_id: sa.ColumnElement, *, per_page: int,
                after: str | None = None, before: str | None = None) -> KeysetPage:
    """One page of ``select`` (without an ORDER BY) newest first by (``moment``, ``row_id``): the rows older than
    the ``after`` cursor, or the page of rows just newer than the ``before`` cursor, or the first page."""
    older_than, newer_than = decode(after), decode(before)
    _edge = _edger(moment, row_id)
    if newer_than is not None:
        at, key = newer_than
        rows = db.session.scalars(select.where(sa.tuple_(moment, row_id) > sa.tuple_(at, key))
                                  .order_by(moment.asc(), row_id.asc()).limit(per_page + 1)).all()
        if rows:
            more_newer = len(rows) > per_page
            items = list(reversed(rows[:per_page]))
            return KeysetPage(items, _edge(items[0]) if more_newer else None, _edge(items[-1]))
        # nothing newer any more (rows were removed): the first page
    query = select
    if older_than is not None and newer_than is None:
        at, key = older_than
        query = query.where(sa.tuple_(moment, row_id) < sa.tuple_(at, key))
    rows = db.session.scalars(query.order_by(moment.desc(), row_id.desc()).limit(per_page + 1)).all()
    items = list(rows[:per_page])
    newer = _edge(items[0]) if older_than is not None and newer_than is None and items else None
    older = _edge(items[-1]) if len(rows) > per_page else None
    return KeysetPage(items, newer, older)


def _edger(moment, row_id):
    return lambda item: encode(getattr(item, moment.key), getattr(item, row_id.key))


def cursors_from_request() -> dict[str, str | None]:
    return {"after": request.args.get("after"), "before": request.args.get("before")}
