"""Migrations: upgrade an empty database to head, match the models exactly, downgrade and upgrade again."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from app import ROOT, create_app
from app.db import include_in_migrations
from app.extensions import db
from tests.conftest import TEST_CONFIG, TEST_DATABASE_URL


@pytest.fixture
def empty_database(tmp_path):
    """A brand-new database: a SQLite file, or a fresh PostgreSQL database created and dropped here."""
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"th_migrations_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield sa.engine.make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _diff(app) -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": include_in_migrations})
        return compare_metadata(context, db.metadata)


def test_upgrade_to_head_matches_the_models_and_round_trips(empty_database):
    app = create_app({**TEST_CONFIG, "DATABASE_URL": empty_database})
    with app.app_context():
        upgrade()
        assert _diff(app) == []
        downgrade(revision="base")
        assert {t for t in sa.inspect(db.engine).get_table_names() if not t.startswith("search_index")} <= \
            {"alembic_version"}
        upgrade()
        assert _diff(app) == []
        db.engine.dispose()


def test_upgrading_closes_all_but_the_newest_of_twin_open_review_items(empty_database):
    from app.auth.services import create_user
    from app.forum import services as forum
    from app.forum.models import Category
    from app.moderation.models import ReviewItem

    app = create_app({**TEST_CONFIG, "DATABASE_URL": empty_database})
    with app.app_context():
        upgrade()
        category = Category(name="Talk", position=0)
        db.session.add(category)
        author = create_user("twins@example.test", "Twin Author", "a long enough password")
        thread = forum.start_thread(category, author=author, title="Twins", body="Hello there.")
        db.session.commit()
        post = db.session.scalar(sa.select(forum.Post).where(forum.Post.thread_id == thread.id))
        downgrade(revision="0012_search_statistics")
        for score in (1, 2, 3):  # as two racing flags could leave them before the index existed
            db.session.add(ReviewItem(post_id=post.id, kind="flagged", score=score))
        db.session.add(ReviewItem(post_id=post.id, kind="pending", score=5))
        db.session.commit()
        upgrade()
        items = db.session.execute(sa.select(ReviewItem.kind, ReviewItem.score, ReviewItem.action)
                                   .where(ReviewItem.handled_at.is_(None))).all()
        merged = db.session.scalars(sa.select(ReviewItem.score).where(ReviewItem.action == "merged")).all()
        assert sorted(items) == [("flagged", 3, None), ("pending", 5, None)] and sorted(merged) == [1, 2]
        db.session.remove()
        db.engine.dispose()


def test_there_is_exactly_one_head():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1
