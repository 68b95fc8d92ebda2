"""Declarative base with a naming convention, a UTC datetime type and shared mixins."""
from __future__ import annotations

import enum
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timezone-aware datetime stored in UTC; naive values are refused."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused; use timezone-aware UTC values")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class ContentState(str, enum.Enum):
    """Where a post, thread or activity entry stands in moderation (DESIGN.md section 4)."""

    PUBLISHED = "published"
    PENDING = "pending"
    HIDDEN = "hidden"
    SPAM = "spam"


class ModeratedMixin:
    """State and the who/when/why of hiding, kept instead of deleting."""

    state: Mapped[str] = mapped_column(sa.String(16), default=ContentState.PUBLISHED.value, index=True)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    hide_reason: Mapped[str | None] = mapped_column(sa.String(500))

    @property
    def is_published(self) -> bool:
        return self.state == ContentState.PUBLISHED.value


def upsert_insert(session, table) -> sa.Insert:
    """An INSERT for ``table`` with the dialect's ``on_conflict_do_*`` methods (SQLite and PostgreSQL spell them
    alike), so a write that two requests may race for is one statement instead of a read and then a write."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def lock_row(session, model, ident) -> None:
    """Make later requests wait for this transaction before touching the row; read it after this to see what the
    one before left.

    An UPDATE that changes nothing: PostgreSQL locks the row (as FOR UPDATE would), and SQLite, which ignores
    FOR UPDATE, takes its write lock now instead of at the first real write, after the reads.
    """
    session.execute(sa.update(model).where(model.id == ident).values(id=model.id)
                    .execution_options(synchronize_session=False))


def render_migration_item(type_: str, obj, autogen_context):
    """Alembic hook: write UTCDateTime as a plain timezone-aware DateTime in migration files."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def include_in_migrations(name, type_, parent_names) -> bool:
    """Alembic hook: the full-text index (an FTS5 virtual table on SQLite) is managed by hand in its migration."""
    return not (type_ == "table" and name and name.startswith("search_index"))
