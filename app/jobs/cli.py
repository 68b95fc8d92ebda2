"""`flask jobs run | list | run-once ID`."""
from __future__ import annotations

import signal
import sys
from datetime import timedelta

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.jobs import registry
from app.jobs.models import JobRun
from app.jobs.runner import Scheduler, run_job

jobs_cli = AppGroup("jobs", help="The scheduler and its jobs.")


@jobs_cli.command("run")
def jobs_run() -> None:
    """Run the scheduler process (one active at a time; others stand by on the lease)."""
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    scheduler = Scheduler(current_app._get_current_object(), blocking=True)

    def _stop(signum, _frame):
        scheduler.scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, _stop)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        scheduler.shutdown()


@jobs_cli.command("list")
def jobs_list() -> None:
    """Each job: id, interval, last run, its result and the next run."""
    app = current_app._get_current_object()
    click.echo(f"{'id':<18} {'every':>8}  {'last run (UTC)':<20} {'result':<8} {'items':>7}  next run (UTC)")
    for spec in registry.JOBS:
        seconds = spec.interval_seconds(app)
        last = db.session.scalar(sa.select(JobRun).where(JobRun.job_id == spec.id)
                                 .order_by(JobRun.started_at.desc()).limit(1))
        when = last.started_at.strftime("%Y-%m-%d %H:%M:%S") if last else "never"
        nxt = (last.started_at + timedelta(seconds=seconds)).strftime("%Y-%m-%d %H:%M:%S") if last else "at start"
        click.echo(f"{spec.id:<18} {seconds:>7}s  {when:<20} {(last.status if last else '-'):<8} "
                   f"{(last.items if last else 0):>7}  {nxt}")


@jobs_cli.command("run-once")
@click.argument("job_id")
def jobs_run_once(job_id: str) -> None:
    """Run one job now, through the same code path as the scheduler; exit 1 on failure."""
    spec = registry.get(job_id)
    if spec is None:
        click.echo(f"Error: unknown job {job_id!r}; known: {', '.join(s.id for s in registry.JOBS)}", err=True)
        sys.exit(2)
    run = run_job(spec, trigger="manual")
    if run.status != "ok":
        click.echo(f"Error: {job_id} failed:\n{run.error}", err=True)
        sys.exit(1)
    click.echo(f"{job_id}: ok, {run.items} items in {run.duration_seconds:.2f}s")
