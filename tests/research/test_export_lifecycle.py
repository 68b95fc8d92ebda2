"""An ExportRun's life: queued -> running with progress -> done or failed with a message -> expired after 7 days;
the run_exports job, the page's status, and the CLI's progress and errors."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.db import utcnow
from app.research import exports, writers
from app.research.models import ExportRun
from app.research.transcript_filter import TranscriptFilter


@pytest.fixture
def four_posts(db, thread_factory, user_factory):
    thread = thread_factory(author=user_factory(), body="one", replies=3)
    db.session.commit()
    return thread


@pytest.fixture
def progress_every_row(monkeypatch):
    original = writers._rows_with_progress
    monkeypatch.setattr(writers, "_rows_with_progress", lambda rows, progress: original(rows, progress, every=1))


def _stored(db, run_id: int) -> tuple[str, int, int]:
    # What another process (the page) sees while the export still runs: a separate connection.
    with db.engine.connect() as conn:
        return tuple(conn.execute(sa.select(ExportRun.status, ExportRun.progress, ExportRun.row_count)
                                  .where(ExportRun.id == run_id)).one())


def test_a_run_goes_from_queued_to_running_with_rising_progress_to_done(four_posts, researcher, db,
                                                                        progress_every_row):
    run = exports.queue_export(TranscriptFilter(), "xlsx", by=researcher)
    db.session.commit()
    assert _stored(db, run.id) == ("queued", 0, 0)
    seen = []
    run = exports.execute_export(run, on_progress=lambda done, total: seen.append(_stored(db, run.id)))
    assert seen[:4] == [("running", 25, 1), ("running", 50, 2), ("running", 75, 3), ("running", 99, 4)]
    assert (run.status, run.progress, run.row_count, run.total_rows) == ("done", 100, 4, 4)
    assert run.expires_at - run.finished_at == timedelta(days=7)


def test_a_failed_run_keeps_a_message_removes_its_file_and_the_page_shows_it(four_posts, researcher,
                                                                             researcher_client, db, monkeypatch):
    def broken(rows, columns, path, progress=None):
        path.write_text("partial")
        raise OSError("No space left on device")

    monkeypatch.setitem(writers.WRITERS, "csv", broken)
    files_before = set(exports.export_dir().iterdir())
    run = exports.execute_export(exports.queue_export(TranscriptFilter(), "csv", by=researcher))
    assert (run.status, run.error) == ("failed", "OSError: No space left on device")
    assert set(exports.export_dir().iterdir()) == files_before and exports.file_path(run) is None
    failed = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.verb == "export.failed"))
    assert failed.actor_id == researcher.id and failed.after == {"error": "OSError: No space left on device"}
    status = researcher_client.get(f"/research/exports/{run.id}/status").get_json()
    assert status["status"] == "failed" and status["error"] == "OSError: No space left on device"
    page = researcher_client.get(f"/research/exports/{run.id}")
    assert b"The export failed" in page.data and b"No space left on device" in page.data
    assert researcher_client.get(f"/research/exports/{run.id}/download").status_code == 404


def test_a_large_export_is_queued_and_run_by_the_run_exports_job(four_posts, researcher_client, runner, db,
                                                                  monkeypatch):
    monkeypatch.setattr(exports, "SMALL_EXPORT_ROWS", 3)
    response = researcher_client.post("/research/exports", data={
        "include_posts": "y", "include_hosts": "y", "identity": "pseudonym", "scrub": "y", "format": "jsonl"})
    assert response.status_code == 302
    run_id = db.session.scalar(sa.select(ExportRun.id))
    assert researcher_client.get(f"/research/exports/{run_id}/status").get_json() == {
        "status": "queued", "status_label": "Queued", "progress": 0, "rows": 0, "total": 0, "error": None, "download": None}
    assert b'id="export-state" data-state="queued">Queued' in researcher_client.get(response.headers["Location"]).data
    result = runner.invoke(args=["jobs", "run-once", "run_exports"])
    assert result.exit_code == 0 and "run_exports: ok, 1 items" in result.output, result.output
    status = researcher_client.get(f"/research/exports/{run_id}/status").get_json()
    assert (status["status"], status["progress"], status["rows"]) == ("done", 100, 4) and status["download"]
    with researcher_client.get(status["download"]) as download:
        assert download.status_code == 200 and len(download.data.splitlines()) == 4


def test_the_job_deletes_expired_files_and_marks_the_run_expired(four_posts, researcher, researcher_client, runner,
                                                                  db):
    run = exports.execute_export(exports.queue_export(TranscriptFilter(), "csv", by=researcher))
    path = exports.file_path(run)
    fresh = exports.execute_export(exports.queue_export(TranscriptFilter(), "csv", by=researcher))
    run.expires_at = utcnow() - timedelta(minutes=1)  # as if seven days had passed
    db.session.commit()
    assert runner.invoke(args=["jobs", "run-once", "run_exports"]).exit_code == 0
    db.session.expire_all()
    assert (run.status, run.file_name) == ("expired", None) and not path.exists()
    assert fresh.status == "done" and exports.file_path(fresh) is not None  # not yet seven days old
    assert researcher_client.get(f"/research/exports/{run.id}/download").status_code == 404
    assert b'id="export-state" data-state="expired">Expired' in researcher_client.get(f"/research/exports/{run.id}").data


def test_cli_prints_progress_as_rows_are_written(four_posts, runner, tmp_path, progress_every_row):
    result = runner.invoke(args=["export", "transcript", "--format", "docx", "--out", str(tmp_path / "t.docx")])
    assert result.exit_code == 0, result.output
    marks = [result.output.index(f"{n}/4 rows ({n * 25}%)") for n in (1, 2, 3, 4)]
    assert marks == sorted(marks) and "Wrote 4 rows" in result.output and (tmp_path / "t.docx").stat().st_size


@pytest.fixture
def row_counts(db):
    """The row counts issued (count_rows' SELECT count(*) FROM (SELECT ...) statements), as a list of statements."""
    seen: list[str] = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().startswith("SELECT count(*)") and "FROM (SELECT" in statement:
            seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listen)
    yield seen
    sa.event.remove(db.engine, "before_cursor_execute", listen)


