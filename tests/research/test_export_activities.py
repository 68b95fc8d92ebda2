"""Exports of every kind of contribution (posts, task answers, poll ballots, competition entries) with segment
columns, read back from CSV, XLSX, JSONL and DOCX and compared with the database; segment and code filters."""
from __future__ import annotations

import csv
import io
import json
import re
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from app.forum.models import Post
from app.research import exports
from app.research.models import ExportRun
from app.research.pseudonyms import pseudonym, reference
from app.research.transcript import iter_transcript
from app.research.transcript_filter import TranscriptFilter
from app.uploads.models import Upload

EVERYTHING = {"include_posts": True, "include_tasks": True, "include_polls": True, "include_competitions": True}
SEGMENTS = {"Alice": ("25-34", "Tier 1"), "Bob": ("18-24", ""), "Carol": ("25-34", "Tier 2")}


def _export(fmt: str, by, **filters) -> ExportRun:
    run = exports.queue_export(TranscriptFilter(**{**EVERYTHING, **filters}), fmt, by=by)
    return exports.execute_export(run)


def _db():
    from app.extensions import db

    return db


def _photo(kind: str, item_id: int) -> str:
    name = _db().session.scalar(sa.select(Upload.name)
                                .where(Upload.attached_type == kind, Upload.attached_id == item_id))
    return f"https://tea.example/uploads/{name}"


def _expected(d: dict, app) -> list[dict]:
    """The rows the database content calls for, in export order: posts, task answers, ballots, entries."""
    zone = ZoneInfo(app.config["COMMUNITY_TIMEZONE"])

    def row(obj, user, kind, **values):
        age, city = SEGMENTS.get(user.display_name, ("", ""))
        base = dict.fromkeys(("activity_id", "activity_title", "thread_id", "thread_title", "category", "post_id",
                              "post_number", "parent_post_number", "parent_author", "entry_title", "text", "photos",
                              "codes", "poll_options", "task_status"), "")
        base.update(created_utc=obj.created_at.isoformat(), created_local=obj.created_at.astimezone(zone).isoformat(),
                    author=pseudonym(user.id), author_role="host" if user.role == "moderator" else "member",
                    segment_age_band=age, segment_city_tier=city, item_id=reference(kind, obj.id), reaction_count="",
                    state="")
        base.update(values)
        return {k: "" if v is None else str(v) for k, v in base.items()}

    thread, poll, competition = d["thread"], d["poll"], d["competition"]
    in_thread = {"thread_id": reference("thread", thread.id), "thread_title": "Which shade?", "category": "Lipstick", "state": "published"}
    announcement = _db().session.scalar(sa.select(Post).where(Post.thread_id == competition.thread_id))
    posts = [
        row(d["opening"], d["alice"], "post", text="I love red 口红", photos="https://tea.example/uploads/shelf.png",
            post_number=1, **in_thread),
        row(d["bob_reply"], d["bob"], "post", text="Too pricey for me", parent_post_number=1,
            parent_author=pseudonym(d["alice"].id), codes="Price",
            post_number=2, **in_thread),
        row(d["host_reply"], d["moderator"], "post", text="Thanks both!", post_number=3, **in_thread),
        row(announcement, d["moderator"], "post", post_number=1, thread_id=reference("thread", competition.thread_id), thread_title="Tea moments",
            category="Lipstick", state="published",
            text="Show us your favourite tea moment.\n\nPrize: A tea set\n\nEnter, vote and see the results on the "
                 "competition page ([activity-link])"),
    ]
    for post in posts:
        post.update(activity_type="post", reaction_count="0", post_id=post["item_id"])
    poll_rows = [row(ballot, person, "ballot", activity_type="poll", activity_id=reference("poll", poll.id), activity_title="Favourite shade?",
                     poll_options=chosen, **in_thread)
                 for ballot, person, chosen in zip(d["ballots"], (d["alice"], d["bob"]), ("Red; Nude", "Berry"))]
    return posts + [
        row(d["submission"], d["carol"], "submission", activity_type="task", activity_id=reference("task", d["task"].id), activity_title="Shelf photo",
            text="My shelf has 3 creams", photos=_photo("task_submission", d["submission"].id), task_status="accepted"),
        *poll_rows,
        row(d["entry"], d["alice"], "entry", activity_type="competition",
            activity_id=reference("competition", competition.id), activity_title="Tea moments",
            thread_id=reference("thread", competition.thread_id), thread_title=competition.thread.title,
            category="Lipstick", state="published", entry_title="My tea moment", text="Jasmine tea by the window",
            photos=_photo("competition_entry", d["entry"].id)),
    ]


