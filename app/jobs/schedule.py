"""When each job runs next, from its last recorded run: one rule for the scheduler and for `flask jobs list`.

A job's next run is its last run's start plus its interval, or now when it has never run or is overdue, so
restarting the scheduler never postpones a job (a daily purge still runs daily under daily restarts).
"""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.jobs.models import JobRun
from app.jobs.registry import JobSpec


def last_runs(job_ids: list[str]) -> dict[str, JobRun]:
    """The latest recorded run of each job (any trigger, any outcome), by job id."""
    latest = (sa.select(JobRun.job_id, sa.func.max(JobRun.started_at).label("started_at"))
              .where(JobRun.job_id.in_(job_ids)).group_by(JobRun.job_id).subquery())
    rows = db.session.scalars(sa.select(JobRun).join(
        latest, sa.and_(JobRun.job_id == latest.c.job_id, JobRun.started_at == latest.c.started_at)))
    return {run.job_id: run for run in rows}


def next_run_at(interval_seconds: int, last_started: datetime | None, now: datetime) -> datetime:
    """Last start + interval, but never before ``now``: a job never run or overdue runs at once."""
    if last_started is None:
        return now
    return max(last_started + timedelta(seconds=interval_seconds), now)


def next_runs(app: Flask, specs: tuple[JobSpec, ...], now: datetime) -> dict[str, datetime]:
    """Each job's next run, from the database's record of its last run."""
    last = last_runs([spec.id for spec in specs])
    return {spec.id: next_run_at(spec.interval_seconds(app), last[spec.id].started_at if spec.id in last else None,
                                 now) for spec in specs}
