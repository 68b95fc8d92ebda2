"""The XLSX transcript export on a subset of a seeded benchmark database (not part of the test run).

``python -m tests.perf.xlsx_subset DB ROWS OUT.xlsx [--workers N] [--profile FILE]``: exports the posts of the
first threads (by id) that hold about ROWS published posts, the way the export job does (``iter_transcript`` or,
with workers, ``parallel_rows``, then ``write_xlsx``), and prints CPU µs per row of this process and of the workers.
``--compare A.xlsx B.xlsx``: every row of the two files' sheets, cell for cell (the uncompressed sheet XML).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
import zipfile
from pathlib import Path


def compare(first: Path, second: Path) -> int:
    sheets = []
    for path in (first, second):
        with zipfile.ZipFile(path) as archive:
            sheets.append(archive.read("xl/worksheets/sheet1.xml"))
    a, b = (sheet.split(b"</row>") for sheet in sheets)
    differing = [index for index, (x, y) in enumerate(zip(a, b)) if x != y]
    print(json.dumps({"rows": [len(a) - 1, len(b) - 1], "differing_rows": len(differing) + abs(len(a) - len(b)),
                      "first_differing": differing[:3], "same_bytes": sheets[0] == sheets[1]}))
    return 0 if sheets[0] == sheets[1] else 1


def export(db: Path, rows: int, out: Path, workers: int, profile: str | None) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.perf.bench import environment
    os.environ.update(environment(f"sqlite:///{db}"))
    os.environ["TEAHOUSE_EXPORT_WORKERS"] = str(workers)
    os.environ["TEAHOUSE_EXPORT_PARALLEL_FROM"] = "1"
    import sqlalchemy as sa

    from app import create_app
    from app.extensions import db as database
    from app.forum.models import Post
    from app.research.parallel_rows import export_workers, iter_transcript_parallel
    from app.research.transcript import iter_transcript, segment_keys, transcript_columns
    from app.research.transcript_filter import TranscriptFilter
    from app.research.writers import write_xlsx

    app = create_app()
    with app.app_context():
        counts = database.session.execute(sa.select(Post.thread_id, sa.func.count()).group_by(Post.thread_id)
                                          .order_by(Post.thread_id).limit(rows)).all()
        threads, total = [], 0
        for thread_id, count in counts:
            if total >= rows:
                break
            threads.append(thread_id)
            total += count
        spec = TranscriptFilter(thread_ids=threads)
        keys = segment_keys()
        n = export_workers(rows)
        source = iter_transcript_parallel(spec, keys, n) if n else iter_transcript(spec, keys=keys)
        profiler = None
        if profile:
            import cProfile
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
        started, cpu = time.perf_counter(), time.process_time()
        written = write_xlsx(source, transcript_columns(keys), out)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        child_cpu = children.ru_utime + children.ru_stime
        print(json.dumps({"rows": written, "workers": n, "seconds": round(seconds, 1), "cpu_s": round(cpu, 2),
                          "us_per_row": round(cpu / written * 1e6, 1), "workers_cpu_s": round(child_cpu, 2),
                          "workers_us_per_row": round(child_cpu / written * 1e6, 1)}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path, nargs="?")
    parser.add_argument("rows", type=int, nargs="?")
    parser.add_argument("out", type=Path, nargs="?")
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--profile")
    parser.add_argument("--compare", nargs=2, type=Path)
    args = parser.parse_args()
    if args.compare:
        raise SystemExit(compare(*args.compare))
    export(args.db, args.rows, args.out, args.workers, args.profile)


if __name__ == "__main__":
    main()
