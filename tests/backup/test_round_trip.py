"""A backup taken from a live community and restored after the data is gone gives back the same community."""
from __future__ import annotations

import stat

import sqlalchemy as sa

from app.extensions import db
from app.uploads.services import upload_dir
from tests.backup.conftest import counts_now, post_bodies_checksum, release_connections
from tests.conftest import _clean_tables


def _photo(app, owner_login: str, name: str) -> tuple[int, bytes]:
    """Status and bytes of the photo's view as its owner sees it (logged in by session, as ``login_as`` does)."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = owner_login, True
    with client.get(f"/uploads/{name}") as response:
        return response.status_code, response.get_data()


def test_restore_after_wiping_everything_gives_back_rows_posts_photo_and_key(app, runner, community, tmp_path,
                                                                           restored_key_file):
    owner, name = community["owner_login"], community["upload_name"]
    counts, checksum = counts_now(), post_bodies_checksum()
    status, photo = _photo(app, owner, name)
    assert status == 200
    archive = tmp_path / "teahouse.tar.gz"
    release_connections()

    created = runner.invoke(args=["backup", "create", str(archive)])
    assert created.exit_code == 0, created.output
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600

    _clean_tables(app)
    (upload_dir() / name).unlink()
    assert counts_now()["user"] == 0 and _photo(app, owner, name)[0] != 200

    restored = runner.invoke(args=["backup", "restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert f"({counts['user']} user, {counts['thread']} thread, {counts['post']} post" in restored.output
    assert counts_now() == counts and post_bodies_checksum() == checksum
    assert _photo(app, owner, name) == (200, photo)
    assert restored_key_file.read_text() == app.config["SECRET_KEY"]
    assert stat.S_IMODE(restored_key_file.stat().st_mode) == 0o600


def test_force_replaces_rows_added_after_the_backup(app, runner, community, post_factory, tmp_path,
                                                    restored_key_file):
    from app.forum.models import Post

    counts, checksum = counts_now(), post_bodies_checksum()
    archive = tmp_path / "teahouse.tar.gz"
    release_connections()
    assert runner.invoke(args=["backup", "create", str(archive)]).exit_code == 0
    post_factory(body="写在备份之后的帖子")
    db.session.execute(sa.delete(Post).where(Post.body == "Longjing, every spring."))
    release_connections()

    restored = runner.invoke(args=["backup", "restore", "--force", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert counts_now() == counts and post_bodies_checksum() == checksum


def test_a_folder_as_path_gets_a_dated_archive_name(runner, community, tmp_path):
    release_connections()
    result = runner.invoke(args=["backup", "create", str(tmp_path)])
    assert result.exit_code == 0, result.output
    made = list(tmp_path.glob("teahouse-backup-*.tar.gz"))
    assert len(made) == 1 and str(made[0]) in result.output
