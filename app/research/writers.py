"""Writers that turn transcript rows into CSV, XLSX, JSONL or a readable DOCX, streaming where they can."""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Callable, Iterable

FORMATS = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "jsonl": "application/x-ndjson",
           "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
_INVISIBLE_PREFIX = "\ufeff\u200b\u200c\u200d\u2060\x00"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Spreadsheet-safe cell: text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.lstrip(_INVISIBLE_PREFIX).startswith(_FORMULA_START):
        return "'" + value
    return value


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
            writer.writerow([neutralise("" if row.get(c) is None else row.get(c)) for c in columns])
    return count


def write_xlsx(rows: Iterable[dict], columns: list[str], path: Path, progress: Progress | None = None) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("transcript")
    sheet.append(columns)
    count = 0
    for count, row in enumerate(_rows_with_progress(rows, progress), start=1):
        cells = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=neutralise(_xlsx_safe(row.get(column))))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never let openpyxl read text as a formula
            cells.append(cell)
        sheet.append(cells)
    workbook.save(path)
    return count


def _xlsx_safe(value):
    if isinstance(value, str):
        # XML 1.0 cannot hold most control characters; keep tab, newline, carriage return.
        return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)
    return value


def write_jsonl(rows: Iterable[dict], columns: list[str], path: Path, progress: Progress | None = None) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for count, row in enumerate(_rows_with_progress(rows, progress), start=1):
            handle.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n")
    return count


def write_docx(rows: Iterable[dict], columns: list[str], path: Path, progress: Progress | None = None) -> int:
    """A readable transcript: a heading per thread, then each post with who, when, reply-to and text."""
    from docx import Document

    document = Document()
    document.add_heading("Transcript", level=0)
    current, count = None, 0
    for count, row in enumerate(_rows_with_progress(rows, progress), start=1):
        key = (row.get("activity_type"), row.get("thread_id") or row.get("thread_title"))
        if key != current:
            current = key
            document.add_heading(str(row.get("thread_title") or ""), level=1)
            if row.get("category"):
                document.add_paragraph(str(row["category"]), style="Subtitle")
        meta = " · ".join(str(x) for x in (
            f"#{row['post_number']}" if row.get("post_number") else row.get("activity_type"),
            row.get("author") or "—", row.get("created_local"),
            f"↩ #{row['parent_post_id']}" if row.get("parent_post_id") else "",
            row.get("segments") or "", row.get("codes") or "",
        ) if x)
        heading = document.add_paragraph()
        heading.add_run(meta).bold = True
        document.add_paragraph(_xlsx_safe(str(row.get("text") or "")))
    document.save(path)
    return count


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "jsonl": write_jsonl, "docx": write_docx}
