"""The quick part of the XLSX benchmark: the writers it compares write the same cells (the timing is the
benchmark's, `python -m tests.perf.xlsx_bench`)."""
from __future__ import annotations

from openpyxl import load_workbook

from app.research.writers import write_xlsx
from tests.perf.xlsx_bench import columns, openpyxl_write_only, transcript_rows, xlsxwriter_writer


def _values(path) -> list[tuple]:
    workbook = load_workbook(path, read_only=True)
    try:
        return [tuple(row) for row in workbook["transcript"].iter_rows(values_only=True)]
    finally:
        workbook.close()


def test_export_writer_and_the_old_writer_write_the_same_cells(tmp_path):
    assert write_xlsx(transcript_rows(500), columns(), tmp_path / "new.xlsx") == 500
    assert openpyxl_write_only(transcript_rows(500), columns(), tmp_path / "old.xlsx") == 500
    assert xlsxwriter_writer(transcript_rows(500), columns(), tmp_path / "xlsxwriter.xlsx") == 500
    new, old = _values(tmp_path / "new.xlsx"), _values(tmp_path / "old.xlsx")
    assert len(new) == 501 and new == old == _values(tmp_path / "xlsxwriter.xlsx")
    assert any(isinstance(cell, str) and cell.startswith("'=SUM") for row in new for cell in row)


def test_an_export_without_rows_still_has_its_header_row(tmp_path):
    assert write_xlsx(iter(()), columns(), tmp_path / "empty.xlsx") == 0
    assert _values(tmp_path / "empty.xlsx")[0] == tuple(columns())
