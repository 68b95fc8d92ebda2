"""A request's writes commit or roll back together, savepoints included, on SQLite as on PostgreSQL."""
from __future__ import annotations

import sqlalchemy as sa

from app.forum.models import Category


def _categories(app) -> list[str]:
    with app.app_context():
        from app.extensions import db

        return list(db.session.scalars(sa.select(Category.name).order_by(Category.name)))


def test_a_savepoint_before_any_write_is_rolled_back_with_the_request(app, db):
    with db.session.begin_nested():
        db.session.add(Category(name="Inside a savepoint"))
    db.session.add(Category(name="After the savepoint"))
    db.session.flush()
    db.session.rollback()
    assert _categories(app) == []


def test_a_savepoint_before_any_write_commits_with_the_request(app, db):
    with db.session.begin_nested():
        db.session.add(Category(name="Inside a savepoint"))
    assert _categories(app) == []  # not visible to another connection before the commit
    db.session.commit()
    assert _categories(app) == ["Inside a savepoint"]


def test_a_rolled_back_savepoint_keeps_the_writes_before_it(app, db):
    db.session.add(Category(name="Before"))
    db.session.flush()
    savepoint = db.session.begin_nested()
    db.session.add(Category(name="Undone"))
    db.session.flush()
    savepoint.rollback()
    db.session.commit()
    assert _categories(app) == ["Before"]
