"""Transcript exports: round trips in every format, pseudonyms, scrubbing, formula safety, consent, progress."""
from __future__ import annotations

import csv
import io
import json

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.db import utcnow
from app.forum import services as forum
from app.forum.models import Post
from app.research import exports
from app.research.models import ExportRun
from app.research.pseudonyms import pseudonym, reference
from app.research.transcript import TranscriptFilter, iter_transcript
from app.research.writers import neutralise


@pytest.fixture
def dataset(db, category_factory, user_factory, moderator):
    from app.core.settings import set_setting

    set_setting("spam.hold_threshold", 100)  # the contact details below would otherwise be held for review
    category = category_factory(name="Lipstick")
    alice = user_factory(display_name="Alice")
    bob = user_factory(display_name="Bob")
    thread = forum.start_thread(category, author=alice, title="Which shade?", body="I love **red** 口红 so much")
    first_reply = forum.reply(thread, author=bob, body="Email me at bob@example.com or call 13812345678")
    forum.reply(thread, author=moderator, body="Thanks both!", quoted=first_reply)
    forum.reply(thread, author=alice, body="=HYPERLINK(\"http://evil.example\")")
    db.session.commit()
    return {"thread": thread, "alice": alice, "bob": bob, "moderator": moderator, "first_reply": first_reply}


def _export(fmt: str, researcher, **filters):
    run = exports.queue_export(TranscriptFilter(**filters), fmt, by=researcher)
    return exports.execute_export(run)


def _csv_rows(run):
    text = exports.file_path(run).read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_round_trip_matches_the_database(dataset, researcher, db):
    run = _export("csv", researcher)
    assert run.status == "done" and run.row_count == 4
    assert exports.file_path(run).read_bytes().startswith(b"\xef\xbb\xbf")
    rows = _csv_rows(run)
    assert [r["post_number"] for r in rows] == ["1", "2", "3", "4"]
    assert rows[0]["text"] == "I love red 口红 so much"
    assert rows[0]["author"] == pseudonym(dataset["alice"].id) and rows[0]["author"].startswith("P-")
    assert rows[2]["parent_post_number"] == "2" and rows[2]["parent_author"] == pseudonym(dataset["bob"].id)
    assert rows[2]["author_role"] == "host"
    assert rows[0]["thread_title"] == "Which shade?" and rows[0]["category"] == "Lipstick"


def test_contact_details_are_scrubbed_by_default(dataset, researcher):
    text = _csv_rows(_export("csv", researcher))[1]["text"]
    assert "bob@example.com" not in text and "13812345678" not in text
    assert "[email]" in text and "[phone]" in text


def test_scrubbing_can_be_turned_off(dataset, researcher):
    assert "bob@example.com" in _csv_rows(_export("csv", researcher, scrub=False))[1]["text"]


def test_formula_cells_are_neutralised_in_csv_and_xlsx(dataset, researcher):
    from openpyxl import load_workbook

    assert _csv_rows(_export("csv", researcher))[3]["text"].startswith("'=")
    run = _export("xlsx", researcher)
    workbook = load_workbook(exports.file_path(run), read_only=True)
    values = [row for row in workbook["transcript"].iter_rows(values_only=True)]
    workbook.close()
    text_col = values[0].index("text")
    assert values[4][text_col].startswith("'=")


@pytest.mark.parametrize("value", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\ufeff=cmd", "\u200b@x", "\x00=1"])
def test_neutralise_guards_every_formula_start(value):
    assert neutralise(value).startswith("'")


def test_neutralise_leaves_ordinary_text_alone():
    assert neutralise("hello = world") == "hello = world" and neutralise(5) == 5


def test_jsonl_and_xlsx_and_docx_round_trip(dataset, researcher, db):
    from docx import Document
    from openpyxl import load_workbook

    lines = exports.file_path(_export("jsonl", researcher)).read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    posts = db.session.scalars(sa.select(Post.id).where(Post.thread_id == dataset["thread"].id).order_by(Post.number))
    assert [r["post_id"] for r in rows] == [reference("post", post_id) for post_id in posts]
    assert rows[0]["text"] == "I love red 口红 so much"
    workbook = load_workbook(exports.file_path(_export("xlsx", researcher)), read_only=True)
    assert sum(1 for _ in workbook["transcript"].iter_rows()) == 5
    workbook.close()
    document = Document(str(exports.file_path(_export("docx", researcher))))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Which shade?" in text and "I love red 口红 so much" in text and pseudonym(dataset["bob"].id) in text


def test_pseudonyms_are_stable_across_exports(dataset, researcher):
    first = {r["post_id"]: r["author"] for r in _csv_rows(_export("csv", researcher))}
    second = {r["post_id"]: r["author"] for r in _csv_rows(_export("csv", researcher))}
    assert first == second and len(set(first.values())) == 3


def test_identity_none_and_display_name(dataset, researcher):
    assert {r["author"] for r in _csv_rows(_export("csv", researcher, identity="none"))} == {""}
    assert "Alice" in {r["author"] for r in _csv_rows(_export("csv", researcher, identity="display_name"))}


def test_members_who_withdrew_consent_are_excluded(dataset, researcher, db):
    dataset["bob"].consent_withdrawn_at = utcnow()
    db.session.commit()
    rows = _csv_rows(_export("csv", researcher))
    assert pseudonym(dataset["bob"].id) not in {r["author"] for r in rows} and len(rows) == 3


def test_hidden_content_is_excluded_unless_asked_and_that_is_audited(dataset, researcher, moderator, db):
    from app.moderation.services import moderate_post

    moderate_post(dataset["first_reply"], "hide", by=moderator, reason="private info")
    db.session.commit()
    assert len(_csv_rows(_export("csv", researcher))) == 3
    assert len(_csv_rows(_export("csv", researcher, include_moderated=True))) == 4
    reasons = db.session.scalars(sa.select(AuditEvent.reason).where(AuditEvent.verb == "export.create")).all()
    assert "includes moderated content" in reasons


def test_hosts_can_be_left_out(dataset, researcher):
    rows = _csv_rows(_export("csv", researcher, include_hosts=False))
    assert {r["author_role"] for r in rows} == {"member"}


def test_every_export_is_audited_with_filters_and_row_count(dataset, researcher, db):
    _export("csv", researcher, category_ids=[dataset["thread"].category_id])
    created = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.verb == "export.create"))
    done = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.verb == "export.done"))
    assert created.after["filters"]["category_ids"] == [dataset["thread"].category_id]
    assert done.after["rows"] == 4 and done.actor_id == researcher.id


