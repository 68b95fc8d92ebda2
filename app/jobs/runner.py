"""Running jobs: one recorded run (JobRun) per call, and the scheduler process that holds the lease."""
from __future__ import annotations

import logging
import threading
import time
import traceback

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from app.db import utcnow
from app.extensions import db
from app.jobs import lease
from app.jobs.models import JobRun
from app.jobs.registry import JOBS, JobSpec

log = logging.getLogger("teahouse.jobs")


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
    except Exception:  # noqa: BLE001 - a job failure must be recorded, not crash the scheduler
        db.session.rollback()
        run = db.session.get(JobRun, run_id)
        run.status, run.finished_at = "error", utcnow()
        run.error = traceback.format_exc(limit=8)[-4000:]
        db.session.commit()
        log.error("job %s failed after %.2fs:\n%s", spec.id, time.perf_counter() - started, run.error)
    else:
        log.info("job %s: %d items in %.2fs", spec.id, run.items, time.perf_counter() - started)
    return run


class Scheduler:
    """APScheduler plus the lease: every scheduler runs the same timers, only the lease holder does work."""

    def __init__(self, app: Flask, *, blocking: bool = True) -> None:
        self.app = app
        self.holder = lease.make_holder_id()
        self.ttl = float(app.config["JOB_LEASE_SECONDS"])
        self.is_leader = False
        self._lock = threading.Lock()
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
        self.is_leader = leader
        return leader

    def _run(self, spec: JobSpec) -> None:
        if not self.heartbeat():  # confirm leadership right before doing work
            return
        with self.app.app_context():
            run_job(spec, trigger="schedule", holder=self.holder)

    def start(self) -> None:
        """Register the heartbeat and every job, then start (blocks for the process scheduler)."""
        self.heartbeat()
        self.scheduler.add_job(self.heartbeat, IntervalTrigger(seconds=max(self.ttl / 3, 0.5)),
                               id="_lease_heartbeat", replace_existing=True)
        for spec in JOBS:
            self.scheduler.add_job(self._run, IntervalTrigger(seconds=spec.interval_seconds(self.app)),
                                   args=[spec], id=spec.id, name=spec.description, replace_existing=True)
        log.info("scheduler %s starting with jobs: %s", self.holder, ", ".join(s.id for s in JOBS))
        self.scheduler.start()

    def shutdown(self) -> None:
        """Stop timers, hand the lease back, close pooled connections."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        with self.app.app_context():
            if self.is_leader:
                lease.release(self.holder)
            db.engine.dispose()