def _one_count(row_counts, spec: TranscriptFilter) -> list[str]:
    from app.research.transcript import count_rows

    count_rows(spec)
    once = list(row_counts)
    row_counts.clear()
    assert once
    return once


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_counts_its_rows_once(four_posts, researcher_client, row_counts, db, fmt):
    once = _one_count(row_counts, TranscriptFilter())
    response = researcher_client.post("/research/exports", data={
        "include_posts": "y", "include_hosts": "y", "identity": "pseudonym", "scrub": "y", "format": fmt})
    assert response.status_code == 302 and row_counts == once
    run = db.session.scalar(sa.select(ExportRun))
    assert (run.status, run.progress, run.row_count, run.total_rows) == ("done", 100, 4, 4)


@pytest.mark.parametrize("fmt", ["csv", "docx"])
def test_cli_export_counts_its_rows_once(four_posts, runner, row_counts, tmp_path, fmt):
    once = _one_count(row_counts, TranscriptFilter())
    result = runner.invoke(args=["export", "transcript", "--format", fmt, "--out", str(tmp_path / f"t.{fmt}")])
    assert result.exit_code == 0 and "4/4 rows (100%)" in result.output, result.output
    assert row_counts == once


def test_a_large_export_is_counted_by_the_page_and_again_by_the_job_that_runs_it(four_posts, researcher_client, runner,
                                                                                  row_counts, db, monkeypatch):
    monkeypatch.setattr(exports, "SMALL_EXPORT_ROWS", 3)
    once = _one_count(row_counts, TranscriptFilter())
    researcher_client.post("/research/exports", data={
        "include_posts": "y", "include_hosts": "y", "identity": "pseudonym", "scrub": "y", "format": "xlsx"})
    assert row_counts == once
    assert runner.invoke(args=["jobs", "run-once", "run_exports"]).exit_code == 0
    assert row_counts == once + once  # the job runs the queued run in another process, and counts it as it starts
    run = db.session.scalar(sa.select(ExportRun))
    assert (run.status, run.row_count, run.total_rows) == ("done", 4, 4)


