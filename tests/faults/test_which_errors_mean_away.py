"""Only errors that mean "the database is away" become the 503; SQLite's own bugs stay a logged 500."""
from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from app.core import outage
from app.core.errors import _database_error


def _wrapped(message: str) -> sa.exc.OperationalError:
    return sa.exc.OperationalError("SELECT 1", {}, sqlite3.OperationalError(message))


@pytest.mark.parametrize("message", ["database is locked", "unable to open database file", "disk I/O error",
                                     "database or disk is full"])
def test_sqlite_errors_that_mean_the_database_is_away_are_unavailable(message):
    assert outage.is_unavailable(_wrapped(message))


@pytest.mark.parametrize("message", ["no such table: post", 'near "SELEC": syntax error', "no such column: x"])
def test_sqlite_bugs_filed_as_operational_errors_are_not_an_outage(message):
    assert not outage.is_unavailable(_wrapped(message))


def test_a_sqlite_bug_answers_the_generic_500_not_the_503(app, caplog):
    with app.test_request_context("/threads"):
        body, status = _database_error(_wrapped("no such table: post"))
    assert status == 500 and "Retry-After" not in getattr(body, "headers", {})
    assert any("Unhandled error" in record.getMessage() for record in caplog.records)


def test_a_locked_sqlite_database_answers_503_with_retry_after(app):
    with app.test_request_context("/threads"):
        response = _database_error(_wrapped("database is locked"))
    assert response.status_code == 503 and response.headers["Retry-After"]
