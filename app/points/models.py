"""The points ledger and badges: every change of a member's points is a row, never an edited balance."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class PointEvent(Base):
    """One change of a member's points; ``key`` makes automatic awards idempotent (one per member and key)."""

    __tablename__ = "point_event"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "key"),
        sa.Index("ix_point_event_user_created", "user_id", "created_at"),
        sa.Index("ix_point_event_ref", "ref_type", "ref_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    amount: Mapped[int] = mapped_column()
    reason: Mapped[str] = mapped_column(sa.String(30))  # see app.points.rules.REASONS
    ref_type: Mapped[str | None] = mapped_column(sa.String(30))
    ref_id: Mapped[int | None] = mapped_column()
    key: Mapped[str | None] = mapped_column(sa.String(120))  # NULL for moderators' grants and corrections
    note: Mapped[str | None] = mapped_column(sa.String(500))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class BadgeAward(Base):
    """A badge a member holds; the unique constraint makes every rule idempotent."""

    __tablename__ = "badge_award"
    __table_args__ = (sa.UniqueConstraint("user_id", "badge"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    badge: Mapped[str] = mapped_column(sa.String(30))
    awarded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
