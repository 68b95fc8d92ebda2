"""A one-sheet XLSX file written as rows arrive, in constant memory: the transcript export's spreadsheet writer.

An XLSX file is a zip of a few fixed XML parts and one worksheet. The worksheet's rows are serialised here a row
at a time, as in-line strings (``t="inlineStr"``, what XlsxWriter's constant-memory mode writes too: no shared-string
table to hold in memory), numbers, booleans and dates (a serial number under a date format), and compressed into
the zip as they come. A transcript is flat text and numbers, so one sheet with a header row is all it needs; per
cell this costs a fraction of a general-purpose writer (measured in tests/perf/xlsx_bench.py against XlsxWriter's
constant-memory mode, rustpy-xlsxwriter and openpyxl's write-only mode).

Cells are written exactly as Excel reads them back: ``&``, ``<`` and ``>`` escaped, leading or trailing white
space kept (``xml:space="preserve"``), control characters (a carriage return too) written as Excel writes them,
``_x000D_``, and a literal ``_x0041_`` escaped as ``_x005F_x0041_`` (Excel reads ``_xHHHH_`` as the character
U+HHHH). Lone surrogates cannot be written at all: the caller removes them (``writers`` does). A string is never
read as a formula, a number or a link, nor as markup (XlsxWriter's constant-memory mode writes a text between <r>
and </r> as raw rich text). The sheet has no ``dimension`` element: it is optional, and the size is not known
until the last row (spreadsheet programs work it out).
"""
from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Self

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CONTENT_TYPES = (
    _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>')
_ROOT_RELS = (
    _HEAD + f'<Relationships xmlns="{_PKG_REL}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK_RELS = (
    _HEAD + f'<Relationships xmlns="{_PKG_REL}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>')
# Excel wants two fills (none and gray125) and one font, border and cell style; style 1 is the date format.
_STYLES = (
    _HEAD + f'<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
    '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
_SHEET_START = (_HEAD + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
                '<sheetFormatPr defaultRowHeight="15"/><sheetData>')
_SHEET_END = '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>' \
             '</worksheet>'

# What a text cell cannot hold as it is: XML's three, and control characters (a carriage return too: XML readers
# turn it into a line feed) and U+FFFE/U+FFFF, which Excel writes as _xHHHH_, as it does a literal _xHHHH_'s "_".
_ESCAPES = re.compile("[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_ESCAPED = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_EPOCH = datetime(1899, 12, 30)  # Excel's day 0 in the 1900 date system (with its leap-year bug: from March 1900)
_BATCH = 256  # rows joined before each write to the compressor
# Short texts repeat (a category, a pseudonym, a segment's value): their cells are kept, a bounded number of them.
_SHORT, _KEPT = 64, 8192


def _escape(match: re.Match) -> str:
    found = match.group()
    if len(found) > 1:
        return "_x005F" + found
    return _ESCAPED.get(found) or f"_x{ord(found):04X}_"


def column_letters(index: int) -> str:
    """A, B, … Z, AA, AB … for a column index from 0."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text_body(value: str) -> str:
    """A text cell after its reference: ``<c r="A1"`` + this."""
    if _ESCAPES.search(value):
        value = _ESCAPES.sub(_escape, value)
    if value[:1].isspace() or value[-1:].isspace():
        return f' t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'
    return f' t="inlineStr"><is><t>{value}</t></is></c>'


def _serial(value: date) -> float:
    """Excel's serial day number of a date or a naive datetime."""
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    delta = value - _EPOCH
    return delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400


def _number(value) -> str:
    return f"{value:.16G}" if isinstance(value, float) else str(value)


class SheetStream:
    """``with SheetStream(path, sheet) as sheet: sheet.append(cells)``: a list of cells per row, in column order,
    None for an empty cell; str, int, float, bool, date or naive datetime (anything else is written as its str)."""

    def __init__(self, path: Path, sheet_name: str, *, compresslevel: int = 1) -> None:
        self.path, self.sheet_name = Path(path), sheet_name
        self.compresslevel = compresslevel
        self.rows = 0
        self._letters: list[str] = []
        self._pending: list[str] = []
        self._bodies: dict[str, str] = {}
        self._guarded: dict[str, str] = {}  # the bodies of texts appended with a guard

    def __enter__(self) -> Self:
        self._zip = zipfile.ZipFile(self.path, "w", zipfile.ZIP_DEFLATED, compresslevel=self.compresslevel)
        self._write_parts()  # the fixed parts first, the worksheet last (it is streamed)
        self._sheet = self._zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        self._sheet.write(_SHEET_START.encode())
        return self

    def append(self, cells: list, guard: Callable[[str], str] | None = None) -> None:
        """One row. ``guard``, if given, makes each text safe first (``writers``' formula guard: one pass over the
        cells instead of two); a text it empties leaves the cell empty."""
        self.rows += 1
        number = str(self.rows)
        letters, bodies = self._letters, (self._bodies if guard is None else self._guarded)
        while len(letters) < len(cells):
            letters.append(column_letters(len(letters)))
        parts = [f'<row r="{number}">']
        for index, value in enumerate(cells):
            if value is None:
                continue
            kind = value.__class__
            ref = letters[index] + number
            if kind is str:
                if len(value) > _SHORT:
                    if guard is not None:
                        value = guard(value)
                    if value:
                        parts.append(f'<c r="{ref}"{_text_body(value)}')
                elif value:
                    body = bodies.get(value)
                    if body is None:
                        if len(bodies) >= _KEPT:
                            bodies.clear()
                        safe = value if guard is None else guard(value)
                        body = bodies[value] = _text_body(safe) if safe else ""
                    if body:
                        parts.append(f'<c r="{ref}"{body}')
            elif kind is int:
                parts.append(f'<c r="{ref}"><v>{value}</v></c>')
            elif kind is bool:
                parts.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                parts.append(f'<c r="{ref}"><v>{_number(value)}</v></c>' if math.isfinite(value)
                             else f'<c r="{ref}"{_text_body(str(value))}')
            elif isinstance(value, date):
                if isinstance(value, datetime) and value.tzinfo is not None:
                    value = value.replace(tzinfo=None)  # the wall-clock time it was given in
                parts.append(f'<c r="{ref}" s="1"><v>{_serial(value):.16G}</v></c>')
            elif text := (str(value) if guard is None else guard(str(value))):
                parts.append(f'<c r="{ref}"{_text_body(text)}')
        parts.append("</row>")
        self._pending.append("".join(parts))
        if len(self._pending) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._sheet.write("".join(self._pending).encode())
            self._pending.clear()

    def __exit__(self, kind, error, trace) -> None:
        try:
            if kind is None:
                self._flush()
                self._sheet.write(_SHEET_END.encode())
            self._sheet.close()
        finally:
            self._zip.close()

    def _write_parts(self) -> None:
        name = self.sheet_name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
        workbook = (_HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews>'
                    f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>')
        for part, text in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _ROOT_RELS), ("xl/workbook.xml", workbook),
                           ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS), ("xl/styles.xml", _STYLES)):
            self._zip.writestr(part, text)
