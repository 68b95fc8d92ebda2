"""Searching posts a member can see, with filters and highlighted snippets."""
from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from app.db import ContentState
from app.extensions import db, read_connection
from app.forum.models import Category, Post, Thread
from app.search.index import TABLE
from app.text.markup import html_to_text
from app.text.segment import search_tokens

PER_PAGE = 20


@dataclass
class Hit:
    post_id: int
    thread_id: int
    number: int
    title: str
    category: str
    author_name: str
    created_at: datetime
    snippet: str  # escaped HTML with <mark> around the matched words


CANDIDATES = 2000  # "best match" ranks the newest matches only (bm25's IDF still counts every match of each word)
PUBLISHED = ContentState.PUBLISHED.value
NEWEST, BEST = "newest", "best"
ORDERS = (NEWEST, BEST)
LAST_PAGE = CANDIDATES // PER_PAGE  # either order lists at most this many pages (deep offsets walk every match)
NARROW_BELOW = 100_000  # a date range with fewer posts than this is walked through the date index
EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=UTC), datetime(9999, 1, 1, tzinfo=UTC)


def _index(dialect: str) -> tuple[sa.ColumnElement, sa.ColumnElement[bool], sa.ColumnElement]:
    """The index's post id column, its "matches ``:q``" condition and its relevance rank (lower is better)."""
    if dialect == "sqlite":
        index = sa.table(TABLE, sa.column("rowid"))
        return index.c.rowid, sa.text(f"{TABLE} MATCH :q"), sa.literal_column(f"bm25({TABLE})")
    tsquery = sa.func.plainto_tsquery("simple", sa.bindparam("q"))
    index = sa.table(TABLE, sa.column("post_id"), sa.column("document"))
    return index.c.post_id, index.c.document.op("@@")(tsquery), -sa.func.ts_rank(index.c.document, tsquery)


def _match(dialect: str, conditions: list, *, ranked: bool, narrow: bool) -> sa.Select:
    """The visible posts that match ``:q`` and pass the filters, newest first; ``ranked`` adds a relevance rank
    and cuts them to the newest ``:candidates``.

    The filters are applied before any cut, so a filter for an old date range or a quiet category still finds its
    posts when the word is common elsewhere. Usually the index's matches are walked newest first and the first
    ones that pass are kept (a LIMIT stops the walk early). ``narrow`` turns that round for a date range that
    holds few posts: its posts are walked through the date index and kept when the word index lists them, since
    walking the matches would pass every newer match first.
    """
    rowid, matches, rank = _index(dialect)
    if narrow:
        # "+ 0" and "|| ''" keep SQLite from walking the primary key with every match or the state indexes: the
        # date index is the one to walk here.
        matched = sa.select(Post.id.label("post_id")).join(Thread, Post.thread_id == Thread.id) \
            .where((Post.id + 0).in_(sa.select(rowid).where(matches)), Post.state + "" == PUBLISHED,
                   Thread.state + "" == PUBLISHED).order_by(Post.id.desc())
    else:
        # Visibility is read per candidate (two primary-key lookups), so its cost stays the same however many
        # posts moderation has hidden or quarantined over the years.
        matched = sa.select(rowid.label("post_id")).where(matches).join(Post, Post.id == rowid) \
            .join(Thread, Post.thread_id == Thread.id) \
            .where(Post.state == PUBLISHED, Thread.state == PUBLISHED).order_by(rowid.desc())
    matched = matched.where(*conditions)
    if ranked:
        matched = matched.add_columns(rank.label("rank")).limit(sa.bindparam("candidates"))
    return matched


@functools.lru_cache(maxsize=64)
def _page_query(dialect: str, *, order: str, category: bool, author: str | None, start: bool, end: bool,
                narrow: bool = False) -> sa.Select:
    """The statement for one page of hits, built once per order and combination of filters; values come as
    parameters.

    (The author stays a literal: SQLAlchemy escapes LIKE wildcards only in literal strings.)
    """
    conditions = []
    if category:
        conditions.append(Thread.category_id == sa.bindparam("category_id"))
    if author:
        conditions.append(Post.author_name.icontains(author, autoescape=True))
    if start:
        conditions.append(Post.created_at >= sa.bindparam("start"))
    if end:
        conditions.append(Post.created_at <= sa.bindparam("end"))
    # Cut the page before joining for the shown columns, so only this page's rows are read.
    if order == BEST:
        matched = _match(dialect, conditions, ranked=True, narrow=False).subquery("matched")
        page = sa.select(matched).order_by(matched.c.rank, matched.c.post_id.desc())
    else:  # newest first: the scan stops as soon as the page is full
        page = _match(dialect, conditions, ranked=False, narrow=narrow)
    page = page.offset(sa.bindparam("offset")).limit(sa.bindparam("limit")).subquery("page")
    by = (page.c.rank, page.c.post_id.desc()) if order == BEST else (page.c.post_id.desc(),)
    return (sa.select(Post.id, Post.thread_id, Post.number, Post.author_name, Post.created_at, Post.body_html,
                      Thread.title, Category.name)
            .select_from(page).join(Post, Post.id == page.c.post_id).join(Thread, Post.thread_id == Thread.id)
            .join(Category, Thread.category_id == Category.id).order_by(*by))


