"""An app factory for `flask jobs run` subprocesses in tests: the real app plus one job that takes a minute.

Only the subprocess that loads this factory sees the extra job (``flask --app tests.jobs.slow_app:create_app``),
so a test can kill its scheduler while a run is in progress.
"""
from __future__ import annotations

import time
from datetime import datetime

from flask import Flask

from app import create_app as create_teahouse_app
from app.jobs import registry
from app.jobs.registry import JobSpec

SLOW_JOB_ID = "slow_test_job"


def _take_a_minute(now: datetime) -> int:
    time.sleep(60)
    return 0


def create_app() -> Flask:
    if registry.get(SLOW_JOB_ID) is None:
        registry.JOBS = (*registry.JOBS, JobSpec(SLOW_JOB_ID, _take_a_minute, 3600, "Takes a minute (tests)."))
    return create_teahouse_app()
