"""Community tasks ("send members out on a task") and members' submissions."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, utcnow


class Task(Base):
    __tablename__ = "task"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    instructions: Mapped[str] = mapped_column(sa.Text)
    instructions_html: Mapped[str] = mapped_column(sa.Text)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    min_photos: Mapped[int] = mapped_column(default=0)  # 0..5 photos required
    max_photos: Mapped[int] = mapped_column(default=5)
    points: Mapped[int] = mapped_column(default=10)
    is_masked: Mapped[bool] = mapped_column(default=True)  # see others' answers only after answering
    is_published: Mapped[bool] = mapped_column(default=False)  # researchers' drafts wait for a host
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    created_by = relationship("User", foreign_keys=[created_by_id])

    def is_open(self, now: datetime) -> bool:
        return self.is_published and self.opens_at <= now < self.due_at


class SubmissionStatus:
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    NEEDS_MORE = "needs_more"


class TaskSubmission(Base):
    __tablename__ = "task_submission"
    __table_args__ = (sa.UniqueConstraint("task_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("task.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    author_name: Mapped[str] = mapped_column(sa.String(40))
    text: Mapped[str] = mapped_column(sa.Text)
    text_html: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16), default=SubmissionStatus.SUBMITTED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    review_note: Mapped[str | None] = mapped_column(sa.String(1000))

    task = relationship(Task)
    user = relationship("User", foreign_keys=[user_id])


class TaskSubmissionRevision(Base):
    """An earlier version of a member's answer, kept when they edit it (the hosts see what they had reviewed)."""

    __tablename__ = "task_submission_revision"
    __table_args__ = (sa.UniqueConstraint("submission_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("task_submission.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()  # 1 for the first version sent
    text: Mapped[str] = mapped_column(sa.Text)
    text_html: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16))  # the status this version had when it was replaced
    review_note: Mapped[str | None] = mapped_column(sa.String(1000))
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    written_at: Mapped[datetime] = mapped_column(UTCDateTime())  # when this version was sent
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    reviewed_by = relationship("User", foreign_keys=[reviewed_by_id])
