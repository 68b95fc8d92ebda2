"""A backup taken from a live community and restored after the data is gone gives back the same community."""
from __future__ import annotations

import stat
import threading
import time

import sqlalchemy as sa

from app.extensions import db
from app.forum import services as forum
from app.forum.models import Post, Thread
from app.members.models import User
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
    for path in upload_dir().iterdir():  # the stored photo (named by its content) and its thumbnails
        path.unlink()
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


def _keep_posting(app, thread_id: int, author_id: int, stop: threading.Event, written: list[int]) -> None:
    """A member replying again and again in their own app context, as a live community would while a backup runs."""
    while not stop.is_set():
        with app.app_context():
            thread, author = db.session.get(Thread, thread_id), db.session.get(User, author_id)
            reply = forum.reply(thread, author=author, body=f"实时回复 {len(written)}")
            db.session.commit()
            written.append(reply.id)


def test_a_backup_taken_while_members_post_is_one_consistent_snapshot(app, runner, community, thread_factory,
                                                                      tmp_path, restored_key_file, monkeypatch):
    thread = thread_factory(body="Busy thread")
    thread_id, author_id = thread.id, thread.author_id
    archive, stop, written = tmp_path / "live.tar.gz", threading.Event(), []
    release_connections()
    writer = threading.Thread(target=_keep_posting, args=(app, thread_id, author_id, stop, written))
    writer.start()
    try:
        while len(written) < 3:  # the writer is under way before the backup starts
            time.sleep(0.01)
        created = runner.invoke(args=["backup", "create", str(archive)])
    finally:
        stop.set()
        writer.join()
    assert created.exit_code == 0, created.output
    monkeypatch.setenv("TEAHOUSE_SECRET_KEY", "a-different-key-in-the-environment")
    restored = runner.invoke(args=["backup", "restore", "--force", str(archive)])
    assert restored.exit_code == 0, restored.output  # the restore checks every table against the manifest's counts
    assert "TEAHOUSE_SECRET_KEY in the environment differs" in restored.output
    live = list(db.session.scalars(sa.select(Post.id).where(Post.thread_id == thread_id, Post.body.like("实时回复%"))
                                   .order_by(Post.id)))
    assert len(live) >= 3 and live == written[:len(live)]  # one moment of the writer: every reply up to it, no gap
