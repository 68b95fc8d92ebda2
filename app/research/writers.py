"""Writers that turn transcript rows into CSV, XLSX, JSONL or a readable DOCX, streaming where they can."""
from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.research.xlsx_stream import SheetStream
from app.text.spreadsheet import RISKY_FIRST, neutralise

FORMATS = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "jsonl": "application/x-ndjson",
           "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
Progress = Callable[[int], None]


def _rows_with_progress(rows: Iterable[dict], progress: Progress | None, every: int = 1000):
    count = 0
    for count, row in enumerate(rows, start=1):
        yield row
        if progress and count % every == 0:
            progress(count)
    if progress:
        progress(count)


def write_csv(rows: Iterable[dict], columns: list[str], path: Path, progress: Progress | None = None) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8-sig") as handle:  # BOM: Excel then shows Chinese
        writer = csv.writer(handle)
        writer.writerow(columns)
        for count, row in enumerate(_rows_with_progress(rows, progress), start=1):
            writer.writerow(_safe_cells(row, columns))
    return count


def _safe_cells(row: dict, columns: list[str]) -> list:
    """A row's cells in column order, None as "", formula starts neutralised (inlined: a million rows x 27 cells)."""
    values = [row.get(c) for c in columns]
    return ["" if v is None else neutralise(v) if v.__class__ is str and v[:1] in RISKY_FIRST else v
            for v in values]


