"""Copying the database in and out: SQLite through its online backup API, PostgreSQL through pg_dump/pg_restore."""
from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, make_url

from app.backup.errors import BackupError

SQLITE, POSTGRESQL = "sqlite", "postgresql"
DUMP_NAMES = {SQLITE: "database.sqlite3", POSTGRESQL: "database.pgdump"}
LIBPQ_QUERY_KEYS = ("host", "sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "application_name")


def database_kind(url: str) -> str:
    """``sqlite`` or ``postgresql``; any other engine is refused."""
    backend = make_url(url).get_backend_name()
    if backend not in DUMP_NAMES:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {backend}")
    return backend


def counted_tables(conn: Connection) -> list[str]:
    """Every table whose rows a backup counts: all but Alembic's and the FTS5 index's own shadow tables."""
    names = sa.inspect(conn).get_table_names()
    return sorted(n for n in names if n != "alembic_version" and not n.startswith("search_index_"))


def row_counts(conn: Connection) -> dict[str, int]:
    """Rows per table, read on one connection (so inside one snapshot when the caller opened one)."""
    preparer = conn.dialect.identifier_preparer
    return {name: conn.execute(sa.text(f"SELECT count(*) FROM {preparer.quote(name)}")).scalar_one()
            for name in counted_tables(conn)}


def alembic_revision(conn: Connection) -> str | None:
    """The schema revision the database is at, or None before the first migration."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def account_count(engine: sa.Engine) -> int:
    """How many accounts the database holds (0 for a database without tables yet)."""
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("user"):
            return 0
        return conn.execute(sa.text('SELECT count(*) FROM "user"')).scalar_one()


# --- SQLite -------------------------------------------------------------------------------------------------------

def sqlite_file(url: str) -> Path:
    """The database file of a SQLite URL; in-memory databases cannot be backed up or restored."""
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("the configured SQLite database is in memory; there is nothing to back up")
    return Path(database)


def dump_sqlite(url: str, target: Path) -> tuple[str | None, dict[str, int]]:
    """Copy the live database page by page (consistent even while the app writes) and describe the copy."""
    source_path = sqlite_file(url)
    if not source_path.exists():
        raise BackupError(f"the SQLite database {source_path} does not exist")
    with contextlib.closing(sqlite3.connect(source_path)) as source, \
            contextlib.closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
    copy_engine = sa.create_engine(f"sqlite:///{target}", poolclass=sa.pool.NullPool)
    try:
        with copy_engine.connect() as conn:  # counted on the copy, so the manifest matches what was saved
            return alembic_revision(conn), row_counts(conn)
    finally:
        copy_engine.dispose()


def restore_sqlite(url: str, dump: Path) -> None:
    """Write the saved pages over the configured database through the backup API, in one step."""
    target_path = sqlite_file(url)
    target_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with contextlib.closing(sqlite3.connect(dump)) as saved, \
                contextlib.closing(sqlite3.connect(target_path, timeout=30)) as target:
            saved.backup(target)
    except sqlite3.Error as error:
        raise BackupError(f"could not write the SQLite database {target_path}: {error}") from None


# --- PostgreSQL ---------------------------------------------------------------------------------------------------

def _quote_libpq(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def libpq_arguments(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and the environment that carries the password."""
    parsed: URL = make_url(url)
    parts = {"host": parsed.host, "port": parsed.port, "user": parsed.username, "dbname": parsed.database}
    parts.update({key: parsed.query[key] for key in LIBPQ_QUERY_KEYS if isinstance(parsed.query.get(key), str)})
    conninfo = " ".join(f"{key}={_quote_libpq(str(value))}" for key, value in parts.items() if value)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    return conninfo, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} was not found on PATH: install the PostgreSQL client tools "
                          f"(e.g. apt-get install postgresql-client) in the server's major version or newer")
    return path


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except OSError as error:
        raise BackupError(f"could not run {command[0]}: {error}") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip() or f"exit status {result.returncode}"
        raise BackupError(f"{what} failed: {detail}")


@contextlib.contextmanager
def _exported_snapshot(engine: sa.Engine) -> Iterator[tuple[Connection, str]]:
    """A repeatable-read transaction whose snapshot pg_dump can share, so counts and dump see the same rows."""
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
        snapshot = conn.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one()
        yield conn, snapshot


def dump_postgresql(engine: sa.Engine, url: str, target: Path) -> tuple[str | None, dict[str, int]]:
    """pg_dump in custom format, inside the same snapshot as the row counts of the manifest."""
    pg_dump = _tool("pg_dump")
    conninfo, env = libpq_arguments(url)
    with _exported_snapshot(engine) as (conn, snapshot):
        revision, counts = alembic_revision(conn), row_counts(conn)
        _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}", f"--dbname={conninfo}"],
             env, "pg_dump")
    return revision, counts


def restore_postgresql(url: str, dump: Path) -> None:
    """pg_restore in one transaction: the saved tables replace the current ones, or nothing changes."""
    pg_restore = _tool("pg_restore")
    conninfo, env = libpq_arguments(url)
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          f"--dbname={conninfo}", str(dump)], env, "pg_restore")
