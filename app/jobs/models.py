"""The scheduler lease (one active scheduler at a time) and the record of every job run."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow

RUN_STATUS_LABELS = {"running": _l("running"), "ok": _l("ok"), "error": _l("failed"),
                     "lost": _l("lost (its scheduler stopped)")}


class JobLease(Base):
    __tablename__ = "job_lease"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(sa.String(120))
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class JobRun(Base):
    __tablename__ = "job_run"
    __table_args__ = (sa.Index("ix_job_run_job_started", "job_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(sa.String(40))
    trigger: Mapped[str] = mapped_column(sa.String(16))  # schedule | manual
    holder: Mapped[str | None] = mapped_column(sa.String(120))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    items: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(sa.String(16), default="running")  # running | ok | error | lost
    error: Mapped[str | None] = mapped_column(sa.Text)

    @property
    def status_label(self) -> str:
        """The status in the reader's language (a `lost` run's scheduler died while it ran)."""
        return str(RUN_STATUS_LABELS.get(self.status, self.status))

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()
