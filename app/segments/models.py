"""Segment attributes (age band, city tier, ...) with their allowed values, and each member's value."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, utcnow


class SegmentAttribute(Base):
    __tablename__ = "segment_attribute"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(40), unique=True)  # the CSV column header, e.g. "age_band"
    label: Mapped[str] = mapped_column(sa.String(80))
    member_editable: Mapped[bool] = mapped_column(default=True)  # members may fill it in their settings
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    values = relationship("SegmentValue", order_by="SegmentValue.position", cascade="all, delete-orphan",
                          passive_deletes=True, back_populates="attribute")


class SegmentValue(Base):
    """One allowed value of an attribute."""

    __tablename__ = "segment_value"
    __table_args__ = (sa.UniqueConstraint("attribute_id", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attribute_id: Mapped[int] = mapped_column(sa.ForeignKey("segment_attribute.id", ondelete="CASCADE"))
    value: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int] = mapped_column(default=0)

    attribute = relationship(SegmentAttribute, back_populates="values")


class MemberSegment(Base):
    """A member's value for one attribute (at most one per attribute)."""

    __tablename__ = "member_segment"
    __table_args__ = (sa.UniqueConstraint("user_id", "attribute_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    attribute_id: Mapped[int] = mapped_column(sa.ForeignKey("segment_attribute.id", ondelete="CASCADE"), index=True)
    value_id: Mapped[int] = mapped_column(sa.ForeignKey("segment_value.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(sa.String(10), default="member")  # member | admin | import
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