@pytest.mark.parametrize(("args", "message"), [
    (["--category", "987654"], "Unknown category: 987654."),
    (["--thread", "987654"], "Unknown thread: 987654."),
    (["--thread", "99999999999"], "Unknown thread: 99999999999."),
    (["--from", "2025-02-01", "--to", "2025-01-01"], "The start date is after the end date."),
    (["--segment", "nope=1"], "There is no segment attribute “nope”"),
    (["--code", "Nope"], "Unknown code: Nope."),
    (["--no-posts"], "Choose at least one kind of content to export."),
])
def test_cli_refuses_bad_filters_with_a_clear_error_and_exit_1(args, message, four_posts, runner, tmp_path, db):
    out = tmp_path / "t.csv"
    result = runner.invoke(args=["export", "transcript", "--format", "csv", "--out", str(out), *args])
    assert result.exit_code == 1 and f"Error: {message}" in result.output, result.output
    assert not out.exists() and db.session.scalar(sa.select(sa.func.count()).select_from(ExportRun)) == 0


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "01/02/2025"], "Invalid value for '--from'"),
    (["--format", "pdf"], "Invalid value for '--format'"),
    (["--thread", "abc"], "Invalid value for '--thread'"),
])
def test_cli_refuses_malformed_options_with_usage_errors(args, message, runner, tmp_path):
    base = ["export", "transcript", "--out", str(tmp_path / "t.csv")]
    result = runner.invoke(args=base + (args if "--format" in args else ["--format", "csv", *args]))
    assert result.exit_code == 2 and message in result.output, result.output


def test_export_form_names_an_unknown_thread(four_posts, researcher_client):
    page = researcher_client.post("/research/exports", data={
        "include_posts": "y", "thread_ids": "987654", "identity": "pseudonym", "format": "csv"})
    assert page.status_code == 200 and b"Unknown thread: 987654." in page.data


def test_the_job_fails_a_run_whose_process_died(four_posts, researcher, runner, db):
    run = exports.queue_export(TranscriptFilter(), "csv", by=researcher)
    run.status, run.started_at, run.progress = "running", utcnow() - timedelta(hours=3), 40
    run.file_name = "export-partial.csv"
    partial = exports.export_dir() / run.file_name
    partial.write_text("half a file")
    recent = exports.queue_export(TranscriptFilter(), "csv", by=researcher)
    recent.status, recent.started_at = "running", utcnow() - timedelta(minutes=5)
    db.session.commit()
    assert runner.invoke(args=["jobs", "run-once", "run_exports"]).exit_code == 0
    db.session.expire_all()
    assert (run.status, run.error) == ("failed", "The export stopped before it finished; please start it again.")
    assert not partial.exists() and run.file_name is None  # no personal data left behind past the retention
    assert recent.status == "running"  # may still be writing


def test_a_run_is_written_once_however_many_callers_reach_for_it(four_posts, researcher, db):
    run = exports.queue_export(TranscriptFilter(), "csv", by=researcher)
    db.session.commit()
    before = set(exports.export_dir().iterdir())
    first = exports.execute_export(run)
    name = first.file_name
    again = exports.execute_export(db.session.get(ExportRun, run.id))  # the job or a second request, too late
    assert (again.status, again.file_name) == ("done", name)
    assert [p.name for p in set(exports.export_dir().iterdir()) - before] == [name]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.verb == "export.done")) == 1


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_xlsx_and_docx_exports_beyond_their_row_limit_are_refused(fmt, four_posts, researcher, researcher_client,
                                                                   monkeypatch, db):
    from app.core.exceptions import DomainError

    monkeypatch.setitem(exports.MAX_ROWS, fmt, 3)
    message = f"{fmt.upper()} exports hold at most 3 rows: choose CSV or JSONL, or narrow the filters."
    with pytest.raises(DomainError, match=message):
        exports.queue_export(TranscriptFilter(), fmt, by=researcher)
    assert exports.queue_export(TranscriptFilter(), "csv", by=researcher).status == "queued"
    assert exports.queue_export(TranscriptFilter(thread_ids=[four_posts.id], date_to="2000-01-01"), fmt,
                                by=researcher).status == "queued"  # narrowed below the limit
    db.session.commit()  # on SQLite the request waited out the lock of these open writes (60 s) to note the visit
    page = researcher_client.post("/research/exports", data={
        "include_posts": "y", "identity": "pseudonym", "format": fmt})
    assert page.status_code == 200 and message.encode() in page.data


def test_cli_pseudonyms_without_a_secret_key_are_refused_clearly(four_posts, app, runner, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "SECRET_KEY", None)
    out = tmp_path / "t.csv"
    result = runner.invoke(args=["export", "transcript", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 1 and "Error: Pseudonyms need the community's secret key" in result.output
    named = runner.invoke(args=["export", "transcript", "--format", "csv", "--out", str(out), "--identity", "none"])
    assert named.exit_code == 0 and "Wrote 4 rows" in named.output
