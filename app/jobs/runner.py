"""Running jobs: one recorded run (JobRun) per call, and the scheduler process that holds the lease."""
from __future__ import annotations

import logging
import threading
import time
import traceback

import sqlalchemy as sa
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from app.db import utcnow
from app.extensions import db
from app.jobs import lease, registry
from app.jobs.models import JobRun
from app.jobs.registry import JobSpec
from app.jobs.schedule import next_runs

log = logging.getLogger("teahouse.jobs")


def quiet_apscheduler() -> None:
    """APScheduler logs every execution at INFO (the heartbeat alone: a line every few seconds); keep its warnings
    and errors, and let run_job log each run's outcome instead."""
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def run_job(spec: JobSpec, *, trigger: str = "manual", holder: str | None = None) -> JobRun:
    """Run one job in one transaction and record it; a failure is recorded, never raised."""
    run = JobRun(job_id=spec.id, trigger=trigger, holder=holder, started_at=utcnow())
    db.session.add(run)
    db.session.commit()
    run_id, started = run.id, time.perf_counter()
    try:
        items = spec.func(utcnow())
        run.items, run.status, run.finished_at = int(items or 0), "ok", utcnow()
        db.session.commit()
    except Exception as error:  # noqa: BLE001 - a job failure must be recorded, not crash the scheduler
        db.session.rollback()
        run = db.session.get(JobRun, run_id)
        run.status, run.finished_at = "error", utcnow()
        run.error = traceback.format_exc(limit=8)[-4000:]  # the traceback stays in the run's record
        db.session.commit()
        reason = (str(error).strip().splitlines() or [""])[0][:300]
        log.error("job %s failed after %.2fs: %s: %s", spec.id, time.perf_counter() - started,
                  type(error).__name__, reason)
    else:  # a run that found nothing to do is a heartbeat, not news (run_exports looks every 5 s)
        log.log(logging.INFO if run.items else logging.DEBUG, "job %s: ok, %d items in %.2fs", spec.id, run.items,
                time.perf_counter() - started)
    return run


class Scheduler:
    """APScheduler plus the lease: every scheduler runs the same timers, only the lease holder does work."""

    def __init__(self, app: Flask, *, blocking: bool = True) -> None:
        self.app = app
        self.holder = lease.make_holder_id()
        self.ttl = float(app.config["JOB_LEASE_SECONDS"])
        self.is_leader = False
        self._jobs_added = False
        self._lock = threading.Lock()
        quiet_apscheduler()
        scheduler_class = BlockingScheduler if blocking else BackgroundScheduler
        self.scheduler = scheduler_class(timezone="UTC", job_defaults={
            "max_instances": 1, "coalesce": True, "misfire_grace_time": 60,
        })

    def heartbeat(self) -> bool:
        """Take or renew the lease; log when leadership changes."""
        with self._lock, self.app.app_context():
            try:
                leader = lease.acquire(self.holder, self.ttl)
            except Exception:  # a database hiccup makes us a standby, not a crash
                db.session.rollback()
                log.exception("lease heartbeat failed")
                leader = False
        if leader != self.is_leader:
            log.warning("scheduler %s is now %s", self.holder, "ACTIVE" if leader else "standing by")
        gained = leader and not self.is_leader
        self.is_leader = leader
        if gained and self._jobs_added:
            self._schedule_jobs()  # a standby's timers are its own: take the last runs' times over
        return leader

    def _run(self, spec: JobSpec) -> None:
        # A standby's timers do nothing: only the heartbeat takes the lease over, and it then reschedules every job
        # from the database. The active scheduler confirms its lease right before doing work.
        if not self.is_leader or not self.heartbeat():
            return
        with self.app.app_context():
            run_job(spec, trigger="schedule", holder=self.holder)

    def _schedule_jobs(self) -> None:
        """(Re)schedule every job from its last recorded run, so a restart or takeover never postpones one."""
        with self.app.app_context():
            try:
                first_runs = next_runs(self.app, registry.JOBS, utcnow())
            except sa.exc.SQLAlchemyError as error:  # the database is away: try every job now, it records why
                log.warning("could not read the last runs (%s); every job is due now", type(error).__name__)
                first_runs = {spec.id: utcnow() for spec in registry.JOBS}
            finally:
                db.session.remove()
        for spec in registry.JOBS:
            self.scheduler.add_job(self._run, IntervalTrigger(seconds=spec.interval_seconds(self.app)),
                                   next_run_time=first_runs[spec.id], args=[spec], id=spec.id,
                                   name=spec.description, replace_existing=True)
        log.info("scheduler %s: next runs %s", self.holder,
                 ", ".join(f"{job_id} {when:%Y-%m-%d %H:%M:%S}" for job_id, when in first_runs.items()))

    def start(self) -> None:
        """Register the heartbeat and every job, then start (blocks for the process scheduler)."""
        self.heartbeat()
        self.scheduler.add_job(self.heartbeat, IntervalTrigger(seconds=max(self.ttl / 3, 0.5)),
                               id="_lease_heartbeat", replace_existing=True)
        self._schedule_jobs()
        self._jobs_added = True
        self.scheduler.start()

    def shutdown(self) -> None:
        """Stop timers, hand the lease back, close pooled connections."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        with self.app.app_context():
            if self.is_leader:
                lease.release(self.holder)
            db.engine.dispose()
