"""Restore refuses what it must not apply: damaged or foreign files, another database kind, a database in use."""
from __future__ import annotations

import gzip
import io
import json
import tarfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.forum.models import Post
from tests.backup.conftest import release_connections


@pytest.fixture
def archive(runner, community, tmp_path) -> Path:
    """A real backup of the small community."""
    release_connections()
    path = tmp_path / "teahouse.tar.gz"
    result = runner.invoke(args=["backup", "create", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _repacked(source: Path, target: Path, **manifest_changes) -> Path:
    """The same archive with some manifest fields changed (what another setup's or a forged file would hold)."""
    with tarfile.open(source, "r:gz") as original, tarfile.open(target, "w:gz") as copy:
        for member in original.getmembers():
            data = original.extractfile(member).read()
            if member.name == "manifest.json":
                data = json.dumps({**json.loads(data), **manifest_changes}).encode()
                member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return target


def _restore(runner, path: Path, *extra: str):
    release_connections()
    return runner.invoke(args=["backup", "restore", *extra, str(path)])


def test_truncated_archive_is_refused_as_damaged(runner, archive, tmp_path):
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    result = _restore(runner, truncated, "--force")
    assert result.exit_code == 1 and "damaged" in result.output and "Traceback" not in result.output


def test_a_flipped_byte_is_refused_before_anything_is_restored(runner, archive, tmp_path):
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(bytes(data))
    post_count = db.session.scalar(sa.select(sa.func.count()).select_from(Post))
    db.session.execute(sa.delete(Post).where(Post.body == "Longjing, every spring."))
    result = _restore(runner, damaged, "--force")
    assert result.exit_code == 1 and "damaged" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Post)) == post_count - 1


@pytest.mark.parametrize("content", [b"just some notes\n", gzip.compress(b"{}", mtime=0), gzip.compress(b"\0" * 2048, mtime=0)],
                         ids=["text", "gzip-json", "gzip-zeros"])
def test_a_file_that_is_not_a_backup_is_refused(runner, tmp_path, content):
    foreign = tmp_path / "foreign.tar.gz"
    foreign.write_bytes(content)
    result = _restore(runner, foreign)
    assert result.exit_code == 1 and "not a Teahouse backup" in result.output


def test_another_programs_tar_archive_is_refused(runner, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not ours")
    foreign = tmp_path / "other.tar.gz"
    with tarfile.open(foreign, "w:gz") as tar:
        tar.add(notes, arcname="notes.txt")
    result = _restore(runner, foreign)
    assert result.exit_code == 1 and "no manifest" in result.output


def test_a_backup_of_the_other_database_kind_is_refused(runner, archive, tmp_path, app):
    configured = app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0].split("+")[0]
    other = "sqlite" if configured == "postgresql" else "postgresql"
    foreign = _repacked(archive, tmp_path / "other-kind.tar.gz", database=other)
    result = _restore(runner, foreign, "--force")
    assert result.exit_code == 1
    assert f"holds a {other} database but Teahouse is configured for {configured}" in result.output


def test_a_newer_backup_format_is_refused(runner, archive, tmp_path):
    newer = _repacked(archive, tmp_path / "newer.tar.gz", format_version=99)
    result = _restore(runner, newer, "--force")
    assert result.exit_code == 1 and "format version 99" in result.output


@pytest.mark.parametrize("forged", [
    {"files": {"../../outside.txt": "0" * 64}}, {"files": {"uploads/evil\n": "0" * 64}},
    {"files": {"uploads/..": "0" * 64}}, {"files": {"uploads/.restoring": "0" * 64}},
    {"row_counts": {"user": "many"}}, {"row_counts": {"user": True}},
])
def test_a_forged_manifest_is_refused_before_any_file_is_written(runner, archive, tmp_path, forged):
    result = _restore(runner, _repacked(archive, tmp_path / "forged.tar.gz", **forged), "--force")
    assert result.exit_code == 1 and "damaged manifest" in result.output
    assert not (tmp_path.parent / "outside.txt").exists()


def test_a_backup_from_a_newer_schema_is_refused(runner, archive, tmp_path):
    newer = _repacked(archive, tmp_path / "future.tar.gz", alembic_revision="9999_from_the_future")
    result = _restore(runner, newer, "--force")
    assert result.exit_code == 1 and "comes from a newer Teahouse" in result.output


def test_a_database_with_accounts_is_not_overwritten_without_force(runner, archive, post_factory):
    later = post_factory(body="Written after the backup").id
    result = _restore(runner, archive)
    assert result.exit_code == 1 and "--force" in result.output and "account" in result.output
    assert db.session.get(Post, later) is not None


def test_a_missing_archive_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(args=["backup", "restore", str(tmp_path / "nowhere.tar.gz")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_create_refuses_an_existing_file_and_a_missing_folder(runner, tmp_path):
    existing = tmp_path / "kept.tar.gz"
    existing.write_bytes(b"keep me")
    over = runner.invoke(args=["backup", "create", str(existing)])
    nowhere = runner.invoke(args=["backup", "create", str(tmp_path / "no" / "such" / "b.tar.gz")])
    assert over.exit_code == 1 and "already exists" in over.output and existing.read_bytes() == b"keep me"
    assert nowhere.exit_code == 1 and "does not exist" in nowhere.output
