"""Database timeouts, so a database that refuses, freezes or crawls costs a request seconds, not a worker.

PostgreSQL: libpq's ``connect_timeout`` bounds connecting; the server's ``statement_timeout`` bounds a query it is
running; and a client-side answer deadline (statement + connect timeout) bounds waiting for a server that no
longer answers at all (frozen, or a network that drops packets), which ``statement_timeout`` cannot end because
its cancellation never arrives. SQLite: the busy timeout bounds waiting for another writer's lock.
``flask`` commands (the scheduler, exports, migrations) use ``DATABASE_CLI_STATEMENT_TIMEOUT`` instead, by
default none, so long legitimate work is never cut off; web workers use ``DATABASE_STATEMENT_TIMEOUT``.
"""
from __future__ import annotations

import psycopg
import sqlalchemy as sa
from flask import Flask

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
    """SQLALCHEMY_ENGINE_OPTIONS with our defaults under the operator's: pre-ping always, timeouts on PostgreSQL.

    The operator's own ``connect_args`` keys win, and their ``options`` string comes after ours so a
    ``-c statement_timeout=...`` of theirs takes precedence.
    """
    user = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options = {"pool_pre_ping": True, **user}
    if not str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("postgresql"):
        return options
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


def init_app(app: Flask) -> None:
    """Connect to PostgreSQL through ``DeadlineConnection``; nothing to add for SQLite (see ``_tune_sqlite``)."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return
    deadline = answer_deadline_seconds(app.config)
    with app.app_context():
        engine = db.engine

    @sa.event.listens_for(engine, "do_connect")
    def _connect(_dialect, _record, cargs, cparams):
        connection = DeadlineConnection.connect(*cargs, **cparams)
        connection.answer_deadline = deadline
        return connection
