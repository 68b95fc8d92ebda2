"""Time the export scrubber on 100,000 typical posts: `python -m tests.text.bench_scrub [count]`."""
from __future__ import annotations

import sys
import time

from app.text.scrub import scrub_contacts
from tests.text.typical_posts import typical_posts


def main(count: int = 100_000) -> None:
    posts = typical_posts(count)
    started = time.perf_counter()
    changed = sum(scrub_contacts(post) != post for post in posts)
    elapsed = time.perf_counter() - started
    print(f"scrubbed {count} posts in {elapsed:.2f} s ({elapsed / count * 1e6:.1f} µs/post), {changed} changed")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
