"""Polls attached to threads: options, one ballot per member (database-enforced), chosen options."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, utcnow


class ResultsVisibility(str, enum.Enum):
    ALWAYS = "always"
    AFTER_VOTE = "after_vote"
    AFTER_CLOSE = "after_close"


class Poll(Base):
    __tablename__ = "poll"
    __table_args__ = (sa.CheckConstraint("max_choices >= 1", name="max_choices_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("thread.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(sa.String(300))
    is_multiple: Mapped[bool] = mapped_column(default=False)
    max_choices: Mapped[int] = mapped_column(default=1)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    results_visibility: Mapped[str] = mapped_column(sa.String(16), default=ResultsVisibility.ALWAYS.value)
    is_published: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    voter_count: Mapped[int] = mapped_column(default=0)

    options = relationship("PollOption", order_by="PollOption.position", cascade="all, delete-orphan",
                           back_populates="poll")
    thread = relationship("Thread")

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def has_ended(self, now: datetime) -> bool:
        """Closed by a host or the job, or past its closing time (before the job has run)."""
        return self.closed_at is not None or (self.closes_at is not None and self.closes_at <= now)


class PollOption(Base):
    __tablename__ = "poll_option"

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(sa.ForeignKey("poll.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(sa.String(200))

    poll = relationship(Poll, back_populates="options")


class Ballot(Base):
    """One per member per poll: the unique constraint makes concurrent double-submits impossible."""

    __tablename__ = "ballot"
    __table_args__ = (sa.UniqueConstraint("poll_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(sa.ForeignKey("poll.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BallotChoice(Base):
    __tablename__ = "ballot_choice"

    ballot_id: Mapped[int] = mapped_column(sa.ForeignKey("ballot.id", ondelete="CASCADE"), primary_key=True)
    option_id: Mapped[int] = mapped_column(sa.ForeignKey("poll_option.id", ondelete="CASCADE"), primary_key=True,
                                           index=True)
