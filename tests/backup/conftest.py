"""Backup fixtures: a small community with Chinese text and a real uploaded photo, and the CLI helpers."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image
from werkzeug.datastructures import FileStorage

from app.backup.database import row_counts
from app.extensions import db as _db
from app.forum.models import Post
from app.uploads.services import store_image


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 90)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def community(user_factory, thread_factory, post_factory):
    """Three members, two threads with replies in English and Chinese, and one photo stored by the upload code."""
    alice, bo, chen = (user_factory() for _ in range(3))
    tea = thread_factory(author=alice, title="龙井还是碧螺春？", body="今年的新茶你们喝了吗？")
    thread_factory(author=bo, title="Storing oolong", body="Tins or clay jars?", replies=2)
    post_factory(thread=tea, author=chen, body="我更喜欢碧螺春，香气清新。")
    post_factory(thread=tea, author=bo, body="Longjing, every spring.")
    upload = store_image(FileStorage(stream=io.BytesIO(_jpeg()), filename="茶杯.jpg"), owner=alice)
    _db.session.commit()
    return {"owner_login": alice.get_id(), "upload_name": upload.name}


@pytest.fixture
def restored_key_file(app):
    """The instance/secret_key a restore writes; removed afterwards so later tests see the instance as before."""
    key_file = Path(app.instance_path) / "secret_key"
    existed = key_file.exists()
    yield key_file
    if not existed:
        key_file.unlink(missing_ok=True)


def counts_now() -> dict[str, int]:
    with _db.engine.connect() as conn:
        return row_counts(conn)


def post_bodies_checksum() -> str:
    digest = hashlib.sha256()
    for post_id, body in _db.session.execute(sa.select(Post.id, Post.body).order_by(Post.id)):
        digest.update(f"{post_id}\x00{body}\x01".encode())
    return digest.hexdigest()


def release_connections() -> None:
    """End the test's own transaction so a restore never waits on it (pg_restore drops the tables)."""
    _db.session.commit()
    _db.session.remove()