# One search finds every text cell that needs care: a risky first character (formula guard) or a character
# XML cannot hold. Most cells need neither, and skip the guard's work.
_NEEDS_CARE = re.compile("\\A[" + re.escape("".join(sorted(RISKY_FIRST))) + "]|"
                         "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xlsx_text(value: str) -> str:
    if len(value) > XLSX_CELL_MAX or _NEEDS_CARE.search(value):
        return neutralise(_xlsx_cell(value))
    return value


# Short texts repeat from row to row (a category, a pseudonym, a segment's value): their safe form is remembered.
_xlsx_short_text = lru_cache(maxsize=8192)(_xlsx_text)


def _xlsx_cells(row: dict, columns: list[str]) -> list:
    """A row's cells for a spreadsheet: safe text, numbers, booleans and naive datetimes; None stays empty."""
    cells = [row.get(c) for c in columns]
    for index, value in enumerate(cells):
        kind = value.__class__
        if kind is str:
            cells[index] = _xlsx_short_text(value) if len(value) <= 64 else _xlsx_text(value)
        elif value is None or kind is int or kind is bool:
            continue
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            cells[index] = value if math.isfinite(value) else str(value)
        elif isinstance(value, datetime):
            cells[index] = value.replace(tzinfo=None)
        elif not isinstance(value, date):
            cells[index] = _xlsx_text(str(value))
    return cells


def write_xlsx(rows: Iterable[dict], columns: list[str], path: Path, progress: Progress | None = None) -> int:
    """XLSX streamed a row at a time in constant memory (``xlsx_stream``; measured against XlsxWriter's
    constant-memory mode, rustpy-xlsxwriter and openpyxl's write-only mode in tests/perf/xlsx_bench.py). Every text
    cell is written as a string, never a formula, a number or a link, after the formula guard."""
    count = 0
    with SheetStream(path, "transcript") as sheet:
        sheet.append(list(columns))
        for count, row in enumerate(_rows_with_progress(rows, progress), start=1):
            sheet.append([row.get(c) for c in columns], _xlsx_text)  # the writer guards each text as it writes
    return count


# XML 1.0 cannot hold most control characters (tab, newline and carriage return are fine), lone surrogates,
# U+FFFE or U+FFFF: one such character in one post would fail the whole XLSX or DOCX file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
XLSX_CELL_MAX = 32_767  # characters Excel keeps in one cell


def _xlsx_safe(value):
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    return value


def _xlsx_cell(value):
    """A value Excel opens without "repairing" the file: XML-safe and cut to what a cell holds (marked)."""
    value = _xlsx_safe(value)
    if isinstance(value, str) and len(value) > XLSX_CELL_MAX:
        return value[:XLSX_CELL_MAX - 1] + "…"
    return value


def write_jsonl(rows: Iterable[dict], columns: list[str], path: Path, progress: Progress | None = None) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for count, row in enumerate(_rows_with_progress(rows, progress), start=1):
            handle.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n")
    return count


def write_docx(rows: Iterable[dict], columns: list[str], path: Path, progress: Progress | None = None) -> int:
    """A readable transcript: a heading per thread or activity, then each contribution with who (and their
    segment tags), when, the quoted post, the text and photos as links."""
    from docx import Document

    document = Document()
    body = _DocxBody(document)
    body.add_heading(_("Transcript"), level=0)
    segment_columns = [c for c in columns if c.startswith("segment_")]
    current, count = None, 0
    for count, row in enumerate(_rows_with_progress(rows, progress), start=1):
        key = (row.get("activity_type"), row.get("thread_id"), row.get("activity_id"))
        if key != current:
            current = key
            _docx_group_heading(body, row)
        heading = body.add_paragraph()
        heading.add_run(_docx_meta(row, segment_columns)).bold = True
        if row.get("entry_title"):
            heading.add_run(" · " + _xlsx_safe(str(row["entry_title"]))).italic = True
        if row.get("poll_options"):
            body.add_paragraph(_xlsx_safe(_("Chose: %(options)s", options=row["poll_options"])))
        if row.get("text"):
            body.add_paragraph(_xlsx_safe(str(row["text"])))
        for url in str(row.get("photos") or "").split():
            _docx_link(body.add_paragraph(_("Photo:") + " "), url)
    document.save(path)
    return count


class _DocxBody:
    """Adds paragraphs before the section properties, found once: python-docx looks for them again for every
    paragraph, which makes a long transcript quadratic."""

    def __init__(self, document) -> None:
        self.parent, self.body = document._body, document.element.body
        self.end = self.body.sectPr

    def add_paragraph(self, text: str = "", style: str | None = None):
        from docx.oxml import OxmlElement
        from docx.text.paragraph import Paragraph

        element = OxmlElement("w:p")
        if self.end is not None:
            self.end.addprevious(element)
        else:
            self.body.append(element)
        paragraph = Paragraph(element, self.parent)
        if text:
            paragraph.add_run(text)
        if style:
            paragraph.style = style
        return paragraph

    def add_heading(self, text: str, level: int):
        return self.add_paragraph(text, "Title" if level == 0 else f"Heading {level}")


_ACTIVITY_NAMES = {"task": _l("Task"), "poll": _l("Poll"), "competition": _l("Competition")}
_TASK_STATUS = {"submitted": _l("submitted"), "accepted": _l("accepted"), "needs_more": _l("asked for more")}


def _docx_group_heading(body: _DocxBody, row: dict) -> None:
    activity = row.get("activity_type")
    title = row.get("thread_title") if activity == "post" else row.get("activity_title")
    body.add_heading(_xlsx_safe(str(title or "")), level=1)
    context = [str(_ACTIVITY_NAMES.get(activity, activity))] if activity != "post" else []
    context += [str(x) for x in (row.get("category"),
                                 row.get("thread_title") if activity != "post" else None) if x]
    if context:
        body.add_paragraph(_xlsx_safe(" · ".join(context)), style="Subtitle")


def _docx_meta(row: dict, segment_columns: list[str]) -> str:
    """A contribution's heading: number, who (with segment tags), host, when, the post it quotes, status, codes."""
    tags = ", ".join(f"{c[len('segment_'):]}: {row[c]}" for c in segment_columns if row.get(c))
    quoted = f"↩ #{row['parent_post_number']} {row.get('parent_author') or ''}".strip() \
        if row.get("parent_post_number") else ""
    return _xlsx_safe(" · ".join(str(x) for x in (
        f"#{row['post_number']}" if row.get("post_number") else "",
        (row.get("author") or "—") + (f" [{tags}]" if tags else ""),
        _("host") if row.get("author_role") == "host" else "",
        row.get("created_local"), quoted,
        _("task: %(status)s", status=_TASK_STATUS.get(row["task_status"], row["task_status"]))
        if row.get("task_status") else "",
        _("codes: %(codes)s", codes=row["codes"]) if row.get("codes") else "",
    ) if x))


def _docx_link(paragraph, url: str) -> None:
    """A clickable hyperlink run (python-docx has no public API for writing one)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if not url.startswith(("http://", "https://")):
        paragraph.add_run(url)  # a relative link cannot be a hyperlink target; keep it readable
        return
    rel_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:u")
    style.set(qn("w:val"), "single")
    props.append(style)
    run.append(props)
    text = OxmlElement("w:t")
    text.text = url
    run.append(text)
    link.append(run)
    paragraph._p.append(link)


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "jsonl": write_jsonl, "docx": write_docx}
