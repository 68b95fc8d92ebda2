"""Bulk synthetic community data for benchmarks: `flask demo seed --members N --threads N --posts N`.

Core executemany with precomputed ids (COPY on PostgreSQL), ~100,000 posts per transaction; each commit leaves
what the services would have: post numbers, counters, reactions, read marks and the full-text index agree. Text is
pre-rendered sentences.
"""
from __future__ import annotations

import bisect
import heapq
import itertools
import random
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from psycopg.types.json import Json

from app.auth.services import current_consent, publish_consent
from app.db import utcnow
from app.demo.corpus import CATEGORIES, CONSENT, EN_FIRST, EN_WORD, ZH_AFFIX, ZH_GIVEN, Text
from app.extensions import db
from app.forum.models import Category, Post, Reaction, Thread, ThreadRead
from app.members.models import User, new_session_token
from app.members.passwords import hash_password
from app.moderation.spam import text_hash
from app.search.index import TABLE as SEARCH_TABLE
from app.text.markup import render_markdown
from app.text.names import name_keys

COMMIT_EVERY = 100_000  # posts per transaction (and per progress line)
WRITE_EVERY = 20_000  # rows per executemany
DAY = timedelta(days=1)
FOUNDED = timedelta(days=380)  # founding members joined before the oldest bulk thread (at most 365 days old)

class Members:
    """Who posts and upvotes: a few very active members, many quiet ones, nobody active before joining."""

    def __init__(self, rng: random.Random, rows: list[dict], founded: datetime) -> None:
        self.rng = rng  # rows come most active first
        self.ids = [row["id"] for row in rows]
        self.joined = [row["created_at"].timestamp() for row in rows]
        self.names = {row["id"]: row["display_name"] for row in rows}
        self.habit = {row["id"]: rng.choices(("zh", "en", "mix"), (55, 25, 20))[0] for row in rows}
        self.founders = [i for i, row in enumerate(rows) if row["created_at"] <= founded]
        # Lognormal activity: a few members write thousands of posts, many only a handful.
        self.cumulative = list(itertools.accumulate(sorted((rng.lognormvariate(0, 1.4) for _ in rows), reverse=True)))

    def pick(self, at: float) -> int:
        """A member (skewed by activity) who had joined by the timestamp ``at``."""
        for _ in range(8):
            index = bisect.bisect(self.cumulative, self.rng.random() * self.cumulative[-1])
            if self.joined[index] <= at:
                return self.ids[index]
        return self.ids[self.rng.choice(self.founders)]


def seed_bulk(*, members: int, threads: int, posts: int, seed: int,
              progress: Callable[[str], None] = lambda message: None) -> dict:
    """Add members, threads, posts, reactions, read marks and index entries; counters stay consistent."""
    if posts < threads:
        raise ValueError("posts must be at least threads: every thread has an opening post")
    rng, now = random.Random(seed), utcnow()
    text = Text(rng)
    _check_rendering(text)
    consent_version, categories = _ensure_consent(), _ensure_categories(now)
    settings = _SqliteLoadSettings()
    try:
        settings.apply()
        people = Members(rng, _insert_members(rng, members, now, consent_version), now - FOUNDED)
        db.session.commit()
        progress(f"{members} members")
        sizes = _allocate(rng, threads, posts - threads, long_thread=posts >= 10_000)
        loader = _Loader(rng, now, text, people, categories, sizes)
        for done, (index, at) in enumerate(zip(*_timeline(rng, sizes, now.timestamp())), start=1):
            loader.add(index, at)
            if done % COMMIT_EVERY == 0 or done == posts:
                loader.commit()
                settings.apply()
                progress(f"{done} posts")
            elif done % WRITE_EVERY == 0:
                loader.flush()
        _finish(loader.last_seen)
        if db.session.get_bind().dialect.name == "postgresql":
            db.session.execute(sa.text("ANALYZE"))  # the planner's statistics for what was just loaded
        db.session.commit()
    finally:
        db.session.rollback()  # a no-op after the last commit; SQLite settings change only outside transactions
        settings.restore()
    return {"members": members, "threads": threads, "posts": posts, "reactions": loader.reactions}


def _check_rendering(text: Text) -> None:
    """Refuse to store HTML the renderer would not have produced (a guard if markup or the sanitiser changes)."""
    for _ in range(20):
        body, body_html, _document = text.body("mix")
        if render_markdown(body) != body_html:
            raise RuntimeError(f"bulk text renders differently: {body!r}")


