"""Daily rollups of community activity, kept by the ``roll_up_health`` job so the dashboard never scans posts."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class DailyHealth(Base):
    """One community day (in the community's time zone): who was active and what was written."""

    __tablename__ = "health_day"

    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    active_members: Mapped[int] = mapped_column(default=0)  # distinct members who posted, voted or read that day
    weekly_active: Mapped[int] = mapped_column(default=0)  # distinct members active in the 7 days ending that day
    new_members: Mapped[int] = mapped_column(default=0)
    threads: Mapped[int] = mapped_column(default=0)
    replies: Mapped[int] = mapped_column(default=0)
    threads_answered: Mapped[int] = mapped_column(default=0)  # of that day's threads, those with a reply by now
    first_answer_minutes: Mapped[float | None] = mapped_column(sa.Float)  # median, host answers to inquiries
    participations: Mapped[int] = mapped_column(default=0)  # ballots, task answers and entries that day
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MemberDay(Base):
    """A member was active on a day: the rollups' source for active counts and cohort retention."""

    __tablename__ = "health_member_day"
    __table_args__ = (sa.UniqueConstraint("day", "user_id"), sa.Index("ix_health_member_day_user", "user_id", "day"))

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))


class CohortMonth(Base):
    """Of the members who joined in ``cohort`` (first of month), how many were active ``offset`` months later."""

    __tablename__ = "health_cohort"
    __table_args__ = (sa.UniqueConstraint("cohort", "offset_months"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort: Mapped[date] = mapped_column(sa.Date)
    offset_months: Mapped[int] = mapped_column()
    size: Mapped[int] = mapped_column(default=0)
    active: Mapped[int] = mapped_column(default=0)
