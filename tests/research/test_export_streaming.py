"""Exports stream: memory does not grow with the number of rows (the 1,000,000-post figure is measured by hand)."""
from __future__ import annotations

import tracemalloc

import pytest
import sqlalchemy as sa

from app.forum.models import Thread
from app.research.transcript import iter_transcript, transcript_columns
from app.research.transcript_filter import TranscriptFilter
from app.research.writers import write_csv


def _peak_bytes(spec: TranscriptFilter, path) -> tuple[int, int]:
    tracemalloc.start()
    try:
        rows = write_csv(iter_transcript(spec, batch=500), transcript_columns(), path)
        return rows, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_csv_export_memory_does_not_grow_with_the_row_count(db, tmp_path):
    from app.demo.bulk import seed_bulk

    seed_bulk(members=60, threads=40, posts=4_000, seed=3)  # more would make the suite's table cleanup slow
    sizes = db.session.execute(sa.select(Thread.id, Thread.post_count).order_by(Thread.post_count, Thread.id)).all()
    small = [thread_id for index, (thread_id, _posts) in enumerate(sizes)
             if sum(posts for _id, posts in sizes[:index + 1]) <= 800]
    _peak_bytes(TranscriptFilter(thread_ids=small[:2]), tmp_path / "warm.csv")  # compile and cache the queries
    small_rows, small_peak = _peak_bytes(TranscriptFilter(thread_ids=small), tmp_path / "small.csv")
    all_rows, all_peak = _peak_bytes(TranscriptFilter(), tmp_path / "all.csv")
    assert all_rows == 4_000 and all_rows >= 4 * small_rows
    # Four times the rows or more (a list of them would take megabytes), yet the peak barely moves.
    assert all_peak < small_peak * 1.25 + 500_000, (small_rows, small_peak, all_peak)
