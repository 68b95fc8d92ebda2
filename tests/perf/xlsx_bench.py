"""Benchmark: `python -m tests.perf.xlsx_bench --rows 1000000` (not part of the test run).

Writes the same transcript-shaped rows (every transcript column, three segment columns, a 60-200 character
Chinese and English text) with the export's XLSX writer (``app.research.writers.write_xlsx``, its own streaming
sheet writer ``app.research.xlsx_stream``), with XlsxWriter in constant-memory mode (the export's writer before),
with rustpy-xlsxwriter (Rust's rust_xlsxwriter, constant memory, but it writes every number as a float, "1.0",
which openpyxl reads back as 1.0 where the CSV says 1, and its records API has no typed write to avoid that) and
with the openpyxl write-only writer the export used before that, each in a fresh process, and reports
seconds (wall and CPU: a shared machine's wall time includes waiting), rows per second, peak resident memory (VmHWM) and file size. Peak memory is also read at a tenth of the
rows, so a writer whose memory grows with the rows shows it. JSON goes to instance/xlsx_bench.json.
"""
from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

from tests.perf.measure import peak_kib, run_child, save_results

WORDS = ["口红", "防晒霜", "很滋润", "skin", "feels", "great", "texture", "精华液", "回购", "=SUM(A1)", "price 99",
         "味道好闻", "would", "recommend", "吸收很快", "@host", "https://example.test/x"]


def transcript_rows(count: int, seed: int = 7):
    """Rows shaped like the transcript generator's (the same columns and kinds of value)."""
    from app.research.transcript_rows import BASE_COLUMNS

    rng = random.Random(seed)
    for index in range(count):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 40)))
        row = dict.fromkeys(BASE_COLUMNS)
        row.update(row_id=index + 1, activity_type="post", activity_id=None, thread_id=index // 20 + 1,
                   thread_title=f"Thread {index // 20}", category="Skincare", post_id=index + 1,
                   post_number=index % 20 + 1, created_utc="2026-11-02T08:15:00Z",
                   created_local="2026-11-02 16:15", author=f"P-{index % 5000:013d}", author_role="member",
                   state="published", text=text, reaction_count=index % 7, codes="texture; price" if index % 9 == 0
                   else None, segment_age_band="25-34", segment_city_tier="tier 1", segment_skin="dry")
        yield row


def columns() -> list[str]:
    from app.research.transcript_rows import BASE_COLUMNS

    return [*BASE_COLUMNS, "segment_age_band", "segment_city_tier", "segment_skin"]


def openpyxl_write_only(rows, cols, path: Path, progress=None) -> int:
    """The writer the export used before (openpyxl write-only, WriteOnlyCell per value), kept as the baseline."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from app.research.writers import _xlsx_cell
    from app.text.spreadsheet import neutralise

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("transcript")
    sheet.append(cols)
    count = 0
    for count, row in enumerate(rows, start=1):
        cells = []
        for column in cols:
            cell = WriteOnlyCell(sheet, value=neutralise(_xlsx_cell(row.get(column))))
            if isinstance(cell.value, str):
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
        if progress and count % 1000 == 0:
            progress(count)
    workbook.save(path)
    return count


def xlsxwriter_writer(rows, cols, path: Path, progress=None) -> int:
    """XlsxWriter's constant-memory mode (each row goes to disk as it is written), which the export used before its
    own streaming writer, fed the same guarded cells."""
    import xlsxwriter

    from app.research.writers import _xlsx_cells

    workbook = xlsxwriter.Workbook(str(path), {
        "constant_memory": True, "tmpdir": str(path.parent), "strings_to_formulas": False,
        "strings_to_numbers": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet("transcript")
    stamp = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for index, column in enumerate(cols):
        sheet.write_string(0, index, column)
    count = 0
    for count, row in enumerate(rows, start=1):
        for index, value in enumerate(_xlsx_cells(row, cols)):
            if value is None:
                continue
            if value.__class__ is str:
                sheet.write_string(count, index, value)
            elif value.__class__ is bool:
                sheet.write_boolean(count, index, value)
            elif isinstance(value, (datetime, date)):
                sheet.write_datetime(count, index, value, stamp)
            else:
                sheet.write_number(count, index, value)
        if progress and count % 1000 == 0:
            progress(count)
    workbook.close()
    return count


def rustpy_writer(rows, cols, path: Path, progress=None) -> int:
    """rustpy-xlsxwriter, fed the same guarded cells as the export's writer, one record at a time."""
    import rustpy_xlsxwriter

    from app.research.writers import _xlsx_cells

    counted = [0]

    def records():
        for counted[0], row in enumerate(rows, start=1):
            yield dict(zip(cols, _xlsx_cells(row, cols), strict=True))
            if progress and counted[0] % 1000 == 0:
                progress(counted[0])

    rustpy_xlsxwriter.FastExcel(path).format(datetime_format="yyyy-mm-dd hh:mm:ss").sheet("transcript",
                                                                                          records()).save()
    return counted[0]


def child(writer: str, rows: int, path: Path) -> None:
    """Runs one writer in this (fresh) process and prints its figures as JSON."""
    from app.research.writers import write_xlsx

    write = {"export": write_xlsx, "xlsxwriter": xlsxwriter_writer, "rustpy": rustpy_writer,
             "openpyxl": openpyxl_write_only}[writer]
    tenth = {}

    def progress(done: int) -> None:
        if done == rows // 10:
            tenth["peak_kib"] = peak_kib()

    started, cpu = time.perf_counter(), time.process_time()
    written = write(transcript_rows(rows), columns(), path, progress)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(json.dumps({"writer": writer, "rows": written, "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
                      "rows_per_second": round(written / seconds), "peak_mib": round(peak_kib() / 1024, 1),
                      "peak_mib_at_tenth": round(tenth.get("peak_kib", 0) / 1024, 1),
                      "file_mib": round(path.stat().st_size / 2**20, 1)}))


def run(writer: str, rows: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        return run_child("tests.perf.xlsx_bench", writer, "--rows", str(rows), "--path", str(Path(folder) / f"{writer}.xlsx"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--writers", default="export,xlsxwriter,rustpy,openpyxl")
    parser.add_argument("--child")
    parser.add_argument("--path")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.rows, Path(args.path))
        return
    results = [run(writer, args.rows) for writer in args.writers.split(",")]
    for result in results:
        print(f"{result['writer']:>10}: {result['rows']:,} rows in {result['seconds']} s ({result['cpu_seconds']} s CPU) "
              f"({result['rows_per_second']:,}/s), peak {result['peak_mib']} MiB "
              f"(at a tenth: {result['peak_mib_at_tenth']} MiB), file {result['file_mib']} MiB")
    save_results("xlsx_bench", results)


if __name__ == "__main__":
    main()
