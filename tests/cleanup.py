"""Emptying the test database between tests: only the tables that hold rows, without per-row foreign-key work.

Deleting every table row by row made the suite slow: 39 DELETEs after each test, and on a large dataset each
deleted post made the database look for posts quoting it (`post.quoted_post_id` has no index), so emptying
12,000 posts took 15 s on a quiet machine and two minutes on a busy one. Here one query finds the tables that
hold rows; SQLite empties them with foreign keys off (its whole-table delete); PostgreSQL deletes them, or
truncates the few that hold many rows. Rows written by any connection (the test client, threads, the browser
tests' live server, the demo seeder's raw connection) are found alike.
"""
from __future__ import annotations

import functools

import sqlalchemy as sa

SEARCH_INDEX = "search_index"  # made by a migration (FTS5 or tsvector), not a model table
MANY_ROWS = 2000  # PostgreSQL truncates a table holding more rows than this instead of deleting them
PREPARED = "teahouse_test_filled_tables"  # the prepared statement finding the tables that hold rows (PostgreSQL)
INVALID_STATEMENT_NAME = "26000"  # PostgreSQL's SQLSTATE for EXECUTE of a statement that no longer exists
LOCK_WAIT = "20s"  # TRUNCATE waits for other transactions on the tables; past this, delete row by row instead


@functools.cache
def candidate_tables(metadata: sa.MetaData) -> tuple[str, ...]:
    """Every table a test may fill, children before parents (all models are imported with the app)."""
    return (SEARCH_INDEX, *(table.name for table in reversed(metadata.sorted_tables)))


def _filled_tables_sql(names: tuple[str, ...], quote) -> str:
    """One statement naming the tables among ``names`` that hold rows, each with whether it holds many."""
    return " UNION ALL ".join(
        f"SELECT '{name}', EXISTS (SELECT 1 FROM {quote(name)} LIMIT 1 OFFSET {MANY_ROWS}) "
        f"WHERE EXISTS (SELECT 1 FROM {quote(name)})" for name in names)


def _filled_tables(conn, names: tuple[str, ...], quote) -> tuple[list[str], list[str]]:
    """The tables that hold rows (children first), and those among them that hold many."""
    sql = _filled_tables_sql(names, quote)
    rows = _prepared(conn, sql) if conn.dialect.name == "postgresql" else conn.execute(sa.text(sql)).all()
    found = dict(rows)
    filled = [name for name in names if name in found]
    return filled, [name for name in filled if found[name]]


def _prepared(conn, sql: str) -> list:
    """PostgreSQL plans the statement of 60-odd tables for far longer than it runs it on empty tables (planning
    took most of the ~40 ms every test spent on emptying them): prepare it once per connection, then run the stored
    plan. A prepared statement outlives a rollback, and the pool's ``info`` lives as long as the connection; but
    psycopg deallocates every statement of a connection (DEALLOCATE ALL) when a DROP, ALTER or ROLLBACK statement
    passes while it holds prepared statements of its own, so a statement found gone is prepared again."""
    try:
        return _execute_prepared(conn, sql)
    except sa.exc.ProgrammingError as error:
        if getattr(error.orig, "sqlstate", None) != INVALID_STATEMENT_NAME:
            raise
        conn.rollback()
        conn.connection.info.pop(PREPARED, None)
        return _execute_prepared(conn, sql)


def _execute_prepared(conn, sql: str) -> list:
    info = conn.connection.info
    if info.get(PREPARED) != sql:
        if PREPARED in info:
            conn.exec_driver_sql(f"DEALLOCATE {PREPARED}")
        conn.exec_driver_sql(f"PREPARE {PREPARED} AS {sql}")
        info[PREPARED] = sql
    return conn.exec_driver_sql(f"EXECUTE {PREPARED}").all()


def empty_tables(engine: sa.Engine, metadata: sa.MetaData) -> list[str]:
    """Delete every row of every test table; returns the names of the tables that held rows."""
    names = candidate_tables(metadata)
    if engine.dialect.name == "sqlite":
        return _empty_sqlite(engine, names)
    return _empty_postgresql(engine, names)


def _empty_sqlite(engine: sa.Engine, names: tuple[str, ...]) -> list[str]:
    quote = engine.dialect.identifier_preparer.quote
    with engine.connect() as conn:
        filled, _many = _filled_tables(conn, names, quote)
        conn.rollback()  # PRAGMA foreign_keys is ignored inside a transaction
        if not filled:
            return filled
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.commit()
        try:
            for name in filled:  # without foreign keys or triggers SQLite drops a table's rows in one step
                conn.exec_driver_sql(f"DELETE FROM {quote(name)}")
            conn.commit()
        finally:
            conn.rollback()
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")  # the connection goes back to the pool as it came
            conn.commit()
        return filled


def _empty_postgresql(engine: sa.Engine, names: tuple[str, ...]) -> list[str]:
    """DELETE the small tables (cheaper than TRUNCATE, which costs ~1 s); TRUNCATE the large ones, where row by
    row foreign-key checks would take minutes."""
    quote = engine.dialect.identifier_preparer.quote
    with engine.connect() as conn:
        filled, many = _filled_tables(conn, names, quote)
        conn.rollback()
        if not filled:
            return filled
        try:
            _delete_rows(conn, filled, many, quote)
        except sa.exc.OperationalError:
            # Another connection still holds a large table (a test left a transaction open): TRUNCATE waited
            # in vain for its exclusive lock. Plain DELETEs need none, as the suite always did it.
            conn.rollback()
            _delete_rows(conn, filled, [], quote)
        return filled


def _delete_rows(conn, filled: list[str], truncate: list[str], quote) -> None:
    with conn.begin():
        if truncate:
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'")
            conn.exec_driver_sql(f"TRUNCATE {', '.join(quote(name) for name in truncate)} CASCADE")
        for name in filled:
            if name not in truncate:
                conn.exec_driver_sql(f"DELETE FROM {quote(name)}")


def row_counts(engine: sa.Engine, metadata: sa.MetaData) -> dict[str, int]:
    """The number of rows in each test table, in one query."""
    names = candidate_tables(metadata)
    quote = engine.dialect.identifier_preparer.quote
    columns = ", ".join(f"(SELECT count(*) FROM {quote(name)})" for name in names)
    with engine.connect() as conn:
        return dict(zip(names, conn.execute(sa.text(f"SELECT {columns}")).one(), strict=True))
