"""What a pooled PostgreSQL connection does for each request (app/core/database.py): a page's statements are
prepared once per connection, not parsed and planned on every request; a result's description is made only when
read; and the values a plan depends on are written into the statement's text (``app.core.params.in_text``)."""
from __future__ import annotations

import psycopg
import pytest
import sqlalchemy as sa

from app import create_app
from app.core.database import LazilyDescribedCursor
from app.core.params import in_text
from app.extensions import db as _db
from app.forum.models import Category
from tests.conftest import TEST_CONFIG, login_as


@pytest.fixture
def own_pool_app(database_url, tmp_path):
    """An app with a pool of its own (two connections, as a production worker has), closed afterwards."""
    if not database_url.startswith("postgresql"):
        pytest.skip("needs TEAHOUSE_TEST_DATABASE_URL on PostgreSQL")
    application = create_app({**TEST_CONFIG, "DATABASE_URL": database_url, "INSTANCE_PATH": str(tmp_path),
                              "DATABASE_POOL_SIZE": 2, "DATABASE_POOL_OVERFLOW": 0})
    yield application
    with application.app_context():
        _db.engine.dispose()


def _prepared(application, fragment: str) -> tuple[int, int]:
    """Across the app's pooled connections: how many hold a prepared statement containing ``fragment``, and how
    many times the server has run those (on their generic plan or planned for the values)."""
    with application.app_context():
        engine = _db.engine
    held = [engine.connect() for _ in range(engine.pool.size())]  # every pooled connection, none opened anew
    try:
        rows = [row for conn in held for row in conn.execute(sa.text(
            "SELECT generic_plans + custom_plans AS runs FROM pg_prepared_statements"
            " WHERE strpos(statement, :fragment) > 0"), {"fragment": fragment})]
    finally:
        for conn in held:
            conn.rollback()
            conn.close()
    return len(rows), sum(row.runs for row in rows)


def test_a_statement_every_request_runs_is_prepared_once_per_connection(own_pool_app, member):
    """Every request ends in a rollback (the session's close), which made psycopg forget what it had counted and
    prepared, so no statement ever reached its threshold and the server parsed and planned each one on every
    request. Now the scheduler lease's read on /healthz is prepared once on each connection and later requests
    run the prepared statement (PostgreSQL then plans it once, when its generic plan is as good)."""
    client = login_as(own_pool_app.test_client(), member)
    for _ in range(20):
        assert client.get("/healthz").status_code == 200
    prepared, runs = _prepared(own_pool_app, "FROM job_lease")
    assert prepared >= 1 and runs >= 1
    for _ in range(6):
        assert client.get("/healthz").status_code == 200
    assert _prepared(own_pool_app, "FROM job_lease") == (prepared, runs + 6)


def test_prepared_statements_survive_a_failed_statement_and_its_rollback(own_pool_app, member):
    """A request whose statement fails is rolled back; the statements prepared before still answer, and right."""
    client = login_as(own_pool_app.test_client(), member)
    for _ in range(20):
        assert client.get("/healthz").status_code == 200
    prepared, runs = _prepared(own_pool_app, "FROM job_lease")
    with own_pool_app.app_context():
        engine = _db.engine
    for _ in range(2):  # both pooled connections, one after the other
        with engine.connect() as conn:
            with pytest.raises(sa.exc.DataError):
                conn.execute(sa.text("SELECT 1 / (SELECT count(*) - count(*) FROM job_lease)"))
            conn.rollback()
    for _ in range(6):
        health = client.get("/healthz")
        assert health.status_code == 200 and health.get_json()["database"] is True
    assert _prepared(own_pool_app, "FROM job_lease") == (prepared, runs + 6)


def test_dropping_a_table_still_forgets_the_prepared_statements(own_pool_app):
    """psycopg's own rule stays: a DROP or ALTER on a connection discards what it prepared (the objects may come
    back different), so only the rollback's forgetting is skipped."""
    with own_pool_app.app_context(), _db.engine.connect() as conn:
        for _ in range(6):
            assert conn.execute(sa.text("SELECT count(*) FROM category WHERE id > :id"), {"id": 0}).scalar() == 0
            conn.rollback()
        named = "SELECT name FROM pg_prepared_statements WHERE strpos(statement, 'FROM category WHERE') > 0"
        assert conn.execute(sa.text(named)).all()
        conn.rollback()
        conn.execute(sa.text("CREATE TEMPORARY TABLE prepared_probe (id integer)"))
        conn.execute(sa.text("DROP TABLE prepared_probe"))
        conn.rollback()
        assert conn.execute(sa.text(named)).all() == []


def test_a_result_description_is_psycopgs_own_when_read(own_pool_app, member):
    """``LazilyDescribedCursor`` makes a result's ``Column`` objects only when something reads them (SQLAlchemy
    does the first time a statement runs; every other test on PostgreSQL reads its results through it); they are
    then the ones psycopg would have made, and a statement without rows has none."""
    member_id = member.id  # read before: inside the other app's context its session would load it on that pool
    with own_pool_app.app_context(), _db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert isinstance(raw.cursor(), LazilyDescribedCursor)
        statement = 'SELECT id, email, created_at, points FROM "user" WHERE id = %s'
        lazy, eager = raw.cursor(), psycopg.Cursor(raw)
        lazy.execute(statement, (member_id,))
        eager.execute(statement, (member_id,))
        assert len(lazy.description) == 4 and lazy.description
        assert [tuple(column) for column in lazy.description] == [tuple(column) for column in eager.description]
        assert [column.name for column in lazy.description] == ["id", "email", "created_at", "points"]
        assert lazy.fetchone() == eager.fetchone()
        lazy.execute("SET LOCAL application_name = 'described'")
        assert lazy.description is None


@pytest.mark.parametrize("limit", [1, 3])
def test_in_text_writes_the_value_into_the_statement(app, db, limit):
    db.session.add_all([Category(name=f"c{n}") for n in range(4)])
    db.session.commit()
    seen: list[str] = []
    statement = sa.select(Category.name).where(Category.name != in_text("skipped", "c0")).order_by(
        Category.name).limit(in_text("limit"))

    def record(_conn, _cursor, sql, *_args):
        seen.append(sql)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        names = db.session.connection().execute(statement, {"limit": limit}).scalars().all()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert names == ["c1", "c2", "c3"][:limit]
    assert f"LIMIT {limit}" in seen[-1] and "'c0'" in seen[-1]


def test_in_text_refuses_a_number_that_is_not_one(app, db):
    """The value goes into the SQL text, so only a whole number is written there: anything else is an error."""
    statement = sa.select(Category.name).limit(in_text("limit"))
    with pytest.raises((sa.exc.StatementError, ValueError, TypeError, psycopg.Error)):
        db.session.connection().execute(statement, {"limit": "1; DELETE FROM category"})
