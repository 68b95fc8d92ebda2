"""PostgreSQL prepares a page's statements once per connection, not on every request (app/core/database.py)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db as _db
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
