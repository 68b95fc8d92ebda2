"""The outbox (one row per email), members' mail preferences, and hosts' invitations to activities."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class OutboxStatus:
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(Base):
    """One email, written in the transaction of the event that causes it; the send_mail job delivers it.

    ``dedupe_key`` is unique: an event that fires twice queues one email. ``claimed_at`` is the sender's lease on
    the row: a sender that dies mid-batch leaves it claimed, and the next sender takes it over once the lease has
    expired, so only rows whose sending was never committed go out again (at least once, never a second row)."""

    __tablename__ = "mail_outbox"
    __table_args__ = (sa.Index("ix_mail_outbox_due", "status", "next_try_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    kind: Mapped[str] = mapped_column(sa.String(30))
    dedupe_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    language: Mapped[str] = mapped_column(sa.String(16))
    payload: Mapped[Any] = mapped_column(sa.JSON)
    status: Mapped[str] = mapped_column(sa.String(10), default=OutboxStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_try_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(sa.String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(sa.String(1000))


class MailPreference(Base):
    """A member's choice for one kind of email: immediately, in the digest, or never (absent: the default)."""

    __tablename__ = "mail_preference"
    __table_args__ = (sa.UniqueConstraint("user_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(sa.String(30))  # a preference category, or "digest" for its frequency
    mode: Mapped[str] = mapped_column(sa.String(10))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class ActivityInvitation(Base):
    """A host invited all members or a segment to a poll, task or competition; reminders go to those it reached
    who have not taken part."""

    __tablename__ = "activity_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_kind: Mapped[str] = mapped_column(sa.String(12))  # poll | task | competition
    activity_id: Mapped[int] = mapped_column()
    segment_value_id: Mapped[int | None] = mapped_column(sa.ForeignKey("segment_value.id", ondelete="SET NULL"))
    reach: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class InvitedMember(Base):
    """Who an activity invitation reached (reminders are sent to them only)."""

    __tablename__ = "activity_invitee"
    __table_args__ = (sa.UniqueConstraint("invitation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(sa.ForeignKey("activity_invitation.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
