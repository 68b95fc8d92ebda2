"""Benchmark: `python -m tests.perf.health_bench --posts 1000000` (not part of the test run).

Seeds a throwaway SQLite database with `flask demo seed` (members, threads, posts spread over the past year), runs
the `roll_up_health` job once (the first run backfills every day), then renders the community health dashboard
in-process as a host, --requests times for each period, and reports the median and p95 render time and the
number of SQL queries per page. The same at --small-posts shows that the page does not grow with the posts: it
reads the daily rollups, never the posts.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def seed(database: Path, posts: int) -> float:
    """Create and seed the database (kept between runs when --workdir is given); returns the seconds it took."""
    marker = database.with_suffix(".seeded")
    if marker.exists():
        return 0.0
    env = {**os.environ, "TEAHOUSE_DATABASE_URL": f"sqlite:///{database}", "TEAHOUSE_SECRET_KEY": "bench",
           "TEAHOUSE_PUBLIC_URL": "http://127.0.0.1"}
    env.pop("TEAHOUSE_TEST_DATABASE_URL", None)
    started = time.perf_counter()
    for args in (["db", "upgrade"], ["demo", "seed", "--members", str(max(min(posts // 200, 5000), 20)),
                                     "--threads", str(max(posts // 20, 10)), "--posts", str(posts)]):
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=7200, check=False)
        if done.returncode != 0:
            raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    marker.touch()
    return time.perf_counter() - started


def measure(database: Path, requests: int) -> dict:
    """Roll up, then time the dashboard page for each period as a logged-in host."""
    import sqlalchemy as sa

    from app import create_app
    from app.auth.services import create_user
    from app.db import utcnow
    from app.extensions import db
    from app.forum.models import Post
    from app.members.models import User
    from app.pulse.rollup import roll_up

    app = create_app({"DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "bench", "TESTING": True,
                      "PUBLIC_URL": "http://127.0.0.1", "WTF_CSRF_ENABLED": False})
    with app.app_context():
        host = db.session.scalar(sa.select(User).where(User.email == "bench-host@example.test"))
        if host is None:
            host = create_user("bench-host@example.test", "Bench Host", "bench password", role="moderator")
            db.session.commit()
        posts = db.session.scalar(sa.select(sa.func.count()).select_from(Post))
        started = time.perf_counter()
        days = roll_up(utcnow())
        db.session.commit()
        roll_up_s = time.perf_counter() - started
        host_id = host.get_id()
    statements: list[str] = []
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = host_id, True
    results = {"posts": posts, "rolled_up_days": days, "roll_up_s": round(roll_up_s, 2)}
    for period in (30, 365):
        url = f"/mod/health?period={period}&quiet=30"
        assert client.get(url).status_code == 200  # warm: templates compiled, the host's visit recorded
        timings = []
        for _ in range(requests):
            statements.clear()
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        results[f"period_{period}"] = {"min_ms": round(min(timings), 2),
                                       "median_ms": round(statistics.median(timings), 2),
                                       "p95_ms": round(sorted(timings)[int(len(timings) * 0.95) - 1], 2),
                                       "queries": len(statements)}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--small-posts", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--workdir", type=Path, help="keep the seeded databases here and reuse them next time")
    options = parser.parse_args()
    workdir = options.workdir or Path(tempfile.mkdtemp(prefix="teahouse-health-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    report = {}
    for name, posts in (("small", options.small_posts), ("big", options.posts)):
        database = workdir / f"health-{posts}.db"
        seeded = seed(database, posts)
        report[name] = {"seed_s": round(seeded, 1), **measure(database, options.requests)}
    print(json.dumps(report, indent=2))
    for name, row in report.items():
        print(f"{name:>5}: {row['posts']:>9,} posts  roll_up {row['roll_up_s']:>7.2f}s  "
              + "  ".join(f"{key}: min {v['min_ms']} ms, median {v['median_ms']} ms, p95 {v['p95_ms']} ms, {v['queries']} queries"
                          for key, v in row.items() if key.startswith("period_")))


if __name__ == "__main__":
    main()
