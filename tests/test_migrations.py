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


ITEM = sa.table("review_item", sa.column("id"), sa.column("post_id"), sa.column("kind"), sa.column("score"),
                sa.column("reasons", sa.JSON), sa.column("kind_reasons", sa.JSON), sa.column("action"),
                sa.column("handled_at"), sa.column("created_at", sa.DateTime(timezone=True)))


def _twin_post(empty_database):
    from app.auth.services import create_user
    from app.forum import services as forum
    from app.forum.models import Category

    category = Category(name="Talk", position=0)
    db.session.add(category)
    author = create_user("twins@example.test", "Twin Author", "a long enough password")
    thread = forum.start_thread(category, author=author, title="Twins", body="Hello there.")
    db.session.commit()
    post_id = db.session.scalar(sa.select(forum.Post.id).where(forum.Post.thread_id == thread.id))
    db.session.commit()  # end the read: on PostgreSQL its locks would hold up the downgrade's DROP TABLE
    return post_id


def _add_items(post_id: int, rows: list[tuple[str, float, list]]) -> None:
    from app.db import utcnow

    # Through the table, as the schema of that revision has it (the model has columns added since).
    db.session.execute(ITEM.insert(), [{"post_id": post_id, "kind": kind, "score": score, "reasons": reasons,
                                        "created_at": utcnow()} for kind, score, reasons in rows])
    db.session.commit()


def _open_and_merged():
    rows = db.session.execute(sa.select(ITEM.c.kind, ITEM.c.score, ITEM.c.reasons, ITEM.c.kind_reasons,
                                        ITEM.c.action, ITEM.c.handled_at)).all()
    return ([r for r in rows if r.handled_at is None], sorted(r.score for r in rows if r.action == "merged"))


def test_upgrading_merges_every_open_twin_of_a_post_into_one_item(empty_database):
    app = create_app({**TEST_CONFIG, "DATABASE_URL": empty_database})
    with app.app_context():
        upgrade()
        post_id = _twin_post(empty_database)
        downgrade(revision="0012_search_statistics")
        # as two racing flags could leave them before the first index existed
        _add_items(post_id, [("flagged", 1, ["spam"]), ("flagged", 2, ["spam"]), ("flagged", 3, ["abusive"]),
                             ("pending", 5, ["links:2"])])
        upgrade()
        [item], merged = _open_and_merged()
        assert (item.kind, item.score, item.reasons) == ("pending", 5, ["links:2", "abusive"]) and merged == [1, 2, 3]
        assert set(item.kind_reasons) == {"pending", "flagged"}
        db.session.remove()
        db.engine.dispose()


def test_upgrading_merges_a_pending_and_a_spam_item_of_one_post(empty_database):
    app = create_app({**TEST_CONFIG, "DATABASE_URL": empty_database})
    with app.app_context():
        upgrade()
        post_id = _twin_post(empty_database)
        downgrade(revision="0017_former_display_names")
        _add_items(post_id, [("pending", 6, ["wechat-id"]), ("spam", 9, ["wechat-id", "author-has-confirmed-spam"])])
        upgrade()
        [item], merged = _open_and_merged()
        assert (item.kind, item.score, item.reasons) == ("spam", 9, ["wechat-id", "author-has-confirmed-spam"])
        assert item.kind_reasons["pending"] == {"score": 6, "reasons": ["wechat-id"]} and merged == [6]
        db.session.remove()
        db.engine.dispose()


def test_there_is_exactly_one_head():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1
