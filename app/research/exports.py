"""Export runs: queue, execute with progress, expire; the job, the page and the CLI all use this."""
from __future__ import annotations

import secrets
import traceback
from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from app.core.exceptions import DomainError
from app.db import utcnow
from app.extensions import db
from app.members.models import User
from app.moderation import audit
from app.research.models import ExportRun
from app.research.transcript import count_rows, iter_transcript, segment_keys, transcript_columns
from app.research.transcript_filter import TranscriptFilter, check_filter
from app.research.writers import WRITERS
from app.security.roles import Permission

RETENTION = timedelta(days=7)
SMALL_EXPORT_ROWS = 5_000


def export_dir() -> Path:
    path = Path(current_app.instance_path) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def queue_export(spec: TranscriptFilter, fmt: str, *, by: User | None) -> ExportRun:
    """Record an export request (audited with its filters); ``by`` None means the operator's CLI."""
    if by is not None and not by.can(Permission.EXPORT_TRANSCRIPTS):
        raise DomainError(_("You cannot export transcripts."))
    if fmt not in WRITERS:
        raise DomainError(_("Choose CSV, XLSX, JSONL or DOCX."), "format")
    check_filter(spec)
    run = ExportRun(created_by_id=getattr(by, "id", None), format=fmt, params=asdict(spec), status="queued")
    db.session.add(run)
    db.session.flush()
    audit.record(by, "export.create", run, after={"format": fmt, "filters": run.params}, job=None if by else "cli",
                 reason="includes moderated content" if spec.include_moderated else None)
    return run


def _set_progress(run_id: int, **values) -> None:
    # A separate short transaction, so the page sees progress while the export still streams.
    with db.engine.begin() as conn:
        conn.execute(sa.update(ExportRun).where(ExportRun.id == run_id).values(**values))


def execute_export(run: ExportRun, *, on_progress: Callable[[int, int], None] | None = None) -> ExportRun:
    """Write the file for a queued run; failures are recorded on the run, never raised."""
    spec = TranscriptFilter.from_params(run.params)
    total = count_rows(spec)
    run_id = run.id
    run.status, run.started_at, run.total_rows, run.progress = "running", utcnow(), total, 0
    db.session.commit()
    path = export_dir() / f"export-{run_id}-{secrets.token_urlsafe(8)}.{run.format}"

    def progress(done: int) -> None:
        percent = min(99, int(done * 100 / total)) if total else 99
        _set_progress(run_id, progress=percent, row_count=done)
        if on_progress:
            on_progress(done, total)

    try:
        keys = segment_keys()
        rows = WRITERS[run.format](iter_transcript(spec, keys=keys), transcript_columns(keys), path, progress)
    except Exception:  # noqa: BLE001 - the run records what went wrong for the researcher
        db.session.rollback()
        path.unlink(missing_ok=True)
        run = db.session.get(ExportRun, run_id)
        run.status, run.error, run.finished_at = "failed", traceback.format_exc(limit=4)[-2000:], utcnow()
        db.session.commit()
        return run
    db.session.rollback()  # end the long read transaction before writing the result
    run = db.session.get(ExportRun, run_id)
    now = utcnow()
    run.status, run.progress, run.row_count, run.file_name = "done", 100, rows, path.name
    run.finished_at, run.expires_at = now, now + RETENTION
    audit.record(run.created_by, "export.done", run, after={"rows": rows, "format": run.format},
                 job=None if run.created_by else "cli")
    db.session.commit()
    return run


def run_pending_exports(now: datetime) -> int:
    """The run_exports job: run queued exports oldest first, then delete files past their expiry."""
    done = 0
    for run_id in list(db.session.scalars(sa.select(ExportRun.id).where(ExportRun.status == "queued")
                                          .order_by(ExportRun.created_at))):
        run = db.session.get(ExportRun, run_id)
        if run is not None and run.status == "queued":
            execute_export(run)
            done += 1
    for run in db.session.scalars(sa.select(ExportRun).where(ExportRun.status == "done", ExportRun.expires_at < now)):
        if run.file_name:
            (export_dir() / run.file_name).unlink(missing_ok=True)
        run.status, run.file_name = "expired", None
    return done


def file_path(run: ExportRun) -> Path | None:
    if run.status != "done" or not run.file_name:
        return None
    path = export_dir() / run.file_name
    return path if path.is_file() else None
