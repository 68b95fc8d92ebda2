"""Bulk seeding on PostgreSQL through COPY (tests/demo/test_bulk.py checks the rows it leaves on both databases)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa


def test_postgresql_seeds_the_big_tables_through_copy(app, db, monkeypatch):
    """On PostgreSQL posts, threads, reactions and read marks go in through COPY (10,000,000 posts in a reasonable
    time); the rows are then what the other tests here check."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    from app.demo import bulk

    copied: list[str] = []
    real = bulk._copy
    monkeypatch.setattr(bulk, "_copy", lambda table, plan, rows: (copied.append(table.name), real(table, plan, rows)))
    bulk.seed_bulk(members=20, threads=10, posts=300, seed=3)
    assert {"thread", "post", "reaction", "thread_read"} <= set(copied)
    assert db.session.scalar(sa.text("SELECT count(*) FROM post")) >= 300
