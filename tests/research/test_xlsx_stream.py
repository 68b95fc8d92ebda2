"""The export's own streaming XLSX writer (research/xlsx_stream.py): every kind of cell reads back as written, in
the same values and types XlsxWriter's constant-memory mode gives, and text that looks like markup stays text."""
from __future__ import annotations

import re
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from app.research.xlsx_stream import SheetStream, column_letters
from tests.perf.xlsx_bench import xlsxwriter_writer

_XSTRING_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
TEXTS = ["plain", "茶 & <b>bold</b> > 1", "  leading", "trailing  ", " ", "line\nbreak", "tab\there", "cr\r\nlf",
         "_x0041_ stays literal", "_X004a_ too", "emoji 🍵🌸", "\"quoted\" 'single'", "a" * 5000, "混合 mixed 文字",
         "ctrl\x07char", "non\ufffechar"]
VALUES = [0, 1, -7, 2**40, 2.5, -0.125, 1e20, True, False, datetime(2026, 11, 2, 8, 15, 30), date(2024, 2, 29)]


def _read(path) -> list[tuple]:
    """Cells as Excel reads them: openpyxl leaves the _xHHHH_ escapes of inline strings, which Excel undoes."""
    workbook = load_workbook(path)
    try:
        return [tuple(_xstring(cell) for cell in row) for row in workbook.active.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _xstring(value):
    if isinstance(value, str) and "_x" in value:
        return _XSTRING_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
    return value


def _rows() -> list[list]:
    cells = TEXTS + VALUES
    return [cells[shift:] + cells[:shift] for shift in range(len(cells))] + [[None, "", None, "after blanks"]]


def _write(path, rows) -> None:
    with SheetStream(path, "transcript") as sheet:
        for row in rows:
            sheet.append(row)


def test_cells_read_back_as_written_with_their_types(tmp_path):
    rows = _rows()
    _write(tmp_path / "s.xlsx", rows)
    read = _read(tmp_path / "s.xlsx")
    assert len(read) == len(rows)
    for written, back in zip(rows, read, strict=True):
        expected = [None if value == "" else value for value in written]
        expected = [datetime(v.year, v.month, v.day) if type(v) is date else v for v in expected]
        assert list(back[:len(expected)]) == expected
        assert [type(v) for v in back[:len(expected)]] == [type(v) for v in expected]  # 1 stays int, not 1.0
    assert zipfile.ZipFile(tmp_path / "s.xlsx").testzip() is None


def test_the_same_cells_as_xlsxwriter_constant_memory(tmp_path):
    columns = [f"c{index}" for index in range(len(TEXTS + VALUES))]
    rows = [dict(zip(columns, row)) for row in _rows()[:-1]]
    from app.research.writers import write_xlsx

    write_xlsx(iter(rows), columns, tmp_path / "ours.xlsx")
    xlsxwriter_writer(iter(rows), columns, tmp_path / "theirs.xlsx")
    ours, theirs = _read(tmp_path / "ours.xlsx"), _read(tmp_path / "theirs.xlsx")
    assert ours == theirs and len(ours) == len(rows) + 1


def test_text_that_looks_like_markup_stays_text(tmp_path):
    """XlsxWriter's constant-memory mode writes a string that starts with <r> and ends with </r> as raw rich-text
    XML; a member's post must never become markup in the file."""
    hostile = ["<r><t>x</t></r>", "<r>&</r>", "</t></is></c><c><v>1</v></c>", "]]><!--", "<?xml?>"]
    _write(tmp_path / "m.xlsx", [hostile])
    assert _read(tmp_path / "m.xlsx") == [tuple(hostile)]


def test_no_rows_and_many_columns(tmp_path):
    _write(tmp_path / "e.xlsx", [])
    assert _read(tmp_path / "e.xlsx") == []
    wide = [f"v{index}" for index in range(60)]
    _write(tmp_path / "w.xlsx", [wide])
    assert _read(tmp_path / "w.xlsx") == [tuple(wide)]
    assert [column_letters(i) for i in (0, 25, 26, 51, 52, 701, 702)] == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]


def test_an_error_while_writing_is_raised_and_the_file_closed(tmp_path):
    path = tmp_path / "f.xlsx"
    with pytest.raises(RuntimeError, match="stop"), SheetStream(path, "transcript") as sheet:
        sheet.append(["one"])
        raise RuntimeError("stop")
    with zipfile.ZipFile(path) as closed:  # the export then deletes a failed run's file
        assert "xl/worksheets/sheet1.xml" in closed.namelist()
