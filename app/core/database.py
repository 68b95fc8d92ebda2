"""Database timeouts, so a database that refuses, freezes or crawls costs a request seconds, not a worker.

PostgreSQL: libpq's ``connect_timeout`` bounds connecting; the server's ``statement_timeout`` bounds a query it is
running; and a client-side answer deadline (statement + connect timeout) bounds waiting for a server that no
longer answers at all (frozen, or a network that drops packets), which ``statement_timeout`` cannot end because
its cancellation never arrives. SQLite: the busy timeout bounds waiting for another writer's lock.
``flask`` commands (the scheduler, exports, migrations) use ``DATABASE_CLI_STATEMENT_TIMEOUT`` instead, by
default none, so long legitimate work is never cut off; web workers use ``DATABASE_STATEMENT_TIMEOUT``.

Pooled PostgreSQL connections are checked before use (``check_on_checkout``): one unused for
``DATABASE_PING_IDLE_SECONDS`` (by default 10) is pinged as ``pool_pre_ping`` would, and one whose server has
closed it (a restart, ``pg_terminate_backend``) is noticed without a round trip, as its socket has turned
readable. Per-connection settings (the statement timeout) travel in the connection's startup options, never as a
``SET`` per request.

psycopg prepares a statement on the server once a connection has run it ``prepare_threshold`` times (5), and
PostgreSQL then plans it once instead of on every run, which is most of its CPU for a page's short statements.
psycopg forgets those counts and statements on every rollback, and every request ends in one (the session's
close), so no statement was ever prepared: ``DeadlineConnection.rollback`` keeps them (see there). An operator
can turn preparing off with ``"connect_args": {"prepare_threshold": None}`` in SQLALCHEMY_ENGINE_OPTIONS (a
pooler in transaction mode that cannot hold prepared statements needs that). Cursors describe their results only
when asked (``LazilyDescribedCursor``).
"""
from __future__ import annotations

import select
import time
from collections.abc import Sequence

import psycopg
import sqlalchemy as sa
from flask import Flask
from psycopg._preparing import PrepareManager

from app.config import running_from_cli
from app.extensions import db


def statement_timeout_seconds(config) -> float:
    """The statement timeout for this process: the CLI's (scheduler, exports, migrations) or the web's; 0 = none."""
    key = "DATABASE_CLI_STATEMENT_TIMEOUT" if running_from_cli() else "DATABASE_STATEMENT_TIMEOUT"
    return float(config.get(key) or 0)


def sqlite_busy_timeout_ms(config) -> int:
    """How long a SQLite statement waits for another writer's lock (at least 1 s, the old fixed value was 10 s)."""
    return int(max(statement_timeout_seconds(config) or 60, 1) * 1000)


def engine_options(config) -> dict:
    """SQLALCHEMY_ENGINE_OPTIONS with our defaults under the operator's: timeouts and a sized pool on PostgreSQL.

    No ``pool_pre_ping`` by default: a SQLite file cannot go away between requests, and PostgreSQL connections are
    checked by ``check_on_checkout`` instead (an operator's ``"pool_pre_ping": true`` still turns it on). The pool
    holds ``DATABASE_POOL_SIZE`` connections (a sync worker needs one for the request and one for the short
    write that records a visit) and may open ``DATABASE_POOL_OVERFLOW`` more for a moment.
    The operator's own ``connect_args`` keys win, and their ``options`` string comes after ours so a
    ``-c statement_timeout=...`` of theirs takes precedence.
    """
    user = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if not str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("postgresql"):
        return user
    options = {"pool_size": int(config.get("DATABASE_POOL_SIZE") or 2),
               "max_overflow": int(config.get("DATABASE_POOL_OVERFLOW") or 0), **user}
    user_args = dict(user.get("connect_args") or {})
    ours = {"connect_timeout": max(int(config.get("DATABASE_CONNECT_TIMEOUT") or 0), 0) or None}
    statement_ms = int(statement_timeout_seconds(config) * 1000)
    server_options = f"-c statement_timeout={statement_ms}"
    if user_args.get("options"):
        server_options = f"{server_options} {user_args.pop('options')}"
    ours["options"] = server_options
    options["connect_args"] = {**{k: v for k, v in ours.items() if v is not None}, **user_args}
    return options


def answer_deadline_seconds(config) -> float | None:
    """How long the client waits for any answer from PostgreSQL: the statement timeout plus the connect timeout as
    a margin for the server's own cancellation; None when statements may run unbounded."""
    statement = statement_timeout_seconds(config)
    if not statement:
        return None
    return statement + float(config.get("DATABASE_CONNECT_TIMEOUT") or 5)


_RESULT_STATUSES = (psycopg.pq.ExecStatus.TUPLES_OK, psycopg.pq.ExecStatus.SINGLE_TUPLE,
                    psycopg.pq.ExecStatus.TUPLES_CHUNK)


class _ResultSource:
    """What psycopg's ``Column`` reads of a cursor, as it was when the result arrived."""

    __slots__ = ("_encoding", "adapters", "pgresult")

    def __init__(self, cursor: psycopg.Cursor) -> None:
        self.pgresult, self._encoding, self.adapters = cursor.pgresult, cursor._encoding, cursor.adapters


