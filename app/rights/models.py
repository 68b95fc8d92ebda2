"""The consent ledger and members' requests for their data and for the erasure of their account."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, utcnow


class RequestStatus:
    PENDING = "pending"  # a download being prepared, or an erasure waiting for its grace period
    READY = "ready"  # a download that may be fetched until it expires
    EXPIRED = "expired"  # a download whose file is deleted
    CANCELLED = "cancelled"
    DONE = "done"  # an account erased


class DataExportRequest(Base):
    """A member's request for a copy of their data: prepared by a job, downloadable until ``expires_at``."""

    __tablename__ = "data_export_request"
    __table_args__ = (sa.Index("ix_data_export_request_status", "status", "requested_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(16), default=RequestStatus.PENDING)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    file_name: Mapped[str | None] = mapped_column(sa.String(80))  # random; under MEMBER_EXPORT_DIR
    size: Mapped[int | None] = mapped_column(sa.BigInteger)

    user = relationship("User")


class ErasureRequest(Base):
    """A member's request to erase their account, carried out by a job once ``due_at`` has passed."""

    __tablename__ = "erasure_request"
    __table_args__ = (sa.Index("ix_erasure_request_status_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(16), default=RequestStatus.PENDING)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    posts_policy: Mapped[str | None] = mapped_column(sa.String(16))  # what happened to the posts: keep or hide

    user = relationship("User", foreign_keys=[user_id])