def _as_text(rows: list[dict], columns) -> list[dict]:
    return [{c: "" if r.get(c) is None else str(r.get(c)) for c in columns} for r in rows]


def _read(fmt: str, path) -> list[dict]:
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    if fmt == "jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    header, *values = list(workbook["transcript"].iter_rows(values_only=True))
    workbook.close()
    return [dict(zip(header, line)) for line in values]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl"])
def test_every_kind_of_contribution_round_trips_with_segments(fmt, activity_dataset, researcher, app):
    expected = _expected(activity_dataset, app)
    run = _export(fmt, researcher)
    rows = _read(fmt, exports.file_path(run))
    assert run.status == "done" and run.row_count == len(expected) == 8
    assert _as_text(rows, expected[0]) == expected
    assert [int(r["row_id"]) for r in rows] == list(range(1, 9))


def test_segment_columns_follow_the_attributes(activity_dataset, researcher):
    header = _read("csv", exports.file_path(_export("csv", researcher)))[0].keys()
    assert list(header)[-2:] == ["segment_age_band", "segment_city_tier"]


def test_docx_transcript_shows_segment_tags_quotes_choices_and_photo_links(activity_dataset, researcher):
    from docx import Document

    d = activity_dataset
    document = Document(str(exports.file_path(_export("docx", researcher))))
    texts = [p.text for p in document.paragraphs]
    alice, bob, carol = (pseudonym(d[name].id) for name in ("alice", "bob", "carol"))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    # threads (the competition's announcement thread too), then the task, the poll and the competition
    assert headings == ["Which shade?", "Tea moments", "Shelf photo", "Favourite shade?", "Tea moments"]
    assert "Competition · Lipstick · Tea moments" in texts
    assert any(t.startswith(f"#1 · {alice} [age_band: 25-34, city_tier: Tier 1]") for t in texts)
    assert any(f"{bob} [age_band: 18-24]" in t and f"↩ #1 {alice}" in t and "codes: Price" in t for t in texts)
    assert any(f"{carol} [age_band: 25-34, city_tier: Tier 2]" in t and "task: accepted" in t for t in texts)
    assert "Chose: Red; Nude" in texts and "Chose: Berry" in texts
    assert any("My tea moment" in t for t in texts) and "Jasmine tea by the window" in texts
    links = {link.address for p in document.paragraphs for link in p.hyperlinks}
    assert links == {"https://tea.example/uploads/shelf.png", _photo("task_submission", d["submission"].id),
                     _photo("competition_entry", d["entry"].id)}


def test_segment_filter_keeps_only_matching_members_in_every_kind(activity_dataset):
    d = activity_dataset

    def authors(**segments) -> list[tuple[str, str]]:
        return [(r["activity_type"], r["item_id"])
                for r in iter_transcript(TranscriptFilter(**EVERYTHING, segments=segments))]

    assert authors(age_band=["25-34"]) == [
        ("post", reference("post", d["opening"].id)), ("task", reference("submission", d["submission"].id)),
        ("poll", reference("ballot", d["ballots"][0].id)), ("competition", reference("entry", d["entry"].id))]
    assert authors(age_band=["25-34"], city_tier=["Tier 2"]) == [("task", reference("submission", d["submission"].id))]
    assert len(authors(age_band=["18-24", "25-34"])) == 6  # everyone but the hosts, who have no segment values


def test_unknown_segment_attributes_and_values_are_refused(activity_dataset, researcher):
    from app.core.exceptions import DomainError

    with pytest.raises(DomainError, match="no segment attribute “income”"):
        exports.queue_export(TranscriptFilter(segments={"income": ["high"]}), "csv", by=researcher)
    with pytest.raises(DomainError, match="not a value of age_band"):
        exports.queue_export(TranscriptFilter(segments={"age_band": ["99+"]}), "csv", by=researcher)


