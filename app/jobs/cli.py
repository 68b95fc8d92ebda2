"""`flask jobs run | list | run-once ID`."""
from __future__ import annotations

import logging
import signal
import sys
from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup

from app.db import utcnow
from app.jobs import registry
from app.jobs.models import JobRun
from app.jobs.runner import Scheduler, run_job
from app.jobs.schedule import last_runs, next_runs

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

jobs_cli = AppGroup("jobs", help="The scheduler and its jobs.")


@jobs_cli.command("run")
def jobs_run() -> None:
    """Run the scheduler process (one active at a time; others stand by on the lease)."""
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
    """Each job: id, interval, last run, its result and the next run (as the scheduler computes it)."""
    app = current_app._get_current_object()
    now = utcnow()
    last = last_runs([spec.id for spec in registry.JOBS])
    upcoming = next_runs(app, registry.JOBS, now)
    click.echo(f"{'id':<18} {'every':>8}  {'last run (UTC)':<20} {'result':<8} {'items':>7}  next run (UTC)")
    for spec in registry.JOBS:
        run = last.get(spec.id)
        when = run.started_at.strftime(TIME_FORMAT) if run else "never"
        click.echo(f"{spec.id:<18} {spec.interval_seconds(app):>7}s  {when:<20} {(run.status if run else '-'):<8} "
                   f"{(run.items if run else 0):>7}  {_next_run_text(run, upcoming[spec.id], now)}")


def _next_run_text(run: JobRun | None, next_run: datetime, now: datetime) -> str:
    """The next run's time, or why it is now: never run, or overdue (at the next scheduler start)."""
    if next_run > now:
        return next_run.strftime(TIME_FORMAT)
    return "now (never run)" if run is None else "now (overdue)"


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
