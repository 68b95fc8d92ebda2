"""A real scheduler killed with SIGKILL mid-run: the next scheduler to take the lease marks that run lost."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.jobs import registry
from app.jobs.models import JobRun
from tests.jobs.helpers import spam_model_trained_a_minute_ago, wait_for
from tests.jobs.slow_app import SLOW_JOB_ID

ROOT = Path(__file__).resolve().parents[2]


def _start_scheduler(database_url: str, log: Path) -> subprocess.Popen:
    env = {**os.environ, "TEAHOUSE_DATABASE_URL": database_url, "TEAHOUSE_SECRET_KEY": "test",
           "TEAHOUSE_JOB_LEASE_SECONDS": "1"}
    with log.open("w") as out:
        return subprocess.Popen([sys.executable, "-m", "flask", "--app", "tests.jobs.slow_app:create_app", "jobs",
                                 "run"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM (a clean shutdown), then SIGKILL if it does not exit; always by its own PID."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def _slow_run(db) -> JobRun | None:
    db.session.expire_all()
    run = db.session.scalar(sa.select(JobRun).where(JobRun.job_id == SLOW_JOB_ID).order_by(JobRun.id).limit(1))
    db.session.rollback()
    return run


def _only_the_slow_run_is_running(db) -> JobRun | None:
    """The slow run in progress once every other job has finished its first run (so only it can be lost)."""
    run = _slow_run(db)
    statuses = db.session.execute(sa.select(JobRun.job_id, JobRun.status).where(JobRun.job_id != SLOW_JOB_ID)).all()
    db.session.rollback()
    others_done = {job_id for job_id, status in statuses if status == "ok"}
    others_running = [job_id for job_id, status in statuses if status == "running"]
    finished_all = others_done == {spec.id for spec in registry.JOBS}
    ready = run and run.status == "running" and finished_all and not others_running
    return run if ready else None


@pytest.mark.slow
def test_a_run_killed_with_its_scheduler_is_marked_lost_when_another_takes_the_lease(db, database_url, tmp_path):
    spam_model_trained_a_minute_ago(db)
    procs = [_start_scheduler(database_url, tmp_path / "first.log")]
    try:
        running = wait_for(lambda: _only_the_slow_run_is_running(db), timeout=60)
        assert running, (tmp_path / "first.log").read_text()
        assert running.holder.split(":")[1] == str(procs[0].pid)
        os.kill(procs[0].pid, signal.SIGKILL)  # mid-run: the run can record nothing
        procs[0].wait(timeout=10)
        assert _slow_run(db).status == "running"
        procs.append(_start_scheduler(database_url, tmp_path / "second.log"))
        lost = wait_for(lambda: (run := _slow_run(db)) and run.status == "lost" and run, timeout=60)
        assert lost, (tmp_path / "second.log").read_text()
        assert lost.finished_at is not None and f":{procs[1].pid}:" in lost.error
    finally:
        for proc in procs:
            _stop(proc)
    log = (tmp_path / "second.log").read_text()
    assert "marked 1 unfinished run(s) of an earlier scheduler as lost" in log
    assert "Running job" not in log and "executed successfully" not in log  # APScheduler's INFO lines are off
