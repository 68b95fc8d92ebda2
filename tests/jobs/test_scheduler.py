"""The job registry, recorded runs, the database lease and the two-scheduler takeover."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.db import utcnow
from app.jobs import lease, registry
from app.jobs.models import JobLease, JobRun
from app.jobs.registry import JobSpec
from app.jobs.runner import run_job
from tests.jobs.helpers import spam_model_trained_a_minute_ago, wait_for

ROOT = Path(__file__).resolve().parents[2]


def test_job_ids_are_unique_and_stable():
    ids = [spec.id for spec in registry.JOBS]
    assert len(ids) == len(set(ids))
    assert {"clear_spam", "purge_spam"} <= set(ids)


def test_job_interval_can_be_configured(app):
    spec = registry.get("clear_spam")
    assert spec.interval_seconds(app) == 300
    app.config["JOB_SCHEDULE"] = {"clear_spam": 60}
    try:
        assert spec.interval_seconds(app) == 60
    finally:
        app.config["JOB_SCHEDULE"] = {}


def test_a_failing_job_is_recorded_not_raised(db):
    def explode(now):
        raise RuntimeError("boom")

    run = run_job(JobSpec("explode", explode, 60, "fails"))
    assert run.status == "error" and "boom" in run.error and run.finished_at is not None


def test_a_successful_run_records_items_and_duration(db):
    run = run_job(JobSpec("count", lambda now: 7, 60, "counts"))
    assert (run.status, run.items) == ("ok", 7)
    assert run.duration_seconds is not None and run.duration_seconds >= 0


@pytest.mark.parametrize("job_id", [spec.id for spec in registry.JOBS])
def test_every_job_runs_once_from_the_cli(runner, job_id, db):
    result = runner.invoke(args=["jobs", "run-once", job_id])
    assert result.exit_code == 0, result.output
    assert f"{job_id}: ok" in result.output
    assert db.session.scalar(sa.select(JobRun.status).where(JobRun.job_id == job_id)) == "ok"


def test_run_once_with_unknown_job_exits_non_zero(runner):
    result = runner.invoke(args=["jobs", "run-once", "nope"])
    assert result.exit_code == 2 and "unknown job" in result.output


def test_jobs_list_shows_last_result(runner, db):
    runner.invoke(args=["jobs", "run-once", "clear_spam"])
    output = runner.invoke(args=["jobs", "list"]).output
    line = next(line for line in output.splitlines() if line.startswith("clear_spam"))
    assert "ok" in line and "300s" in line
    assert "never" in next(line for line in output.splitlines() if line.startswith("purge_spam"))


def test_lease_is_exclusive_until_it_expires(db):
    now = utcnow()
    assert lease.acquire("a", 30, now=now)
    assert not lease.acquire("b", 30, now=now + timedelta(seconds=10))
    assert lease.acquire("a", 30, now=now + timedelta(seconds=10))  # renewal
    assert not lease.acquire("b", 30, now=now + timedelta(seconds=39))
    assert lease.acquire("b", 30, now=now + timedelta(seconds=41))
    assert lease.current().holder == "b"


def test_released_lease_is_free_at_once(db):
    assert lease.acquire("a", 30)
    lease.release("a")
    assert lease.acquire("b", 30)


def test_healthz_reports_the_lease_holder(client, db):
    assert client.get("/healthz").get_json()["scheduler"]["holder"] is None
    lease.acquire("host:1:abc", 30)
    body = client.get("/healthz").get_json()
    assert body["database"] is True
    assert body["scheduler"]["holder"] == "host:1:abc" and body["scheduler"]["active"] is True


def _start_scheduler(database_url: str, log: Path, opened: list) -> subprocess.Popen:
    env = {**os.environ, "TEAHOUSE_DATABASE_URL": database_url, "TEAHOUSE_SECRET_KEY": "test",
           "TEAHOUSE_JOB_LEASE_SECONDS": "2", "TEAHOUSE_JOB_SCHEDULE": '{"clear_spam": 1, "purge_spam": 3600}'}
    out = log.open("w")
    opened.append(out)
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "run"], cwd=ROOT, env=env,
                            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def _holder(db) -> JobLease | None:
    db.session.expire_all()
    row = db.session.get(JobLease, lease.SCHEDULER_LEASE)
    db.session.rollback()
    return row if row and row.expires_at > utcnow() else None


@pytest.mark.slow
def test_standby_scheduler_takes_over_within_two_lease_periods_after_kill_9(db, database_url, tmp_path):
    spam_model_trained_a_minute_ago(db)
    logs: list = []
    procs = [_start_scheduler(database_url, tmp_path / f"scheduler{i}.log", logs) for i in range(2)]
    try:
        first = wait_for(lambda: _holder(db), timeout=30)
        assert first is not None, (tmp_path / "scheduler0.log").read_text()
        first_holder = first.holder  # the row object itself is refreshed later; keep the string
        active_pid = int(first_holder.split(":")[1])
        active = next(p for p in procs if p.pid == active_pid)
        standby = next(p for p in procs if p.pid != active_pid)
        assert wait_for(lambda: db.session.scalar(sa.select(JobRun.id).where(JobRun.holder == first_holder)), 15)
        time.sleep(1.0)  # the standby is up and polling too
        assert standby.poll() is None
        os.kill(active.pid, signal.SIGKILL)
        killed_at = time.monotonic()
        taken = wait_for(lambda: (h := _holder(db)) and h.holder != first_holder and h.holder, timeout=10)
        took = time.monotonic() - killed_at
        assert taken is not None, (tmp_path / "scheduler1.log").read_text()
        assert int(taken.split(":")[1]) == standby.pid
        assert took <= 2 * 2, f"takeover took {took:.2f}s"
        assert wait_for(lambda: db.session.scalar(sa.select(JobRun.id).where(JobRun.holder == taken)), 10)
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        for out in logs:
            out.close()