def _ensure_consent() -> int:
    document = current_consent() or publish_consent(CONSENT, by=None)
    db.session.commit()
    return document.version


def _ensure_categories(now: datetime) -> list[int]:
    """Top the forum up to eight categories, skipping names that already exist."""
    existing = dict(db.session.execute(sa.select(Category.name, Category.position)).all())
    missing = [c for c in CATEGORIES if c[0] not in existing][:max(0, len(CATEGORIES) - len(existing))]
    position = max(existing.values(), default=-1) + 1
    if missing:
        db.session.execute(sa.insert(Category), [
            {"name": name, "description": about, "position": position + i, "created_at": now - 400 * DAY,
             "thread_count": 0, "post_count": 0, "is_inquiry": False} for i, (name, about) in enumerate(missing)])
    db.session.commit()
    return list(db.session.scalars(sa.select(Category.id).order_by(Category.id)))


def _display_names(rng: random.Random, count: int) -> list[str]:
    """Member names, mixed Chinese and English, none alike (casefolded look-alike keys) or already taken."""
    taken = set(db.session.scalars(sa.select(User.display_name_skeleton_folded)))
    names: list[str] = []
    while len(names) < count:
        if rng.random() < 0.55:
            prefix, suffix = rng.choice(ZH_AFFIX)
            name = prefix + "".join(rng.sample(ZH_GIVEN, rng.choice((1, 2, 2)))) + suffix
        else:
            first = rng.choice(EN_FIRST)
            name = rng.choice((first, f"{first} {rng.choice(ZH_GIVEN)}{rng.choice(ZH_GIVEN)}",
                               f"{first.lower()}_{rng.choice(EN_WORD)}", f"{first} {chr(65 + rng.randrange(26))}."))
        while name_keys(name)[1] in taken:
            name = f"{name.rstrip('0123456789 ')}{rng.randint(2, 9999)}"
        taken.add(name_keys(name)[1])
        names.append(name)
    return names


