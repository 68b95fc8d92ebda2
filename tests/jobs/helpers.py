"""Shared by the scheduler tests that start real `flask jobs run` processes."""
from __future__ import annotations

import time


def wait_for(predicate, timeout: float, *, interval: float = 0.1):
    """Call ``predicate`` until it returns something truthy (returned) or ``timeout`` seconds pass (None)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return None


def spam_model_trained_a_minute_ago(db) -> None:
    """Record a finished `train_spam` run a minute old, so a scheduler started now leaves that job for its next
    interval (six hours) instead of running it at once: training on the seed corpus took most of the CPU of the
    tests that start real schedulers (some 10 s a process), and what they check is the scheduler, not the model.
    `test_every_job_runs_once_from_the_cli[train_spam]` runs the job itself."""
    from datetime import timedelta

    from app.db import utcnow
    from app.jobs.models import JobRun

    started = utcnow() - timedelta(minutes=1)
    db.session.add(JobRun(job_id="train_spam", trigger="schedule", holder="earlier-scheduler:0:test",
                          started_at=started, finished_at=started + timedelta(seconds=5), status="ok"))
    db.session.commit()
