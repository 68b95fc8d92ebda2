"""End-to-end export benchmark: `python -m tests.perf.export_bench --posts 1000000` (not part of the test run).

Seeds a throwaway SQLite database with `flask demo seed` (tests/perf/bench.py's helpers), then runs the real
transcript export (``app.research.exports``: query, pseudonyms, contact scrub, writer) to CSV and to XLSX, each
in a fresh process, and reports wall and CPU seconds (CPU of the process, and of the worker processes that build
the rows of a large export, ``research.parallel_rows``: a shared machine's wall time includes waiting) and peak
resident memory (VmHWM) at a tenth of the rows and at the end, and the largest worker's: equal figures mean flat
memory. ``--workers N`` sets ``TEAHOUSE_EXPORT_WORKERS`` (0: one process builds and writes).
``--workdir`` keeps the seeded database for the next run. JSON goes to instance/export_bench.json.
"""
from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

from tests.perf.bench import environment, flask
from tests.perf.measure import peak_kib, run_child, save_results


def seed(env: dict, posts: int) -> float | None:
    """Seeds once per database; a kept, already seeded one is reused (None: no seeding time)."""
    seeded = Path(env["TEAHOUSE_DATABASE_URL"].removeprefix("sqlite:///")).with_suffix(".seeded")
    if seeded.exists():
        return None
    flask(env, "db", "upgrade")
    seconds, _ = flask(env, "demo", "seed", "--members", str(max(min(posts // 200, 5000), 20)),
                       "--threads", str(max(posts // 20, 10)), "--posts", str(posts))
    seeded.touch()
    return seconds


def child(fmt: str) -> None:
    """One export in this (fresh) process, the way the export job runs it; prints its figures as JSON."""
    from app import create_app
    from app.research.exports import execute_export, file_path, queue_export
    from app.research.transcript_filter import TranscriptFilter

    app = create_app()
    with app.app_context():
        run = queue_export(TranscriptFilter(), fmt, by=None)
        tenth = {}

        def progress(done: int, total: int) -> None:
            if "kib" not in tenth and total and done >= total // 10:
                tenth["kib"] = peak_kib()

        started, cpu = time.perf_counter(), time.process_time()
        run = execute_export(run, on_progress=progress)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        workers = resource.getrusage(resource.RUSAGE_CHILDREN)  # the row-building workers (parallel_rows), if any
        if run.status != "done":
            raise SystemExit(run.error)
        path = file_path(run)
        print(json.dumps({"format": fmt, "rows": run.row_count, "seconds": round(seconds, 1),
                          "cpu_seconds": round(cpu, 1), "peak_mib": round(peak_kib() / 1024, 1),
                          "workers_cpu_seconds": round(workers.ru_utime + workers.ru_stime, 1),
                          "workers_peak_mib": round(workers.ru_maxrss / 1024, 1),
                          "peak_mib_at_tenth": round(tenth.get("kib", 0) / 1024, 1),
                          "file_mib": round(path.stat().st_size / 2**20, 1)}))
        path.unlink()


def run(env: dict, fmt: str) -> dict:
    return run_child("tests.perf.export_bench", fmt, env=env, timeout=7200)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--workdir", type=Path, help="keep the seeded database here and reuse it next time")
    parser.add_argument("--workers", type=int, help="worker processes building rows (0: none)")
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory() as scratch:
        workdir = args.workdir or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        env = environment(f"sqlite:///{workdir / f'export{args.posts}'}.db")
        if args.workers is not None:
            env["TEAHOUSE_EXPORT_WORKERS"] = str(args.workers)
        seconds = seed(env, args.posts)
        if seconds is not None:
            print(f"seeded {args.posts:,} posts in {seconds:.0f} s", flush=True)
        results = [run(env, fmt) for fmt in args.formats.split(",")]
    for result in results:
        print(f"{result['format']:>5}: {result['rows']:,} rows in {result['seconds']} s ({result['cpu_seconds']} s CPU, "
              f"workers {result['workers_cpu_seconds']} s CPU), peak {result['peak_mib']} MiB (at a tenth: "
              f"{result['peak_mib_at_tenth']} MiB; largest worker {result['workers_peak_mib']} MiB), "
              f"file {result['file_mib']} MiB")
    save_results("export_bench", results)


if __name__ == "__main__":
    main()
