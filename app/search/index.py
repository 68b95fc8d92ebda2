"""The full-text index over posts: SQLite FTS5 or PostgreSQL tsvector + GIN, both fed jieba-segmented text.

The index table lives outside the SQLAlchemy metadata (FTS5 is a virtual table), is created by the migration,
kept current by ORM events on Post and rebuilt by `flask search reindex`.
"""
from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from app.extensions import db
from app.forum.models import Post, Thread
from app.text.markup import html_to_text
from app.text.segment import search_document

TABLE = "search_index"
FTS_SHADOW = {f"{TABLE}_data", f"{TABLE}_idx", f"{TABLE}_content", f"{TABLE}_docsize", f"{TABLE}_config"}


def is_index_table(name: str | None) -> bool:
    return name == TABLE or name in FTS_SHADOW


def document_for(title: str | None, body_html: str) -> str:
    return search_document(f"{title or ''}\n{html_to_text(body_html)}")


def write_entry(conn: Connection, post_id: int, document: str) -> None:
    """Insert or replace one post's entry."""
    if conn.dialect.name == "sqlite":
        conn.execute(sa.text(f"DELETE FROM {TABLE} WHERE rowid = :id"), {"id": post_id})
        conn.execute(sa.text(f"INSERT INTO {TABLE}(rowid, content) VALUES (:id, :doc)"), {"id": post_id, "doc": document})
    else:
        conn.execute(sa.text(
            f"INSERT INTO {TABLE}(post_id, document) VALUES (:id, to_tsvector('simple', :doc)) "
            "ON CONFLICT (post_id) DO UPDATE SET document = EXCLUDED.document"), {"id": post_id, "doc": document})


def clear(conn: Connection) -> None:
    conn.execute(sa.text(f"DELETE FROM {TABLE}"))


def reindex(*, batch: int = 2000, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index from the posts (after a bulk load, or to repair it)."""
    conn = db.session.connection()
    clear(conn)
    done, last_id = 0, 0
    while True:
        rows = db.session.execute(
            sa.select(Post.id, Post.number, Post.body_html, Thread.title).join(Thread, Post.thread_id == Thread.id)
            .where(Post.id > last_id).order_by(Post.id).limit(batch)).all()
        if not rows:
            break
        for row in rows:
            write_entry(conn, row.id, document_for(row.title if row.number == 1 else None, row.body_html))
        done += len(rows)
        last_id = rows[-1].id
        if progress:
            progress(done)
    refresh_statistics(conn)
    return done


def refresh_statistics(conn: Connection) -> None:
    """After a bulk change, let PostgreSQL's planner see how common each word now is (see migration 0012): a
    search for a rare word reads its few matches from the word index only when the planner knows they are few.
    SQLite's FTS5 needs nothing of the kind."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text(f"ANALYZE {TABLE}"))


def _index_post(mapper, connection: Connection, target: Post) -> None:
    title = None
    if target.number == 1:
        title = connection.execute(sa.select(Thread.title).where(Thread.id == target.thread_id)).scalar()
    write_entry(connection, target.id, document_for(title, target.body_html))


def _index_title(mapper, connection: Connection, target: Thread) -> None:
    if not sa.inspect(target).attrs.title.history.has_changes():
        return
    opening = connection.execute(sa.select(Post.id, Post.body_html).where(Post.thread_id == target.id,
                                                                          Post.number == 1)).first()
    if opening:
        write_entry(connection, opening.id, document_for(target.title, opening.body_html))


def _forget_post(mapper, connection: Connection, target: Post) -> None:
    column = "rowid" if connection.dialect.name == "sqlite" else "post_id"
    connection.execute(sa.text(f"DELETE FROM {TABLE} WHERE {column} = :id"), {"id": target.id})


def _body_changed(mapper, connection: Connection, target: Post) -> None:
    if sa.inspect(target).attrs.body_html.history.has_changes():
        _index_post(mapper, connection, target)


_LISTENERS = ((Post, "after_insert", _index_post), (Post, "after_update", _body_changed),
              (Post, "after_delete", _forget_post), (Thread, "after_update", _index_title))


def listen() -> None:
    """Keep the index current on every post write (attached once, from ``search.wiring.init_app``)."""
    for target, name, handler in _LISTENERS:
        if not sa.event.contains(target, name, handler):
            sa.event.listen(target, name, handler)


def forget_many(conn: Connection, post_ids: list[int]) -> None:
    """Drop index entries for posts deleted in bulk (the purge)."""
    if post_ids:
        column = "rowid" if conn.dialect.name == "sqlite" else "post_id"
        conn.execute(sa.text(f"DELETE FROM {TABLE} WHERE {column} IN :ids").bindparams(
            sa.bindparam("ids", expanding=True)), {"ids": post_ids})
