"""Reading query-string parameters the same way everywhere."""
from __future__ import annotations

from datetime import UTC, datetime, time

import sqlalchemy as sa
from flask import request
from flask_sqlalchemy.pagination import SelectPagination

from app.extensions import db, read_connection


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


LOOKAHEAD_PAGES = 10  # a list counts its rows no further than this many pages past the one shown


class BoundedPagination(SelectPagination):
    """A page of a list that counts at most ``LOOKAHEAD_PAGES`` pages past itself, never the whole list.

    The pagination links then reach up to that far (the last link is a real page, and from there the next ten
    show); a list that ends sooner gets its exact length, and the last page costs no count at all. A list of a
    million members or threads costs what a list of a few hundred does, on every page but the deep ones (which
    pay for their OFFSET anyway).
    """

    def _query_items(self) -> list:
        if not self._query_args.get("rows"):
            return super()._query_items()
        select = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return self._query_args["session"].execute(select).all()

    def _query_count(self) -> int:
        offset = (self.page - 1) * self.per_page
        if len(self.items) < self.per_page and (self.items or self.page == 1):
            return offset + len(self.items)  # this page is the last one
        cap = (self.page + LOOKAHEAD_PAGES) * self.per_page + 1
        # One constant per row: the databases can count off an index without reading the rows themselves.
        select = self._query_args["select"].with_only_columns(sa.literal(1), maintain_column_froms=True)
        select = select.order_by(None).limit(cap).subquery()
        return self._query_args["session"].execute(sa.select(sa.func.count()).select_from(select)).scalar()


def in_text(name: str, value=None) -> sa.BindParameter:
    """A parameter of a prebuilt statement whose value is written into the SQL text when it runs, not bound: a
    page size or offset, or a constant such as a state ("published"), where the plan depends on the value.

    On PostgreSQL a statement a connection runs often is prepared and then run with one generic plan made without
    the bound values: for ``LIMIT $1`` the planner guesses a tenth of the rows and sorts them all, and for
    ``state = $1`` it cannot tell a rare state from a common one, so it keeps planning each run afresh (or would
    reuse a slow plan). With the values in the text each kind of page (page 1, page 2, …) is its own statement,
    prepared and planned once with the real values. Without ``value`` the parameter is a whole number given when
    the statement runs; with it, a constant of that value.
    """
    return sa.bindparam(name, value, type_=sa.Integer if value is None else None, literal_execute=True)


def bounded_count(select: sa.Select) -> sa.Select:
    """The count ``BoundedPagination`` asks of ``select``, with the cap as the parameter ``cap`` (``in_text``):
    built once beside a prebuilt list statement (``PrebuiltPagination``)."""
    rows = select.with_only_columns(sa.literal(1), maintain_column_froms=True).order_by(None)
    return sa.select(sa.func.count()).select_from(rows.limit(in_text("cap")).subquery())


class PrebuiltPagination(BoundedPagination):
    """``BoundedPagination`` over statements built once (a busy list's): ``items`` takes the bound parameters
    ``limit`` and ``offset``, ``counter`` (``bounded_count``) ``cap``, both any in ``params``. A request then only
    binds values: building and keying a statement costs more than the database takes to run this one. The rows
    are read on the session's connection (``read_connection``), as plain rows."""

    def _query_items(self) -> list:
        values = {**self._query_args["params"], "limit": self.per_page, "offset": self._query_offset}
        return read_connection().execute(self._query_args["items"], values).all()

    def _query_count(self) -> int:
        offset = (self.page - 1) * self.per_page
        if len(self.items) < self.per_page and (self.items or self.page == 1):
            return offset + len(self.items)  # this page is the last one
        values = {**self._query_args["params"], "cap": (self.page + LOOKAHEAD_PAGES) * self.per_page + 1}
        return read_connection().execute(self._query_args["counter"], values).scalar()


def paginate_prebuilt(items: sa.Select, count: sa.Select, params: dict, *, per_page: int = 20) -> PrebuiltPagination:
    """A page of a prebuilt list (``PrebuiltPagination``), the page read by ``page_arg`` as ``paginate`` does."""
    return PrebuiltPagination(items=items, counter=count, params=params, page=page_arg(), per_page=per_page,
                              max_per_page=100, error_out=False)


def paginate(select, *, exact: bool = False, rows: bool = False, per_page: int = 20, max_per_page: int | None = 100,
             error_out: bool = False):
    """A page of ``select`` with the page read by ``page_arg`` (an absurd page number shows an empty page, not an
    error about values the database cannot hold). The total is counted only as far as the links need
    (``BoundedPagination``) unless ``exact`` asks for it, for pages that print it. ``rows`` gives the selected
    columns as rows instead of the first column's objects."""
    if exact:
        return db.paginate(select, page=page_arg(), per_page=per_page, max_per_page=max_per_page,
                           error_out=error_out)
    return BoundedPagination(select=select, session=db.session(), rows=rows, page=page_arg(), per_page=per_page,
                             max_per_page=max_per_page, error_out=error_out)
