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
from app.members.models import User
from app.search.index import TABLE
from app.text.markup import html_to_text
from app.text.segment import search_tokens

PER_PAGE = 20


@dataclass(frozen=True)
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
MAX_AUTHORS = 100  # an author text matching more members than this is checked on each match instead (see _authors)
AUTHOR_POSTS_BELOW = 20_000  # likewise when the matched members wrote this many posts between them
FEW_POSTS = 50  # on SQLite, newest first, members with at most this many posts have them walked (see _their_posts)
POSTS, MEMBERS, NAMES = "posts", "members", "names"  # how the author filter applies: see _authors


def _index(dialect: str) -> tuple[sa.ColumnElement, sa.ColumnElement[bool], sa.ColumnElement]:
    """The index's post id column, its "matches ``:q``" condition and its relevance rank (lower is better)."""
    if dialect == "sqlite":
        index = sa.table(TABLE, sa.column("rowid"))
        return index.c.rowid, sa.text(f"{TABLE} MATCH :q"), sa.literal_column(f"bm25({TABLE})")
    tsquery = sa.func.plainto_tsquery("simple", sa.bindparam("q"))
    index = sa.table(TABLE, sa.column("post_id"), sa.column("document"))
    return index.c.post_id, index.c.document.op("@@")(tsquery), -sa.func.ts_rank(index.c.document, tsquery)


def _by_members(dialect: str, rowid: sa.ColumnElement) -> list[sa.ColumnElement[bool]]:
    """Conditions keeping the matches written by the members in ``:author_ids``.

    PostgreSQL picks its plan from statistics. On SQLite each FTS5 lookup is a fresh query (50-250 µs), so the
    matches are walked newest first and checked against the members' post ids, read once from the author index.
    """
    ids = sa.bindparam("author_ids", expanding=True)
    if dialect != "sqlite":
        return [Post.author_id.in_(ids)]
    written = sa.select(Post.id).where(Post.author_id.in_(ids))
    first = sa.select(sa.func.min(Post.id)).where(Post.author_id.in_(ids)).scalar_subquery()
    last = sa.select(sa.func.max(Post.id)).where(Post.author_id.in_(ids)).scalar_subquery()
    return [(rowid + 0).in_(written), rowid >= first, rowid <= last]


def _their_posts(dialect: str, conditions: list) -> sa.Select:
    """The visible posts of the members in ``:author_ids`` that match ``:q``, newest first, for members with
    few posts: their posts are walked through the author index and each is looked up in the word index.

    SQLite only, and newest first only: each FTS5 lookup is a query of its own (about 50-250 microseconds, and
    bm25() would recount the word's documents on every one), which pays off only for a handful of posts.
    """
    rowid, matches, _ = _index(dialect)
    listed = sa.select(rowid).where(matches, rowid == Post.id).exists()
    # "|| ''" keeps SQLite off the state indexes: the author index is the one to walk.
    return sa.select(Post.id.label("post_id")).join(Thread, Post.thread_id == Thread.id) \
        .where(Post.author_id.in_(sa.bindparam("author_ids", expanding=True)), Post.state + "" == PUBLISHED,
               Thread.state + "" == PUBLISHED, *conditions, listed).order_by(Post.id.desc())


def _match(dialect: str, conditions: list, *, ranked: bool, narrow: bool, members: bool = False) -> sa.Select:
    """The visible posts matching ``:q`` that pass the filters, newest first (``ranked``: ranked, newest
    ``:candidates`` only). Filters apply before any cut, so an old date range still finds its posts.

    ``narrow`` walks the date range's posts and checks the word index (see _narrow); ``members`` keeps the posts
    of ``:author_ids`` (see _by_members). The two are never combined.
    """
    rowid, matches, rank = _index(dialect)
    if members:
        conditions = [*conditions, *_by_members(dialect, rowid)]
    if narrow and dialect != "sqlite":
        # Newest by date, so PostgreSQL can walk the date index backwards and stop when the page is full, or, for
        # a rare word, collect its matches from the word index first: its statistics choose.
        listed = sa.select(rowid).where(matches, rowid == Post.id).exists()
        matched = sa.select(Post.id.label("post_id"), Post.created_at.label("created_at")) \
            .join(Thread, Post.thread_id == Thread.id) \
            .where(listed, Post.state == PUBLISHED, Thread.state == PUBLISHED) \
            .order_by(Post.created_at.desc(), Post.id.desc())
    elif narrow:
        # "+ 0" and "|| ''" keep SQLite from walking the primary key with every match or the state indexes: the
        # date index is the one to walk here.
        matched = sa.select(Post.id.label("post_id")).join(Thread, Post.thread_id == Thread.id) \
            .where((Post.id + 0).in_(sa.select(rowid).where(matches)), Post.state + "" == PUBLISHED,
                   Thread.state + "" == PUBLISHED).order_by(Post.id.desc())
    else:
        # Visibility is read per candidate (two primary-key lookups), so its cost stays the same however many
        # posts moderation has hidden or quarantined over the years. With the members' id range on the index,
        # "+ 0" keeps SQLite from carrying that range over to the posts and walking them instead.
        post_id = rowid + 0 if members and dialect == "sqlite" else rowid
        matched = sa.select(rowid.label("post_id")).where(matches).join(Post, Post.id == post_id) \
            .join(Thread, Post.thread_id == Thread.id) \
            .where(Post.state == PUBLISHED, Thread.state == PUBLISHED).order_by(rowid.desc())
    matched = matched.where(*conditions)
    if ranked:
        matched = matched.add_columns(rank.label("rank")).limit(sa.bindparam("candidates"))
    return matched