def test_code_filter_leaves_only_coded_posts(activity_dataset):
    rows = list(iter_transcript(TranscriptFilter(**EVERYTHING, code_ids=[activity_dataset["price"].id])))
    assert [(r["activity_type"], r["post_id"], r["codes"]) for r in rows] == [
        ("post", reference("post", activity_dataset["bob_reply"].id), "Price")]


def test_category_and_thread_filters_narrow_polls_and_competitions(activity_dataset, thread_factory):
    other = thread_factory()
    kinds = {r["activity_type"] for r in iter_transcript(TranscriptFilter(**EVERYTHING, thread_ids=[other.id]))}
    assert kinds == {"post", "task"}  # tasks belong to no thread; the poll and competition are elsewhere


def test_hidden_entries_and_withdrawn_members_are_left_out(activity_dataset, db):
    from app.competitions.services import moderate_entry
    from app.db import utcnow

    d = activity_dataset
    moderate_entry(d["entry"], "hide", by=d["moderator"], reason="off topic")
    d["carol"].consent_withdrawn_at = utcnow()
    db.session.commit()
    kinds = [r["activity_type"] for r in iter_transcript(TranscriptFilter(**EVERYTHING))]
    assert kinds == ["post", "post", "post", "post", "poll", "poll"]
    moderated = [r for r in iter_transcript(TranscriptFilter(**EVERYTHING, include_moderated=True))
                 if r["activity_type"] == "competition"]
    assert [r["state"] for r in moderated] == ["hidden"]


def test_an_export_must_include_something(researcher):
    from app.core.exceptions import DomainError

    with pytest.raises(DomainError, match="at least one kind"):
        exports.queue_export(TranscriptFilter(include_posts=False), "csv", by=researcher)


# --- scrubbing --------------------------------------------------------------------------------------------

CONTACTS = [
    "13812345678", "+86 138 1234 5678", "+86-138-1234-5678", "138 1234 5678", "(+86)139-8765-4321",
    "１３８１２３４５６７８", "０２１－６８８８ ８８８８", "010-12345678", "(010) 8765 4321",
    "+44 20 7946 0958", "+1 (415) 555-0132", "415.555.0132", "+81 3-1234-5678", "+33 1 23 45 67 89",
    "+852 9123 4567", "+886 912 345 678", "+49 30 901820",
    "bob@example.com", "name+tag@sub.example.co.uk", "用户@例子.公司", "ZHANG.San@QQ.COM", "ｂｏｂ＠ｅｘａｍｐｌｅ．ｃｏｍ",
    "微信号：tea_lover88", "wx: abc_12345", "QQ号：12345678", "扣扣 987654321",
]


def test_no_email_or_phone_number_survives_scrubbing(activity_dataset, researcher, db):
    from app.forum import services as forum

    d = activity_dataset
    body = "\n\n".join(f"联系我 {contact} 谢谢" for contact in CONTACTS)
    forum.reply(d["thread"], author=d["bob"], body=body)
    d["submission"].text_html = f"<p>{body}</p>"
    db.session.commit()
    rows = _read("csv", exports.file_path(_export("csv", researcher)))
    for text in (r["text"] for r in rows if r["author"] == pseudonym(d["bob"].id) and "谢谢" in r["text"]):
        folded = text.translate({0xFF10 + i: 0x30 + i for i in range(10)})
        assert not re.search(r"\d[\d\s().+-]{5,}\d", folded), text
        assert "@" not in text and "＠" not in text and "tea_lover88" not in text and "abc_12345" not in text
        assert text.count("[phone]") == 17 and text.count("[email]") == 5
    task_text = next(r["text"] for r in rows if r["activity_type"] == "task")
    assert "[phone]" in task_text and "13812345678" not in task_text


# --- CLI and form ---------------------------------------------------------------------------------------------