class LazyDescription(Sequence):
    """A result's ``cursor.description``, its ``Column`` objects made only when one is read."""

    __slots__ = ("_columns", "_source")

    def __init__(self, cursor: psycopg.Cursor) -> None:
        self._source, self._columns = _ResultSource(cursor), None

    def _built(self) -> list[psycopg.Column]:
        if self._columns is None:
            self._columns = [psycopg.Column(self._source, i) for i in range(self._source.pgresult.nfields)]
        return self._columns

    def __len__(self) -> int:
        return self._source.pgresult.nfields

    def __getitem__(self, index):
        return self._built()[index]


class LazilyDescribedCursor(psycopg.Cursor):
    """psycopg's cursor with a ``description`` made on demand. psycopg builds a ``Column`` per column of every
    result (26 µs for a member's 28 columns); SQLAlchemy reads them the first time a statement runs and keeps
    what it learnt, so afterwards it only asks whether there is a description at all."""

    @property
    def description(self) -> LazyDescription | None:
        res = self.pgresult
        if res and (res.nfields or res.status in _RESULT_STATUSES):  # as psycopg decides
            return LazyDescription(self)
        return None


class DeadlineConnection(psycopg.Connection):
    """A psycopg connection that gives up on a server which stops answering, instead of waiting forever."""

    answer_deadline: float | None = None

    def wait(self, gen, interval: float = 0.1, timeout: float | None = None):
        if timeout is not None or not self.answer_deadline:
            return super().wait(gen, interval=interval, timeout=timeout)
        try:
            return super().wait(gen, interval=interval, timeout=self.answer_deadline)
        except psycopg.errors._WaitTimeout:
            # Mid-protocol and unanswered: the connection's state is unknown, so close it; SQLAlchemy then sees a
            # disconnect and drops it from the pool.
            self.pgconn.finish()
            raise psycopg.OperationalError(
                f"the database did not answer within {self.answer_deadline:g} s") from None

    def rollback(self) -> None:
        """Roll back, keeping the statements this connection has prepared and its counts of the others.

        psycopg forgets both on every rollback (and deallocates the prepared ones), in case the transaction made
        or dropped objects they use. A request makes none (the schema changes only in migrations, whose ``DROP``
        and ``ALTER`` still clear psycopg's cache as they run), and prepared statements outlive a rollback on the
        server, so keeping them is safe; forgetting them meant that no statement a page runs once per request was
        ever prepared, and PostgreSQL planned each one afresh on every request. The rollback runs with an empty
        stand-in for psycopg's statement cache (``PrepareManager``: there is no public switch for this).
        """
        kept, self._prepared = self._prepared, PrepareManager()
        try:
            super().rollback()
        finally:
            self._prepared = kept


def server_has_spoken(dbapi_connection) -> bool:
    """True when an idle connection's socket has something to read: between requests PostgreSQL sends nothing
    unless it is closing the connection (a restart's FATAL message, then end of file). No round trip."""
    if dbapi_connection.closed:
        return True
    try:
        readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError, psycopg.Error):
        return True
    return bool(readable)


def check_on_checkout(engine: sa.Engine, ping_idle_seconds: float) -> None:
    """Before a pooled PostgreSQL connection is handed out: reconnect when the server has closed it, and ping it
    (one ``SELECT 1``) when it has been idle ``ping_idle_seconds`` or more, or its socket has something to read.

    With a threshold above 0 a connection in steady use costs no round trip; one the server said goodbye on is
    still checked and replaced (``DisconnectionError`` makes the pool connect afresh). Only a connection dropped
    silently (no FIN reaches us) within the threshold is found out by the request's own first query.
    """

    @sa.event.listens_for(engine, "connect")
    @sa.event.listens_for(engine, "checkin")
    def _note_idle_since(_dbapi_connection, record):
        if record is not None:  # a new connection counts as just used: it has only now been made
            record.info["idle_since"] = time.monotonic()

    @sa.event.listens_for(engine, "checkout")
    def _check(dbapi_connection, record, _proxy):
        idle_since = record.info.get("idle_since")
        stale = idle_since is None or time.monotonic() - idle_since >= ping_idle_seconds
        if not stale and not server_has_spoken(dbapi_connection):
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # any failure means: this connection is no good
            raise sa.exc.DisconnectionError(f"pooled connection failed its check: {type(error).__name__}") from error


def warm_pool(app: Flask) -> int:
    """Open the pool's connections now (a web worker after it starts), so no member's request waits for a new
    PostgreSQL connection (the handshake and authentication cost milliseconds). Returns how many are open."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return 0
    with app.app_context():
        engine = db.engine
    size = engine.pool.size()
    held = []
    try:
        for _ in range(size):
            held.append(engine.connect())
    except sa.exc.SQLAlchemyError:
        pass  # the database is away: requests will connect when it is back, and answer 503 meanwhile
    finally:
        for connection in held:
            connection.close()
    return len(held)


def init_app(app: Flask) -> None:
    """Connect to PostgreSQL through ``DeadlineConnection``, checking pooled connections as ``check_on_checkout``
    describes; nothing to add for SQLite (see ``_tune_sqlite``)."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return
    deadline = answer_deadline_seconds(app.config)
    with app.app_context():
        engine = db.engine

    @sa.event.listens_for(engine, "do_connect")
    def _connect(_dialect, _record, cargs, cparams):
        connection = DeadlineConnection.connect(*cargs, **cparams)
        connection.answer_deadline = deadline
        connection.cursor_factory = LazilyDescribedCursor
        return connection

    if not app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("pool_pre_ping"):
        check_on_checkout(engine, float(app.config.get("DATABASE_PING_IDLE_SECONDS") or 0))