# Members whose display name contains the author text: both sides casefolded, as display_name_key is stored.
_NAMED = sa.select(User.id).where(User.display_name_key.like(sa.bindparam("author_pattern"), escape="/"))
_NAMED_COUNTED = sa.select(User.id, User.post_count).where(User.display_name_key.like(
    sa.bindparam("author_pattern"), escape="/")).limit(sa.bindparam("cap"))


def _author_pattern(author: str) -> str:
    """A LIKE pattern (escape character "/") for ``author`` anywhere in a casefolded name, wildcards literal."""
    escaped = author.casefold().replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"%{escaped}%"


def _authors(pattern: str, dialect: str, order: str) -> tuple[str | None, list[int]]:
    """How the author filter applies to the members whose name matches ``pattern``, and their ids (plan None
    when no member matches).

    Usually by the members' ids (MEMBERS); on SQLite, members with few posts have their posts walked (POSTS);
    when many members or posts match, each match's author is checked inside the statement (NAMES).
    """
    rows = read_connection().execute(_NAMED_COUNTED, {"author_pattern": pattern, "cap": MAX_AUTHORS + 1}).all()
    if not rows:
        return None, []
    posts = sum(r.post_count or 0 for r in rows)
    if len(rows) > MAX_AUTHORS or posts >= AUTHOR_POSTS_BELOW:
        return NAMES, []
    few = dialect == "sqlite" and order == NEWEST and posts <= FEW_POSTS
    return POSTS if few else MEMBERS, [r.id for r in rows]


@functools.lru_cache(maxsize=64)
def _page_query(dialect: str, *, order: str, category: bool, author: str | None, start: bool, end: bool,
                narrow: bool = False) -> sa.Select:
    """The statement for one page of hits, built once per order and combination of filters; values come as
    parameters. ``author`` is how the author filter applies (POSTS, MEMBERS, NAMES or None, see _authors).
    """
    conditions = []
    if category:
        conditions.append(Thread.category_id == sa.bindparam("category_id"))
    if author == NAMES:  # their posts are common: each walked post is checked ("+ 0": SQLite walks no author's)
        conditions.append((Post.author_id + 0 if dialect == "sqlite" else Post.author_id).in_(_NAMED))
    if start:
        conditions.append(Post.created_at >= sa.bindparam("start"))
    if end:
        conditions.append(Post.created_at <= sa.bindparam("end"))
    # Cut the page before joining for the shown columns, so only this page's rows are read.
    members = author == MEMBERS
    if order == BEST:
        matched = _match(dialect, conditions, ranked=True, narrow=False, members=members).subquery("matched")
        page = sa.select(matched).order_by(matched.c.rank, matched.c.post_id.desc())
    elif author == POSTS:
        page = _their_posts(dialect, conditions)
    else:  # newest first: the scan stops as soon as the page is full
        page = _match(dialect, conditions, ranked=False, narrow=narrow, members=members)
    page = page.offset(sa.bindparam("offset")).limit(sa.bindparam("limit")).subquery("page")
    if order == BEST:
        by = (page.c.rank, page.c.post_id.desc())
    elif narrow and dialect != "sqlite":
        by = (page.c.created_at.desc(), page.c.post_id.desc())
    else:
        by = (page.c.post_id.desc(),)
    return (sa.select(Post.id, Post.thread_id, Post.number, Post.author_name, Post.created_at, Post.body_html,
                      Thread.title, Category.name)
            .select_from(page).join(Post, Post.id == page.c.post_id).join(Thread, Post.thread_id == Thread.id)
            .join(Category, Thread.category_id == Category.id).order_by(*by))


