"""Backups across setups: an older schema restored then upgraded, and how pg_dump is called (PostgreSQL only)."""
from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from app import create_app
from app.backup.database import libpq_arguments
from app.extensions import db
from tests.conftest import TEST_CONFIG, TEST_DATABASE_URL

postgresql_only = pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs TEAHOUSE_TEST_DATABASE_URL")


def _sqlite_app(tmp_path: Path, name: str):
    return create_app({**TEST_CONFIG, "DATABASE_URL": f"sqlite:///{tmp_path / name}.db",
                       "INSTANCE_PATH": str(tmp_path / name)})


def _invoke(app, *args: str):
    """Run a command on ``app`` itself: the CLI runner would otherwise reuse the session app's pushed context."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def _revision(app) -> str:
    with app.app_context(), db.engine.connect() as conn:
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()


def test_an_older_backup_is_restored_and_db_upgrade_brings_it_to_head(tmp_path):
    old, new = _sqlite_app(tmp_path, "old"), _sqlite_app(tmp_path, "new")
    with old.app_context():
        scripts = ScriptDirectory(old.extensions["migrate"].directory)
        head = scripts.get_current_head()
        previous = scripts.get_revision(head).down_revision
        upgrade(revision=previous)
    archive = tmp_path / "old.tar.gz"
    assert _invoke(old, "backup", "create", str(archive)).exit_code == 0

    result = _invoke(new, "backup", "restore", str(archive))
    assert result.exit_code == 0, result.output
    assert f"({previous}) is not this version's ({head}): run `flask --app wsgi db upgrade`" in result.output
    assert _revision(new) == previous
    with new.app_context():
        upgrade()
    assert _revision(new) == head
    for app in (old, new):
        with app.app_context():
            db.engine.dispose()


def test_the_password_goes_to_pg_tools_through_the_environment_only():
    conninfo, env = libpq_arguments("postgresql+psycopg://teahouse:s3cr%27et@db.internal:5433/tea?sslmode=require")
    assert "s3cr" not in conninfo and env["PGPASSWORD"] == "s3cr'et"
    assert conninfo == "host='db.internal' port='5433' user='teahouse' dbname='tea' sslmode='require'"


def _fake_tool(folder: Path, name: str, script: str) -> None:
    folder.mkdir(exist_ok=True)
    tool = folder / name
    tool.write_text("#!/bin/sh\n" + script)
    tool.chmod(tool.stat().st_mode | stat.S_IEXEC)


@postgresql_only
def test_a_missing_pg_dump_is_a_clear_error(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = runner.invoke(args=["backup", "create", str(tmp_path / "b.tar.gz")])
    assert result.exit_code == 1 and "pg_dump was not found" in result.output
    assert not (tmp_path / "b.tar.gz").exists()


@postgresql_only
def test_a_failing_pg_dump_is_reported_with_its_message_and_no_archive(runner, tmp_path, monkeypatch):
    _fake_tool(tmp_path / "bin", "pg_dump", 'echo "pg_dump: error: server version mismatch" >&2\nexit 1\n')
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    result = runner.invoke(args=["backup", "create", str(tmp_path / "b.tar.gz")])
    assert result.exit_code == 1 and "pg_dump failed: pg_dump: error: server version mismatch" in result.output
    assert list(tmp_path.glob("*b.tar.gz*")) == []


@postgresql_only
def test_pg_dump_sees_the_password_in_its_environment_not_its_arguments(tmp_path, monkeypatch):
    seen = tmp_path / "seen.json"
    _fake_tool(tmp_path / "bin", "pg_dump", f'printf \'{{"args": "%s", "password": "%s"}}\' "$*" "$PGPASSWORD" '
                                            f'> {seen}\nexit 1\n')
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    url = sa.engine.make_url(TEST_DATABASE_URL).set(password="pw-from-url")  # trust auth accepts any password
    app = create_app({**TEST_CONFIG, "DATABASE_URL": url.render_as_string(hide_password=False),
                      "INSTANCE_PATH": str(tmp_path / "instance")})
    result = _invoke(app, "backup", "create", str(tmp_path / "b.tar.gz"))
    with app.app_context():
        db.engine.dispose()
    recorded = json.loads(seen.read_text())
    assert result.exit_code == 1 and recorded["password"] == "pw-from-url" and "pw-from-url" not in recorded["args"]
    assert "--format=custom" in recorded["args"] and "--snapshot=" in recorded["args"]
