"""Export safety read back from the files: formula cells neutralised, moderated content only on request (audited),
withdrawn members left out, reactions and links carried as the database has them."""
from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.forum import services as forum
from app.research import exports
from app.research.transcript_filter import TranscriptFilter
from app.research.writers import write_csv, write_xlsx

FORMULAS = ["=1+2", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "=HYPERLINK(\"http://evil.example\",\"x\")"]


def _export(fmt: str, by, **filters):
    return exports.execute_export(exports.queue_export(TranscriptFilter(**filters), fmt, by=by))


def _csv(path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


_XSTRING_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _xlsx(path) -> list[dict]:
    """Cells as Excel reads them: openpyxl does not undo the _xHHHH_ escapes (ECMA-376 ST_Xstring) of inline
    strings, which Excel does, so the test undoes them as Excel would."""
    from openpyxl import load_workbook

    workbook = load_workbook(path)  # not read-only: data types are then the stored ones
    header, *rows = list(workbook["transcript"].iter_rows())
    names = [cell.value for cell in header]
    found = [{name: cell for name, cell in zip(names, row)} for row in rows]
    for cells in found:
        for cell in cells.values():
            if isinstance(cell.value, str) and "_x" in cell.value:
                cell.value = _XSTRING_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), cell.value)
    workbook.close()
    return found


@pytest.mark.parametrize("value", FORMULAS)
def test_formula_starts_are_neutralised_in_every_csv_and_xlsx_cell(value, tmp_path):
    columns = ["author", "thread_title", "text", "codes"]
    rows = [dict.fromkeys(columns, value)]
    write_csv(iter(rows), columns, tmp_path / "t.csv")
    write_xlsx(iter(rows), columns, tmp_path / "t.xlsx")
    assert _csv(tmp_path / "t.csv") == [dict.fromkeys(columns, "'" + value)]
    cells = _xlsx(tmp_path / "t.xlsx")[0]
    assert {c: cell.value for c, cell in cells.items()} == dict.fromkeys(columns, "'" + value)
    assert {cell.data_type for cell in cells.values()} == {"s"}
    with zipfile.ZipFile(tmp_path / "t.xlsx") as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_formulas_from_names_titles_codes_and_text_are_neutralised_in_real_exports(
        db, category_factory, user_factory, researcher):
    from app.core.settings import set_setting
    from app.research import coding

    set_setting("spam.hold_threshold", 100)
    author = user_factory(display_name="=cmd|' /C calc'!A0")
    thread = forum.start_thread(category_factory(name="+Category"), author=author, title="@Title", body="-1 to that")
    reply = forum.reply(thread, author=author, body="=SUM(A1:A9)")
    coding.apply_code(reply, coding.save_code(None, by=researcher, name="=Code", colour="#112233", description="",
                                              parent_id=None), by=researcher)
    db.session.commit()
    risky = ("author", "thread_title", "category", "text", "codes")
    rows = _csv(exports.file_path(_export("csv", researcher, identity="display_name")))
    assert rows[1]["text"] == "'=SUM(A1:A9)" and rows[1]["codes"] == "'=Code" and rows[0]["text"] == "'-1 to that"
    assert all(not row[c] or row[c].startswith("'") for row in rows for c in risky), rows
    cells = _xlsx(exports.file_path(_export("xlsx", researcher, identity="display_name")))
    assert [cells[1][c].value for c in ("author", "thread_title", "category", "text")] == [
        "'=cmd|' /C calc'!A0", "'@Title", "'+Category", "'=SUM(A1:A9)"]
    assert all(cell.data_type != "f" for row in cells for cell in row.values())


