"""Community settings that admins change at run time (thresholds, word lists, ranking knobs)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow
from app.extensions import db, read_connection


class Setting(Base):
    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    value: Mapped[Any] = mapped_column(sa.JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))


class Checkpoint(Base):
    """How far an incremental job has got (e.g. the last post id ``clear_spam`` has scored)."""

    __tablename__ = "checkpoint"

    name: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    position: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


# Built once: pages read settings on every request (the header asks for the leaderboard mode).
_VALUE = sa.select(Setting.value).where(Setting.key == sa.bindparam("key"))


def get_setting(key: str, default: Any = None) -> Any:
    row = read_connection().execute(_VALUE, {"key": key}).first()
    return default if row is None else row[0]


def set_setting(key: str, value: Any, *, by=None) -> None:
    """Store a setting (the caller audits and commits)."""
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value=value, updated_by_id=getattr(by, "id", None)))
    else:
        row.value, row.updated_by_id = value, getattr(by, "id", None)
    db.session.flush()


def get_checkpoint(name: str) -> int:
    row = db.session.get(Checkpoint, name)
    return row.position if row else 0


def set_checkpoint(name: str, position: int) -> None:
    row = db.session.get(Checkpoint, name)
    if row is None:
        db.session.add(Checkpoint(name=name, position=position))
    else:
        row.position = position
    db.session.flush()
