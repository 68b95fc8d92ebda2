"""Persistent ORM objects read through one prebuilt Core select: ``session.get`` at about half its cost, for the
rows a busy page loads on every request (the member, a task page's task).

The row is put into a new instance as the ORM's own loading would (every column loaded, nothing pending), which is
then added to the session: later changes flush as an UPDATE, relationships load lazily, expiry reloads it.
"""
from __future__ import annotations

import functools
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import make_transient_to_detached

from app.extensions import db, read_connection


@functools.cache
def _plan(model: type) -> tuple[sa.Select, tuple[str, ...]]:
    """The select of every column of ``model`` by its primary key (bound as ``id``), and the attribute names."""
    attributes = tuple(model.__mapper__.column_attrs)
    (key_column,) = model.__mapper__.primary_key
    select = sa.select(*(attribute.columns[0] for attribute in attributes)).where(key_column == sa.bindparam("id"))
    return select, tuple(attribute.key for attribute in attributes)


def select_by_id(model: type) -> sa.Select:
    """The prebuilt select ``load_row`` expects rows of (more columns may follow: ``load_row`` takes its own)."""
    return _plan(model)[0]


def load_row(model: type, row: Sequence):
    """A persistent ``model`` from a row of ``select_by_id(model)``, added to the request's session."""
    keys = _plan(model)[1]
    instance = model.__mapper__.class_manager.new_instance()
    instance.__dict__.update(zip(keys, row[:len(keys)], strict=True))
    make_transient_to_detached(instance)  # the identity key, every loaded value marked committed
    db.session().add(instance)
    return instance


def get_loaded(model: type, ident: int):
    """``db.session.get(model, ident)``: the object the session holds, else one read by the prebuilt select."""
    session = db.session()
    held = session.identity_map.get(session.identity_key(model, ident))
    if held is not None:
        return held
    row = read_connection().execute(_plan(model)[0], {"id": ident}).first()
    return None if row is None else load_row(model, row)