@pytest.mark.parametrize(("action", "state"), [("hide", "hidden"), ("spam", "spam")])
def test_moderated_posts_are_left_out_unless_asked_for_and_asking_is_audited(
        action, state, db, thread_factory, user_factory, moderator, researcher):
    from app.moderation.services import moderate_post

    thread = thread_factory(author=user_factory(), body="kept")
    post = forum.reply(thread, author=user_factory(), body="moderated away")
    moderate_post(post, action, by=moderator, reason="off topic")
    db.session.commit()
    plain = _csv(exports.file_path(_export("csv", researcher)))
    assert [r["text"] for r in plain] == ["kept"]
    everything = _csv(exports.file_path(_export("csv", researcher, include_moderated=True)))
    assert [(r["text"], r["state"]) for r in everything] == [("kept", "published"), ("moderated away", state)]
    events = db.session.execute(sa.select(AuditEvent.reason, AuditEvent.after)
                                .where(AuditEvent.verb == "export.create").order_by(AuditEvent.id)).all()
    assert [(reason, after["filters"]["include_moderated"]) for reason, after in events] == [
        (None, False), ("includes moderated content", True)]


def test_pending_threads_are_left_out_with_their_posts(db, thread_factory, user_factory, moderator):
    from app.research.transcript import iter_transcript

    held = thread_factory(author=user_factory(), body="waiting for review")
    held.state = "pending"
    db.session.commit()
    assert list(iter_transcript(TranscriptFilter(thread_ids=[held.id]))) == []
    assert len(list(iter_transcript(TranscriptFilter(thread_ids=[held.id], include_moderated=True)))) == 1


def test_withdrawn_consent_excludes_a_member_from_later_exports_only(db, thread_factory, user_factory, researcher):
    from app.db import utcnow

    leaver = user_factory(display_name="Leaver")
    thread_factory(author=user_factory(display_name="Stayer"), body="I stay")
    thread_factory(author=leaver, body="I leave")
    before = _export("jsonl", researcher, identity="display_name")
    leaver.consent_withdrawn_at = utcnow()
    db.session.commit()
    after = _export("csv", researcher, identity="display_name")
    assert before.row_count == 2 and exports.file_path(before) is not None  # an earlier file is not rewritten
    assert [r["author"] for r in _csv(exports.file_path(after))] == ["Stayer"]


def test_reactions_and_links_are_carried_as_in_the_database(db, thread_factory, user_factory, researcher):
    from app.core.settings import set_setting
    from app.forum.models import Post

    set_setting("spam.hold_threshold", 100)  # links from a new member would otherwise be held for review
    thread = thread_factory(author=user_factory(), body="See [the shop](https://shop.example/x) and https://a.example")
    opening = db.session.scalar(sa.select(Post).where(Post.thread_id == thread.id))
    for _ in range(3):
        forum.toggle_reaction(opening, user=user_factory())
    db.session.commit()
    row = _csv(exports.file_path(_export("csv", researcher)))[0]
    assert row["reaction_count"] == str(opening.reaction_count) == "3"
    assert row["text"] == "See the shop (https://shop.example/x) and https://a.example"


def test_export_page_says_that_withdrawn_members_are_excluded(db, user_factory, researcher_client):
    from app.db import utcnow

    assert b"withdrawn consent" not in researcher_client.get("/research/exports").data
    user_factory().consent_withdrawn_at = utcnow()
    db.session.commit()
    page = researcher_client.get("/research/exports")
    assert b"1 member has withdrawn consent; their contributions are excluded." in page.data


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_characters_xml_cannot_hold_do_not_fail_an_export(fmt, db, researcher, thread_factory, user_factory):
    from app.research import exports
    from app.research.transcript_filter import TranscriptFilter

    thread_factory(author=user_factory(), body="price \uffff tag \ufffe end")
    run = exports.execute_export(exports.queue_export(TranscriptFilter(), fmt, by=researcher))
    assert run.status == "done", run.error


def test_a_post_longer_than_an_excel_cell_is_cut_and_marked(db, researcher, thread_factory, user_factory):
    from openpyxl import load_workbook

    from app.research import exports, writers
    from app.research.transcript_filter import TranscriptFilter

    thread_factory(author=user_factory(), body="茶" * (writers.XLSX_CELL_MAX + 500))
    run = exports.execute_export(exports.queue_export(TranscriptFilter(), "xlsx", by=researcher))
    workbook = load_workbook(exports.file_path(run), read_only=True)
    try:
        texts = [cell for row in workbook.active.iter_rows(values_only=True) for cell in row if isinstance(cell, str)]
    finally:
        workbook.close()
    longest = max(texts, key=len)
    assert len(longest) == writers.XLSX_CELL_MAX and longest.endswith("…")
