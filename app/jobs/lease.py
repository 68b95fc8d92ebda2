"""A database lease so exactly one scheduler runs jobs, on SQLite and PostgreSQL alike."""
from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.db import utcnow
from app.extensions import db
from app.jobs.models import JobLease, JobRun

SCHEDULER_LEASE = "scheduler"

log = logging.getLogger("teahouse.jobs")


def make_holder_id() -> str:
    """host:pid:random, so operators can tell which process holds the lease."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def acquire(holder: str, ttl_seconds: float, *, name: str = SCHEDULER_LEASE, now: datetime | None = None) -> bool:
    """Take or renew the lease; True when ``holder`` holds it afterwards. Commits its own transaction."""
    now = now or utcnow()
    expires = now + timedelta(seconds=ttl_seconds)
    previous = db.session.scalar(sa.select(JobLease.holder).where(JobLease.name == name))
    # One conditional UPDATE is atomic on both databases: renew our own lease or take an expired one.
    taken = db.session.execute(
        sa.update(JobLease)
        .where(JobLease.name == name, sa.or_(JobLease.holder == holder, JobLease.expires_at < now))
        .values(holder=holder, heartbeat_at=now, expires_at=expires,
                acquired_at=sa.case((JobLease.holder == holder, JobLease.acquired_at), else_=now))
    ).rowcount
    if taken:
        if previous != holder:
            mark_runs_lost(holder, now)
        db.session.commit()
        return True
    exists = db.session.scalar(sa.select(JobLease.name).where(JobLease.name == name))
    if exists:
        db.session.rollback()
        return False
    try:
        db.session.add(JobLease(name=name, holder=holder, acquired_at=now, heartbeat_at=now, expires_at=expires))
        db.session.commit()
        return True
    except sa.exc.IntegrityError:  # another scheduler inserted it first
        db.session.rollback()
        return False


def mark_runs_lost(new_holder: str, now: datetime) -> int:
    """Runs still `running` under another scheduler died with it: mark them `lost` (in the takeover's transaction).

    Manual runs (`flask jobs run-once`, no holder) are left alone: they belong to no scheduler. Should the old
    scheduler only have been cut off and finish after all, its run records its real outcome over this one.
    """
    note = f"lost: its scheduler stopped while it ran; {new_holder} took the lease over at {now:%Y-%m-%d %H:%M:%S} UTC"
    lost = db.session.execute(
        sa.update(JobRun)
        .where(JobRun.status == "running", JobRun.holder.is_not(None), JobRun.holder != new_holder)
        .values(status="lost", finished_at=now, error=note)
        .execution_options(synchronize_session=False)
    ).rowcount
    if lost:
        log.warning("marked %d unfinished run(s) of an earlier scheduler as lost", lost)
    return lost


def release(holder: str, *, name: str = SCHEDULER_LEASE) -> None:
    """Give the lease up at once (clean shutdown), so a standby takes over without waiting."""
    db.session.execute(
        sa.update(JobLease).where(JobLease.name == name, JobLease.holder == holder).values(expires_at=utcnow()))
    db.session.commit()


def current(name: str = SCHEDULER_LEASE) -> JobLease | None:
    return db.session.get(JobLease, name)
