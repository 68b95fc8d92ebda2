"""Jobs are scheduled from their last recorded run; a run whose scheduler died is marked lost at takeover."""
from __future__ import annotations

import logging
from datetime import timedelta

import sqlalchemy as sa

from app.db import utcnow
from app.jobs import lease, registry
from app.jobs.models import JobRun
from app.jobs.registry import JobSpec
from app.jobs.runner import Scheduler, run_job
from app.jobs.schedule import next_run_at, next_runs

DAY = 86_400


def _record(db, job_id: str, started, *, status: str = "ok", holder: str | None = "host:1:a") -> JobRun:
    run = JobRun(job_id=job_id, trigger="schedule", holder=holder, started_at=started, status=status,
                 finished_at=None if status == "running" else started + timedelta(seconds=1))
    db.session.add(run)
    db.session.commit()
    return run


def test_a_daily_job_that_ran_23_hours_ago_runs_in_one_hour():
    now = utcnow()
    assert next_run_at(DAY, now - timedelta(hours=23), now) == now + timedelta(hours=1)


def test_a_job_never_run_or_overdue_runs_at_once():
    now = utcnow()
    assert next_run_at(DAY, None, now) == now
    assert next_run_at(DAY, now - timedelta(hours=25), now) == now


def test_next_runs_read_the_latest_recorded_run_of_each_job(app, db):
    now = utcnow()
    _record(db, "purge_spam", now - timedelta(hours=47))
    _record(db, "purge_spam", now - timedelta(hours=23), status="error")  # the latest run counts, whatever it did
    _record(db, "refresh_hot", now - timedelta(hours=1))  # every 120 s: overdue
    upcoming = next_runs(app, registry.JOBS, now)
    assert upcoming["purge_spam"] == now + timedelta(hours=1)
    assert upcoming["refresh_hot"] == now and upcoming["clear_spam"] == now  # overdue; never run


def test_a_restarted_scheduler_schedules_each_job_from_its_last_run(app, db):
    now = utcnow()
    hourly = [spec.id for spec in registry.JOBS if spec.id != "purge_spam"]
    app.config["JOB_SCHEDULE"] = {job_id: 3600 for job_id in hourly}
    started = {job_id: _record(db, job_id, now - timedelta(minutes=10)).started_at for job_id in hourly}
    started["purge_spam"] = _record(db, "purge_spam", now - timedelta(hours=23)).started_at
    db.session.rollback()  # hand the connection back: shutdown() disposes the pool, as the scheduler process does
    scheduler = Scheduler(app, blocking=False)
    try:
        scheduler.start()
        scheduled = {spec.id: scheduler.scheduler.get_job(spec.id).next_run_time for spec in registry.JOBS}
    finally:
        scheduler.shutdown()
        app.config["JOB_SCHEDULE"] = {}
    assert scheduled["purge_spam"] == started["purge_spam"] + timedelta(seconds=DAY)  # in 1 h, not in 24 h
    assert scheduled["clear_spam"] == started["clear_spam"] + timedelta(seconds=3600)


def test_jobs_list_shows_the_next_run_computed_from_the_last_run(runner, db):
    now = utcnow()
    purged = _record(db, "purge_spam", now - timedelta(hours=23)).started_at
    _record(db, "refresh_hot", now - timedelta(hours=1))
    _record(db, "run_exports", now - timedelta(minutes=1), status="lost")
    lines = {line.split()[0]: line for line in runner.invoke(args=["jobs", "list"]).output.splitlines()[1:]}
    assert lines["purge_spam"].endswith((purged + timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S"))
    assert lines["refresh_hot"].endswith("now (overdue)")
    assert lines["clear_spam"].endswith("now (never run)") and " never " in lines["clear_spam"]
    assert " lost " in lines["run_exports"]
    assert "at start" not in "".join(lines.values())


def test_taking_an_expired_lease_marks_the_old_schedulers_running_runs_lost(db):
    now = utcnow()
    assert lease.acquire("host:1:old", 30, now=now - timedelta(minutes=5))
    orphan = _record(db, "run_exports", now - timedelta(minutes=4), status="running", holder="host:1:old")
    manual = _record(db, "clear_spam", now - timedelta(minutes=1), status="running", holder=None)
    finished = _record(db, "refresh_hot", now - timedelta(minutes=4), holder="host:1:old")
    assert lease.acquire("host:2:new", 30, now=now)
    db.session.expire_all()
    assert orphan.status == "lost" and orphan.finished_at == now
    assert "host:2:new took the lease over" in orphan.error
    assert manual.status == "running"  # `flask jobs run-once` belongs to no scheduler
    assert finished.status == "ok" and finished.error is None


def test_renewing_or_failing_to_take_the_lease_marks_nothing_lost(db):
    now = utcnow()
    assert lease.acquire("host:1:a", 30, now=now)
    mine = _record(db, "run_exports", now, status="running", holder="host:1:a")
    assert lease.acquire("host:1:a", 30, now=now + timedelta(seconds=10))  # renewal
    assert not lease.acquire("host:2:b", 30, now=now + timedelta(seconds=20))  # still held: stand by
    db.session.expire_all()
    assert mine.status == "running"


def test_admin_jobs_page_shows_a_lost_run_in_the_admins_language(admin_client, admin, db):
    _record(db, "run_exports", utcnow(), status="lost")
    assert "lost (its scheduler stopped)" in admin_client.get("/admin/jobs").get_data(as_text=True)
    admin.locale = "zh_Hans"
    db.session.commit()
    page = admin_client.get("/admin/jobs").get_data(as_text=True)
    assert "已丢失（其调度器已停止）" in page and "待立即运行" in page


def test_apscheduler_is_quiet_and_each_run_logs_one_line_with_count_and_duration(app, db, caplog):
    Scheduler(app, blocking=False)
    assert logging.getLogger("apscheduler.executors.default").getEffectiveLevel() == logging.WARNING
    caplog.set_level(logging.INFO, logger="teahouse.jobs")
    run_job(JobSpec("count", lambda now: 7, 60, "counts"))
    run_job(JobSpec("idle", lambda now: 0, 60, "finds nothing to do"))  # every few seconds: no INFO line
    run_job(JobSpec("explode", lambda now: 1 / 0, 60, "fails"))
    lines = [record for record in caplog.records if record.name == "teahouse.jobs"]
    assert [record.levelno for record in lines] == [logging.INFO, logging.ERROR]
    assert lines[0].getMessage().startswith("job count: ok, 7 items in ")
    assert "job explode failed after" in lines[1].getMessage()
    assert "ZeroDivisionError: division by zero" in lines[1].getMessage()
    assert "\n" not in lines[1].getMessage()  # the traceback stays in the run's record
    assert "Traceback" in db.session.scalar(sa.select(JobRun.error).where(JobRun.job_id == "explode"))