def test_cli_exports_activities_filtered_by_segment(activity_dataset, runner, tmp_path):
    out = tmp_path / "t.jsonl"
    result = runner.invoke(args=["export", "transcript", "--format", "jsonl", "--out", str(out), "--tasks", "--polls",
                                 "--competitions", "--segment", "age_band=25-34", "--segment", "city_tier=Tier 1"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["activity_type"] for r in rows] == ["post", "poll", "competition"]
    assert {r["segment_city_tier"] for r in rows} == {"Tier 1"}


def test_cli_code_filter_and_bad_segment_give_clear_errors(activity_dataset, runner, tmp_path):
    out = tmp_path / "t.csv"
    coded = runner.invoke(args=["export", "transcript", "--format", "csv", "--out", str(out), "--tasks", "--code",
                                "Price"])
    assert coded.exit_code == 0 and "Wrote 1 rows" in coded.output
    for bad, message in ((["--segment", "age_band"], "key=value"), (["--segment", "age_band=99+"], "not a value"),
                         (["--code", "Nope"], "Unknown code")):
        result = runner.invoke(args=["export", "transcript", "--format", "csv", "--out", str(out), *bad])
        assert result.exit_code == 1 and message in result.output, result.output


def test_export_form_offers_activities_segments_and_codes(activity_dataset, researcher_client, db):
    page = researcher_client.get("/research/exports")
    assert b'value="age_band=25-34"' in page.data and b"Poll ballots" in page.data
    response = researcher_client.post("/research/exports", data={
        "include_polls": "y", "include_competitions": "y", "segments": ["age_band=25-34"], "identity": "pseudonym",
        "scrub": "y", "format": "jsonl"})
    assert response.status_code == 302
    run = db.session.scalar(sa.select(ExportRun))
    assert run.params["segments"] == {"age_band": ["25-34"]} and run.status == "done" and run.row_count == 2
    coded = researcher_client.post("/research/exports", data={
        "include_posts": "y", "code_ids": [str(activity_dataset["price"].id)], "identity": "pseudonym",
        "format": "csv"})
    assert coded.status_code == 302
    assert db.session.scalar(sa.select(ExportRun).order_by(ExportRun.id.desc())).row_count == 1


def test_export_form_without_any_kind_says_so_and_keeps_the_choices(activity_dataset, researcher_client):
    page = researcher_client.post("/research/exports", data={
        "segments": ["city_tier=Tier 2"], "thread_ids": "7", "identity": "pseudonym", "format": "csv"})
    assert page.status_code == 200 and b"Choose at least one kind" in page.data
    assert re.search(rb'<option selected value="city_tier=Tier 2"|<option value="city_tier=Tier 2" selected',
                     page.data) and b'value="7"' in page.data


def test_docx_transcript_carries_every_row_of_the_database_with_its_local_time(activity_dataset, researcher, app):
    from docx import Document

    expected = _expected(activity_dataset, app)
    document = Document(str(exports.file_path(_export("docx", researcher))))
    texts = [p.text for p in document.paragraphs]
    metas = [p.text for p in document.paragraphs if p.runs and p.runs[0].bold]
    assert len(metas) == len(expected) == 8
    for meta, row in zip(metas, expected):
        assert row["author"] in meta and row["created_local"] in meta, (meta, row)
        if row["post_number"]:
            assert meta.startswith(f"#{row['post_number']} · ")
        if row["text"]:
            assert row["text"] in texts


def test_docx_labels_follow_the_language_of_the_researcher_who_asked(activity_dataset, researcher, researcher_client,
                                                                     app, db):
    from docx import Document

    researcher.locale = "zh_Hans"
    db.session.commit()
    response = researcher_client.post("/research/exports", data={
        **{key: "y" for key in EVERYTHING}, "include_hosts": "y", "identity": "pseudonym", "scrub": "y",
        "format": "docx"})
    assert response.status_code == 302
    run = db.session.scalar(sa.select(ExportRun).order_by(ExportRun.id.desc()))
    assert run.params["locale"] == "zh_Hans" and run.status == "done"
    texts = [p.text for p in Document(str(exports.file_path(run))).paragraphs]
    assert texts[0] == "文字记录"
    assert any(text.startswith("选择：") for text in texts) and any("任务：" in text for text in texts)
    english = [p.text for p in Document(str(exports.file_path(_export("docx", researcher)))).paragraphs]
    assert english[0] == "Transcript" and any(text.startswith("Chose: ") for text in english)
