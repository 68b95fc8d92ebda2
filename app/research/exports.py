"""Export runs: queue, execute with progress, expire; the job, the page and the CLI all use this."""
from __future__ import annotations

import secrets
from collections.abc import Callable
from contextlib import closing
from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, has_request_context
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from app import audit
from app.core.exceptions import DomainError
from app.db import utcnow
from app.extensions import db
from app.members.models import User
from app.research.models import ExportRun
from app.research.parallel_rows import export_workers, iter_transcript_parallel
from app.research.pseudonyms import PseudonymCollision
from app.research.transcript import count_rows, iter_transcript, segment_keys, transcript_columns
from app.research.transcript_filter import TranscriptFilter, check_filter
from app.research.writers import WRITERS
from app.security.roles import Permission

RETENTION = timedelta(days=7)
SMALL_EXPORT_ROWS = 5_000
# A worksheet's rows less the header; a DOCX transcript is built in memory (about 2 KB a row) and meant to be read.
MAX_ROWS = {"xlsx": 1_048_575, "docx": 50_000}
STALE_AFTER = timedelta(hours=2)  # a run still "running" this long after it started lost its process


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
    total = count_rows(spec)  # once: for the size limits, the page's "small, run it now" and the progress
    if fmt in MAX_ROWS and total > MAX_ROWS[fmt]:
        raise DomainError(_("%(format)s exports hold at most %(rows)s rows: choose CSV or JSONL, or narrow the "
                            "filters.", format=fmt.upper(), rows=f"{MAX_ROWS[fmt]:,}"), "format")
    # The transcript's own words (headings, "task: accepted") follow the language of whoever asked for it.
    params = {**asdict(spec), "locale": str(get_locale()) if has_request_context() else None}
    run = ExportRun(created_by_id=getattr(by, "id", None), format=fmt, params=params, status="queued")
    run.counted_rows = total
    db.session.add(run)
    db.session.flush()
    audit.record(by, "export.create", run, after={"format": fmt, "filters": run.params}, job=None if by else "cli",
                 reason=_audit_reason(spec))
    return run


def _audit_reason(spec: TranscriptFilter) -> str | None:
    """What makes an export sensitive, for the audit log: display names identify members; moderated content."""
    reasons = (["identifying export: display names"] if spec.identity == "display_name" else []) + (
        ["includes moderated content"] if spec.include_moderated else [])
    return "; ".join(reasons) or None


def _set_progress(run_id: int, **values) -> None:
    # A separate short transaction, so the page sees progress while the export still streams.
    with db.engine.begin() as conn:
        conn.execute(sa.update(ExportRun).where(ExportRun.id == run_id).values(**values))


def execute_export(run: ExportRun, *, on_progress: Callable[[int, int], None] | None = None) -> ExportRun:
    """Write the file for a queued run; failures are recorded on the run, never raised."""
    run_id, fmt, spec = run.id, run.format, TranscriptFilter.from_params(run.params)
    path = export_dir() / f"export-{run_id}-{secrets.token_urlsafe(8)}.{fmt}"
    total, shown = run.counted_rows, [-1]

    def progress(done: int) -> None:
        percent = min(99, int(done * 100 / total)) if total else 99
        if percent != shown[0]:  # at most a hundred small writes, however many rows
            _set_progress(run_id, progress=percent, row_count=done)
            shown[0] = percent
        if on_progress:
            on_progress(done, total)

    # Claim the run in one statement: the page, the CLI and the run_exports job may all reach for a queued run,
    # and only one may write it. The file's name is stored at once, so a run that dies leaves nothing untracked.
    claimed = db.session.execute(
        sa.update(ExportRun).where(ExportRun.id == run_id, ExportRun.status == "queued")
        .values(status="running", started_at=utcnow(), progress=0, file_name=path.name)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    if not claimed:
        return db.session.get(ExportRun, run_id)
    try:
        if total is None:  # a run loaded from the database (the run_exports job) is counted as it starts
            total = count_rows(spec)
        _set_progress(run_id, total_rows=total)
        keys = segment_keys()
        workers = export_workers(total)  # a large export's rows are built by worker processes as the file is written
        with force_locale(run.params.get("locale") or current_app.config["BABEL_DEFAULT_LOCALE"]), closing(
                iter_transcript_parallel(spec, keys, workers) if workers else iter_transcript(spec, keys=keys)) as source:
            rows = WRITERS[fmt](source, transcript_columns(keys), path, progress)
    except PseudonymCollision as error:
        current_app.logger.error("export %s stopped: two members share a pseudonym", run_id)
        db.session.rollback()
        path.unlink(missing_ok=True)
        return _fail(run_id, error.message)
    except Exception as error:
        current_app.logger.exception("export %s failed", run_id)
        db.session.rollback()
        path.unlink(missing_ok=True)
        return _fail(run_id, f"{type(error).__name__}: {error}"[:2000])
    db.session.rollback()  # end the long read transaction before writing the result
    run = db.session.get(ExportRun, run_id)
    now = utcnow()
    run.status, run.progress, run.row_count, run.file_name = "done", 100, rows, path.name
    run.finished_at, run.expires_at = now, now + RETENTION
    audit.record(run.created_by, "export.done", run, after={"rows": rows, "format": fmt, "filters": run.params},
                 job=None if run.created_by else "cli")
    db.session.commit()
    return run


def _fail(run_id: int, message: str) -> ExportRun:
    """Mark a run failed with a short message the page shows (the traceback goes to the log), audited; its partial
    file, if any, is deleted."""
    run = db.session.get(ExportRun, run_id)
    if run.file_name:
        (export_dir() / run.file_name).unlink(missing_ok=True)
    run.status, run.error, run.finished_at, run.file_name = "failed", message, utcnow(), None
    audit.record(run.created_by, "export.failed", run, after={"error": message},
                 job=None if run.created_by else "cli")
    db.session.commit()
    return run


def run_pending_exports(now: datetime) -> int:
    """The run_exports job: fail runs whose process died, run queued exports oldest first, then delete files past
    their expiry."""
    for run_id in list(db.session.scalars(sa.select(ExportRun.id).where(
            ExportRun.status == "running", ExportRun.started_at < now - STALE_AFTER))):
        _fail(run_id, _("The export stopped before it finished; please start it again."))
    done = 0
    for run_id in list(db.session.scalars(sa.select(ExportRun.id).where(ExportRun.status == "queued")
                                          .order_by(ExportRun.created_at))):
        run = db.session.get(ExportRun, run_id)
        if run is not None and run.status == "queued":
            execute_export(run)
            done += 1
    expire_exports(now)
    return done


def expire_exports(now: datetime) -> int:
    """Delete the files of runs past their expiry (7 days after they finished) and mark the runs expired."""
    expired = db.session.scalars(sa.select(ExportRun).where(ExportRun.status == "done", ExportRun.expires_at < now))
    count = 0
    for count, run in enumerate(expired, start=1):
        if run.file_name:
            (export_dir() / run.file_name).unlink(missing_ok=True)
        run.status, run.file_name = "expired", None
    return count


def file_path(run: ExportRun) -> Path | None:
    if run.status != "done" or not run.file_name:
        return None
    path = export_dir() / run.file_name
    return path if path.is_file() else None