# For the rest of the request's transaction. How a search should walk depends on its words: psycopg prepares a
# statement it sees often and PostgreSQL would then reuse one generic plan for every word, so each search is
# planned for its own values. Parallel workers cost more to start than a page of hits takes, and their estimates
# made a backward walk of a whole year of posts look cheap for a word in 0.2% of them (1,087 ms against 14 ms
# through the word index, at 300,000 posts).
_PLAN_EACH_SEARCH = "SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL max_parallel_workers_per_gather = 0"


def page_in_range(page: int | None) -> int:
    """The page number a search shows for a requested one: 1 to LAST_PAGE."""
    return min(max(page or 1, 1), LAST_PAGE)


def search(q: str, *, category_id: int | None = None, author: str | None = None, start: datetime | None = None,
           end: datetime | None = None, page: int = 1, order: str = NEWEST) -> tuple[list[Hit], bool]:
    """Published posts in published threads matching every word of ``q``, newest first or (``order="best"``)
    the best matches among the newest ``CANDIDATES``; returns hits and whether more exist.

    ``author`` keeps the posts of members whose current display name contains it, ignoring case; a renamed
    member's older posts are found by the new name (each hit still shows the name it was written under).
    """
    if order not in ORDERS:
        raise ValueError(f"unknown search order {order!r}")
    page = page_in_range(page)
    tokens = query_tokens(q)
    if not tokens:
        return [], False
    dialect = db.session.get_bind().dialect.name
    params = {"candidates": CANDIDATES, "offset": (page - 1) * PER_PAGE, "limit": PER_PAGE + 1,
              "category_id": category_id, "author_pattern": _author_pattern(author) if author else None}
    plan, params["author_ids"] = _authors(params["author_pattern"], dialect, order) if author else (None, [])
    if author and plan is None:
        return [], False  # no member goes by that name
    narrow = _narrow(dialect, order, plan, start, end)
    if narrow and dialect == "sqlite":  # with both ends SQLite walks the date index; with one it scans every post
        start, end = start or EARLIEST, end or LATEST
    query = _page_query(dialect, order=order, category=bool(category_id), author=plan, start=bool(start),
                        end=bool(end), narrow=narrow)
    if dialect == "postgresql":
        read_connection().exec_driver_sql(_PLAN_EACH_SEARCH)
    if dialect == "sqlite":  # every word as an FTS5 string, so no word is read as an operator
        params["q"] = " ".join('"' + t.replace('"', '""') + '"' for t in tokens)
    else:
        params["q"] = " ".join(tokens)
    rows = read_connection().execute(query, {**params, "start": start, "end": end}).all()
    hits = [Hit(r.id, r.thread_id, r.number, r.title, r.name, r.author_name, r.created_at,
                _excerpt(r.body_html, tokens)) for r in rows[:PER_PAGE]]
    return hits, len(rows) > PER_PAGE and page < LAST_PAGE


@functools.lru_cache(maxsize=1024)
def query_tokens(q: str) -> tuple[str, ...]:
    """The words a search looks for (at most 12), memoised: members repeat searches, and segmenting Chinese
    costs more than the search's own statement (search's tokenizer never changes once loaded)."""
    return tuple(t for t in search_tokens(q) if t.strip())[:12]


@functools.lru_cache(maxsize=2048)
def _excerpt(body_html: str, tokens: tuple[str, ...]) -> str:
    """A hit's highlighted excerpt (``snippet``), memoised on the post's HTML and the words."""
    return snippet(html_to_text(body_html), list(tokens))


def _narrow(dialect: str, order: str, plan: str | None, start: datetime | None, end: datetime | None) -> bool:
    """Whether a newest-first search walks the posts of its date range rather than the word's matches.

    On SQLite, when the range holds fewer than NARROW_BELOW posts and no member list narrows the walk instead.
    On PostgreSQL, whenever a date is given without a list of members: the statement then orders by date, so
    the planner can walk the date index or the word index, whichever its statistics favour; with a list of
    members it already chooses the walk itself.
    """
    if order != NEWEST or not (start or end) or plan not in (None, NAMES):
        return False
    return dialect != "sqlite" or _posts_between(start, end) < NARROW_BELOW


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