def _insert_members(rng: random.Random, count: int, now: datetime, consent_version: int) -> list[dict]:
    """New members, returned most active first; ids follow join times, as registrations would have given them."""
    taken = set(db.session.scalars(sa.select(User.email).where(User.email.like("%@bulk.test"))))
    password, founding, rows = hash_password("teahouse-demo"), now - FOUNDED, []
    for rank, name in enumerate(_display_names(rng, count)):
        is_founder = rank == 0 or rng.random() < (0.6 if rank < count // 10 else 0.15)
        joined = founding - rng.random() * 20 * DAY if is_founder else now - FOUNDED * rng.random() ** 1.3
        as_written, folded = name_keys(name)
        rows.append({"display_name": name, "display_name_key": name.casefold(), "display_name_skeleton": as_written,
                     "display_name_skeleton_folded": folded, "password_hash": password,
                     "role": "member", "timezone": "Asia/Shanghai", "created_at": joined, "consent_at": joined,
                     "consent_version": consent_version, "session_token": new_session_token(), "post_count": 0,
                     "thread_count": 0, "is_vip": False})
    by_join = sorted(rows, key=lambda row: row["created_at"])
    for user_id, row in enumerate(by_join, start=_next_id(User)):
        row["id"] = user_id
        row["email"] = next(email for n in itertools.count()
                            if (email := f"member{user_id}{f'-{n}' if n else ''}@bulk.test") not in taken)
    _write(User.__table__, by_join)
    return rows


def _allocate(rng: random.Random, threads: int, replies: int, *, long_thread: bool) -> list[int]:
    """Posts per thread: lognormal replies (many short threads, a few with hundreds); one with 200+ if asked."""
    reserved = 199 if long_thread and replies >= 199 else 0  # benchmarks page through "a 200-post thread"
    weights = [rng.lognormvariate(0, 1.4) for _ in range(threads)]
    counts = [int(w * (replies - reserved) / sum(weights)) for w in weights]
    for index in rng.choices(range(threads), weights, k=replies - reserved - sum(counts)):
        counts[index] += 1
    counts[max(range(threads), key=counts.__getitem__)] += reserved
    return [c + 1 for c in counts]


def _timeline(rng: random.Random, sizes: list[int], now: float) -> tuple[list[int], list[float]]:
    """Every post's thread and timestamp, in time order, so ids grow with time as they do when members write."""
    stamps, owners = array("d"), array("l")
    for index, size in enumerate(sizes):
        age = max(365 * 86400 * rng.random() ** 1.5, 180.0 * size)  # a growing community: recent threads denser
        created = now - age
        span = min(age, 3600.0 * size * rng.lognormvariate(0.3, 0.9))  # replies come early in a thread's life
        stamps.append(created)
        stamps.extend(sorted(created + span * rng.random() ** 1.6 for _ in range(size - 1)))
        owners.extend(itertools.repeat(index, size))
    order = sorted(range(len(stamps)), key=stamps.__getitem__)  # stable: a thread's own order survives ties
    return [owners[i] for i in order], [stamps[i] for i in order]


def _utc(stamp: float) -> datetime:
    return datetime.fromtimestamp(stamp, UTC)


KINDS = {"thread": Thread, "post": Post, "reaction": Reaction, "read": ThreadRead, "index": None}  # parents first


class _Open:
    """A thread still receiving posts during the load."""

    __slots__ = ("author", "category", "count", "id", "last_at", "last_poster", "post_ids", "reactions", "readers",
                 "size", "title_doc")

    def __init__(self, thread_id: int, author: int, category: int, title_doc: str, size: int, at: float) -> None:
        self.id, self.author, self.category, self.title_doc, self.size = thread_id, author, category, title_doc, size
        self.count, self.reactions, self.last_poster, self.last_at = 0, 0, author, at
        self.readers: dict[int, list] = {}  # member -> [highest post number seen, first time, last time]
        self.post_ids: list[int] = []


class _Loader:
    """Takes posts in time order and writes them with the counters they imply, one transaction per commit()."""

    def __init__(self, rng, now: datetime, text: Text, people: Members, categories: list[int], sizes: list[int]):
        self.rng, self.now, self.text, self.people, self.categories = rng, now, text, people, categories
        self.sizes = sizes
        self.ids = {kind: _next_id(model) for kind, model in KINDS.items() if model}
        self.open: dict[int, _Open] = {}
        self.upvotes: list[tuple] = []  # heap of (time, post id, member): written once their time has come
        self.reactions = 0
        self.last_seen: dict[int, float] = {}
        self._reset()

    def _reset(self) -> None:
        self.rows: dict[str, list[dict]] = {kind: [] for kind in KINDS}
        self.touched: dict[int, _Open] = {}
        self.user_posts, self.user_threads = Counter(), Counter()
        self.category_stats: dict[int, list] = {}

    def _take_id(self, kind: str) -> int:
        self.ids[kind] += 1
        return self.ids[kind] - 1

    def add(self, index: int, at: float) -> None:
        """The next post (by time) of thread ``index``; its first post opens the thread."""
        while self.upvotes and self.upvotes[0][0] <= at:
            self._upvote(*heapq.heappop(self.upvotes))
        thread = self.open.get(index) or self._open(index, at)
        number = thread.count + 1
        poster = thread.author if number == 1 else self.people.pick(at)
        quoted = self.rng.choice(thread.post_ids) if number > 2 and self.rng.random() < 0.05 else None
        self._post(thread, number, poster, at, quoted)
        if number == thread.size:
            del self.open[index]
            self.rows["read"].extend({"id": self._take_id("read"), "user_id": user_id, "thread_id": thread.id,
                                      "last_read_number": n, "first_read_at": _utc(first), "last_read_at": _utc(last)}
                                     for user_id, (n, first, last) in thread.readers.items())

    def _open(self, index: int, at: float) -> _Open:
        author, category = self.people.pick(at), self.rng.choice(self.categories)
        title, title_doc = self.text.title()
        thread = self.open[index] = _Open(self._take_id("thread"), author, category, title_doc, self.sizes[index], at)
        self.rows["thread"].append({  # counters and last post are set in commit(), like every touched thread's
            "id": thread.id, "category_id": category, "title": title, "author_id": author,
            "author_name": self.people.names[author], "created_at": _utc(at), "last_post_at": _utc(at),
            "last_poster_name": self.people.names[author], "post_count": 0, "reaction_count": 0, "state": "published",
            "is_pinned": False, "is_locked": False, "is_pinned_globally": False, "is_featured": False})
        self.user_threads[author] += 1
        self.category_stats.setdefault(category, [0, 0, at])[0] += 1
        return thread

    def _post(self, thread: _Open, number: int, poster: int, at: float, quoted: int | None) -> None:
        rng, post_id = self.rng, self._take_id("post")
        body, body_html, document = self.text.body(self.people.habit[poster])
        voters: dict[int, float] = {}
        if rng.random() < 0.45:  # most posts get no upvote; a few get dozens
            for _ in range(min(int(rng.paretovariate(1.3)), 80)):
                when = min(at + rng.expovariate(1 / 18000), self.now.timestamp())
                voter = self.people.pick(when)
                if voter != poster:
                    voters.setdefault(voter, when)
        for voter, when in voters.items():
            heapq.heappush(self.upvotes, (when, post_id, voter))
            self._saw(thread, voter, number, when)
        self._saw(thread, poster, number, at)
        self.rows["post"].append({
            "id": post_id, "thread_id": thread.id, "number": number, "author_id": poster,
            "author_name": self.people.names[poster], "quoted_post_id": quoted, "body": body, "body_html": body_html,
            "body_hash": text_hash(body), "created_at": _utc(at), "reaction_count": len(voters), "spam_score": 0.0,
            "spam_reasons": [], "state": "published", "edit_count": 0})
        self.rows["index"].append({"id": post_id, "doc": " ".join(filter(None, (
            thread.title_doc if number == 1 else None, document)))})
        thread.post_ids.append(post_id)
        thread.count, thread.last_poster, thread.last_at = number, poster, at
        thread.reactions += len(voters)
        self.touched[thread.id] = thread
        self.user_posts[poster] += 1
        stats = self.category_stats.setdefault(thread.category, [0, 0, at])
        stats[1], stats[2] = stats[1] + 1, max(stats[2], at)
        self.reactions += len(voters)

    def _upvote(self, at: float, post_id: int, user_id: int) -> None:
        self.rows["reaction"].append({"id": self._take_id("reaction"), "post_id": post_id, "user_id": user_id,
                                      "created_at": _utc(at)})

    def _saw(self, thread: _Open, user_id: int, number: int, at: float) -> None:
        """Posting or upvoting happens on the thread page, which marks the thread read up to that post."""
        mark = thread.readers.setdefault(user_id, [number, at, at])
        mark[:] = max(mark[0], number), min(mark[1], at), max(mark[2], at)
        self.last_seen[user_id] = max(self.last_seen.get(user_id, at), at)

    def flush(self) -> None:
        for kind, model in KINDS.items():
            _write(model.__table__ if model else None, self.rows[kind])
            self.rows[kind] = []

    def commit(self) -> None:
        """Write what is pending (upvotes due later too, so counters match rows) with its counters; commit."""
        while self.upvotes:
            self._upvote(*heapq.heappop(self.upvotes))
        self.flush()
        _update_threads(self.touched.values(), self.people.names)
        _bump_members(self.user_posts, self.user_threads)
        _bump_categories(self.category_stats)
        db.session.commit()
        self._reset()


def _next_id(model) -> int:
    return (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1


def _write(table: sa.Table | None, rows: list[dict]) -> None:
    """Insert in batches; table None means full-text entries, written as the ORM events in app.search.index would.
    On PostgreSQL a table's rows go through COPY when ``_copy_plan`` can reproduce what an INSERT would store."""
    if not rows:
        return
    if table is not None and db.session.get_bind().dialect.name == "postgresql":
        plan = _copy_plan(table, rows[0].keys())
        if plan is not None:
            _copy(table, plan, rows)
            return
    if table is not None:
        statement = sa.insert(table)
    elif db.session.get_bind().dialect.name == "sqlite":
        statement = sa.text(f"INSERT INTO {SEARCH_TABLE}(rowid, content) VALUES (:id, :doc)")
    else:
        statement = sa.text(f"INSERT INTO {SEARCH_TABLE}(post_id, document) VALUES (:id, to_tsvector('simple', :doc))")
    for start in range(0, len(rows), WRITE_EVERY):
        db.session.execute(statement, rows[start:start + WRITE_EVERY])


_MISSING = object()


def _copy_plan(table: sa.Table, keys) -> list[tuple[sa.Column, object]] | None:
    """Each column COPY writes with the fixed value it takes when a row leaves it out (``_MISSING``: the row has
    it); None when an INSERT would do more than COPY can (a Python default computed per row)."""
    plan = []
    for column in table.columns:
        if column.key in keys:
            plan.append((column, _MISSING))
        elif column.default is not None:
            if not column.default.is_scalar:
                return None
            plan.append((column, column.default.arg))
        # otherwise the database's own default (or NULL) applies, as for an INSERT without the column
    return plan


def _copy(table: sa.Table, plan: list[tuple[sa.Column, object]], rows: list[dict]) -> None:
    """COPY the rows in, each value through its column type's bind processing, as an INSERT would send it."""
    dialect = db.session.get_bind().dialect
    processors = [Json if isinstance(column.type, sa.JSON) else column.type.bind_processor(dialect)
                  for column, _ in plan]
    names = ", ".join(f'"{column.name}"' for column, _ in plan)
    cursor = db.session.connection().connection.dbapi_connection.cursor()
    try:
        with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                values = []
                for (column, fixed), process in zip(plan, processors, strict=True):
                    value = row[column.key] if fixed is _MISSING else fixed
                    values.append(process(value) if process is not None and value is not None else value)
                copy.write_row(values)
    finally:
        cursor.close()


def _bump_members(user_posts: Counter, user_threads: Counter) -> None:
    users = User.__table__
    rows = [{"uid": uid, "p": user_posts[uid], "t": user_threads[uid]} for uid in user_posts.keys() | user_threads]
    if rows:
        db.session.execute(sa.update(users).where(users.c.id == sa.bindparam("uid")).values(
            post_count=users.c.post_count + sa.bindparam("p"), thread_count=users.c.thread_count + sa.bindparam("t")),
            rows)


def _update_threads(threads: Iterable[_Open], names: dict[int, str]) -> None:
    """Counters and last post of every thread that received posts in this transaction."""
    table = Thread.__table__
    rows = [{"tid": t.id, "n": t.count, "r": t.reactions, "at": _utc(t.last_at), "who": names[t.last_poster]}
            for t in threads]
    if rows:
        db.session.execute(sa.update(table).where(table.c.id == sa.bindparam("tid")).values(
            post_count=sa.bindparam("n"), reaction_count=sa.bindparam("r"), last_poster_name=sa.bindparam("who"),
            last_post_at=sa.bindparam("at", type_=table.c.last_post_at.type)), rows)


def _bump_categories(stats: dict[int, list]) -> None:
    for category_id, (threads, posts, last) in stats.items():
        category = db.session.get(Category, category_id)
        category.thread_count += threads
        category.post_count += posts
        category.last_post_at = max(filter(None, (category.last_post_at, _utc(last))))
    db.session.flush()


def _finish(last_seen: dict[int, float]) -> None:
    """Members' last activity; on PostgreSQL, move the id sequences past the ids we chose."""
    users = User.__table__
    if last_seen:
        db.session.execute(sa.update(users).where(users.c.id == sa.bindparam("uid")).values(
            last_seen_at=sa.bindparam("seen", type_=users.c.last_seen_at.type)),
            [{"uid": uid, "seen": _utc(seen)} for uid, seen in last_seen.items()])
    if db.session.get_bind().dialect.name == "postgresql":
        for model in (User, Category, Thread, Post, Reaction, ThreadRead):
            name = model.__tablename__
            db.session.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                                       f"(SELECT COALESCE(MAX(id), 0) + 1 FROM \"{name}\"), false)"))


class _SqliteLoadSettings:
    """No fsync, a big page cache and temp data in memory while loading; each connection restored afterwards."""

    def __init__(self) -> None:
        self.pragmas = {"synchronous": "OFF", "cache_size": "-262144", "temp_store": "MEMORY"}
        self.saved: dict = {}  # DBAPI connection -> its earlier settings

    def apply(self) -> None:
        """Call at the start of a transaction, before its first write (SQLite refuses `synchronous` inside one)."""
        conn = db.session.connection()
        raw = conn.connection.dbapi_connection
        if conn.dialect.name != "sqlite" or raw in self.saved:
            return
        self.saved[raw] = {name: raw.execute(f"PRAGMA {name}").fetchone()[0] for name in self.pragmas}
        for name, value in self.pragmas.items():
            raw.execute(f"PRAGMA {name}={value}")

    def restore(self) -> None:
        for raw, values in self.saved.items():
            for name, value in values.items():
                raw.execute(f"PRAGMA {name}={value}")