def page_in_range(page: int | None) -> int:
    """The page number a search shows for a requested one: 1 to LAST_PAGE."""
    return min(max(page or 1, 1), LAST_PAGE)


def search(q: str, *, category_id: int | None = None, author: str | None = None, start: datetime | None = None,
           end: datetime | None = None, page: int = 1, order: str = NEWEST) -> tuple[list[Hit], bool]:
    """Published posts in published threads matching every word of ``q``, newest first or (``order="best"``)
    the best matches among the newest ``CANDIDATES``; returns hits and whether more exist."""
    if order not in ORDERS:
        raise ValueError(f"unknown search order {order!r}")
    page = page_in_range(page)
    tokens = [t for t in search_tokens(q) if t.strip()][:12]
    if not tokens:
        return [], False
    dialect = db.session.get_bind().dialect.name
    narrow = bool(order == NEWEST and (start or end) and _posts_between(start, end) < NARROW_BELOW)
    if narrow:  # with both ends SQLite walks the date index; with one it would rather scan every post
        start, end = start or EARLIEST, end or LATEST
    query = _page_query(dialect, order=order, category=bool(category_id), author=author or None, start=bool(start),
                        end=bool(end), narrow=narrow)
    if dialect == "sqlite":  # every word as an FTS5 string, so no word is read as an operator
        words = " ".join('"' + t.replace('"', '""') + '"' for t in tokens)
    else:
        words = " ".join(tokens)
    params = {"q": words, "candidates": CANDIDATES, "offset": (page - 1) * PER_PAGE, "limit": PER_PAGE + 1,
              "category_id": category_id, "start": start, "end": end}
    rows = read_connection().execute(query, params).all()
    hits = [Hit(r.id, r.thread_id, r.number, r.title, r.name, r.author_name, r.created_at,
                snippet(html_to_text(r.body_html), tokens)) for r in rows[:PER_PAGE]]
    return hits, len(rows) > PER_PAGE and page < LAST_PAGE


_FIRST_AFTER = sa.select(Post.id).where(Post.created_at >= sa.bindparam("at", type_=Post.created_at.type)) \
    .order_by(Post.created_at).limit(1)
_LAST_BEFORE = sa.select(Post.id).where(Post.created_at <= sa.bindparam("at", type_=Post.created_at.type)) \
    .order_by(Post.created_at.desc()).limit(1)
# Apart: SQLite answers a lone min() or max() of the id from the end of the table, but scans for both at once.
_LOWEST, _HIGHEST = sa.select(sa.func.min(Post.id)), sa.select(sa.func.max(Post.id))


def _posts_between(start: datetime | None, end: datetime | None) -> int:
    """About how many posts were written between two moments, from two lookups in the date index.

    Ids mostly follow creation times, so the ids of the first post after ``start`` and the last before ``end``
    bound the range. Imported posts can break that order; this only chooses how to walk, never what is found.
    """
    connection = read_connection()
    first = connection.scalar(_FIRST_AFTER, {"at": start}) if start else connection.scalar(_LOWEST)
    last = connection.scalar(_LAST_BEFORE, {"at": end}) if end else connection.scalar(_HIGHEST)
    if first is None or last is None:
        return 0
    return max(last - first, 0)


def snippet(text: str, tokens: list[str], width: int = 80) -> str:
    """An escaped excerpt around the first match with every matched word wrapped in <mark>."""
    text = " ".join(text.split())
    lowered = text.lower()
    positions = [lowered.find(t.lower()) for t in tokens if lowered.find(t.lower()) >= 0]
    start = max(min(positions) - width // 2, 0) if positions else 0
    excerpt = text[start:start + width * 2]
    escaped = html.escape(excerpt)
    words = sorted({html.escape(t) for t in tokens if t}, key=len, reverse=True)
    if words:
        pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
        escaped = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)
    return ("…" if start else "") + escaped + ("…" if start + width * 2 < len(text) else "")