def test_progress_rises_to_100(dataset, researcher, db):
    seen = []
    run = exports.queue_export(TranscriptFilter(), "csv", by=researcher)
    db.session.commit()
    exports.execute_export(run, on_progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (4, 4) and run.progress == 100


def test_queued_exports_are_run_by_the_job_and_expire_after_seven_days(dataset, researcher, db):
    from datetime import timedelta

    run = exports.queue_export(TranscriptFilter(), "jsonl", by=researcher)
    db.session.commit()
    assert exports.run_pending_exports(utcnow()) == 1
    db.session.refresh(run)
    assert run.status == "done" and exports.file_path(run) is not None
    exports.run_pending_exports(utcnow() + timedelta(days=8))
    assert run.status == "expired" and exports.file_path(run) is None


def test_task_submissions_can_be_exported(dataset, researcher, moderator, member, db):
    from datetime import timedelta

    from app.tasks import services as tasks

    now = utcnow()
    task = tasks.save_task(None, by=moderator, title="Shelf", instructions="Show it", opens_at=now - timedelta(hours=1),
                           due_at=now + timedelta(days=1), min_photos=0, points=5, is_masked=True)
    tasks.submit(task, user=member, text="My shelf has 3 creams", files=[])
    db.session.commit()
    rows = _csv_rows(_export("csv", researcher, include_posts=False, include_tasks=True))
    assert [(r["activity_type"], r["text"], r["task_status"]) for r in rows] == \
        [("task", "My shelf has 3 creams", "submitted")]


def test_iter_transcript_filters_by_thread_and_date(dataset, thread_factory):
    other = thread_factory()
    rows = list(iter_transcript(TranscriptFilter(thread_ids=[other.id])))
    assert {r["thread_id"] for r in rows} == {reference("thread", other.id)}
    assert list(iter_transcript(TranscriptFilter(date_to="2000-01-01"))) == []


# --- views and CLI ----------------------------------------------------------------------------------------


def test_researcher_starts_a_small_export_and_downloads_it(dataset, researcher_client, db):
    response = researcher_client.post("/research/exports", data={
        "include_posts": "y", "include_hosts": "y", "identity": "pseudonym", "scrub": "y", "format": "csv"})
    assert response.status_code == 302
    detail = researcher_client.get(response.headers["Location"])
    assert b"Download" in detail.data
    run = db.session.scalar(sa.select(ExportRun))
    status = researcher_client.get(f"/research/exports/{run.id}/status").get_json()
    assert status["status"] == "done" and status["progress"] == 100
    with researcher_client.get(f"/research/exports/{run.id}/download") as download:
        assert download.status_code == 200 and download.data.startswith(b"\xef\xbb\xbf")


def test_export_form_rejects_bad_thread_ids_and_keeps_input(researcher_client):
    page = researcher_client.post("/research/exports", data={"thread_ids": "12; drop", "format": "csv",
                                                             "identity": "pseudonym"})
    assert page.status_code == 200 and b"12; drop" in page.data and b"Only numbers and commas" in page.data


@pytest.mark.parametrize("url", ["/research/exports", "/research/exports/1", "/research/exports/1/status",
                                 "/research/exports/1/download"])
def test_members_and_moderators_cannot_reach_exports(member_client, moderator_client, url):
    assert member_client.get(url).status_code == 403
    assert moderator_client.get(url).status_code == 403


def test_cli_export_writes_the_file_and_prints_progress(dataset, runner, tmp_path):
    out = tmp_path / "t.csv"
    result = runner.invoke(args=["export", "transcript", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Wrote 4 rows" in result.output and "4/4 rows (100%)" in result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
