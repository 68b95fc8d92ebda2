"""Member pages by CPU time: `python -m tests.perf.page_cpu --posts 1000000 [--database-url …] [--workdir DIR]`.

The benchmark's pages (tests/perf/bench.py: landing, thread list, thread page, search, notifications, task page,
activities) and its floor (``/healthz`` with the member's cookie), each called through the production app's WSGI
callable in this process with the member's real session cookie, and measured as **CPU** microseconds per request:
on a shared machine wall-clock rates (wrk) count whatever else runs, CPU time much less. On PostgreSQL the CPU the
server's backends spent for this process's connections (read from /proc, the server runs on this machine) is
counted too, so the two databases are compared on the work each request costs, wherever it is done. A page's
ratio to the floor is floor CPU ÷ page CPU (the share of the floor's request rate a CPU-bound worker would serve).

The databases are the benchmark's own (seeded by it when missing, kept in --workdir and on the PostgreSQL server),
each measured in a fresh process built as ``wsgi.py`` builds the app. Pages are measured in interleaved rounds and
the median round of each kept. Prints a table and writes every figure to instance/bench_cpu.json;
``--profile PAGE`` prints a cProfile listing of that page instead.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from tests.perf.bench import (
    PASSWORD,
    ROOT,
    USER_AGENT,
    _job_seconds,
    database_urls,
    environment,
    fixtures,
    pages_of,
    seed,
    sizes,
)
from tests.perf.floor_profile import _call, _environ
from tests.perf.measure import run_child

EMAIL = "bench@example.test"
# The member pages of the second target, in the benchmark's names, and the floor they are measured against.
PAGES = ("landing", "thread list", "thread page", "search", "search, best", "notifications", "task page",
         "activities", "floor")


def _paths(found: dict) -> dict[str, str]:
    return {"landing": "/", **pages_of(found)}


def _login(app) -> str:
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = USER_AGENT
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"csrf_token": token, "email": EMAIL, "password": PASSWORD})
    if answer.status_code != 302:
        raise SystemExit(f"login failed: {answer.status_code}")
    # As a browser does after signing in: the first page with a form puts the member's CSRF secret in the session
    # and sends the cookie again. A cookie without it would have every measured page with a form write a new
    # secret into the session and sign the cookie once more, a cost no member pays past that first page.
    client.get("/")
    return f"session={client.get_cookie('session').value}"


def _backend_pids(app) -> list[int]:
    """The PostgreSQL server processes serving this database (this process's pool and nothing else here)."""
    from app.extensions import db

    with app.app_context(), db.engine.connect() as conn:
        return list(conn.scalars(sa.text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'")))


def _proc_cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _measure(wsgi, environ: dict, requests: int, pids: list[int]) -> dict:
    for _ in range(max(requests // 10, 5)):
        status, _body = _call(wsgi, environ)
        if not status.startswith("200"):
            raise SystemExit(f"{environ['PATH_INFO']}?{environ.get('QUERY_STRING', '')} answered {status}")
    server, cpu, wall = _proc_cpu_seconds(pids), time.process_time(), time.perf_counter()
    for _ in range(requests):
        _call(wsgi, environ)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    server = _proc_cpu_seconds(pids) - server
    return {"app_cpu_us": round(cpu / requests * 1e6, 1), "db_cpu_us": round(server / requests * 1e6, 1),
            "cpu_us": round((cpu + server) / requests * 1e6, 1), "wall_us": round(wall / requests * 1e6, 1)}


def child(found: dict, requests: int, rounds: int, profile: str | None) -> dict:
    """In a fresh process: the app as wsgi.py builds it (environment from the parent), every page measured."""
    import wsgi
    from app.core.database import warm_pool

    app = wsgi.app
    warm_pool(app)
    cookie = _login(app)
    pids = _backend_pids(app) if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql") else []
    environs = {name: _environ(app, path, cookie) for name, path in _paths(found).items()}
    for name, environ in environs.items():  # a first visit may write (a read mark): not what is measured
        status, _body = _call(app.wsgi_app, environ)
        if not status.startswith("200"):
            raise SystemExit(f"{name} answered {status}")
    if profile:
        profiler = cProfile.Profile()
        for _ in range(20):
            _call(app.wsgi_app, environs[profile])
        profiler.enable()
        for _ in range(requests):
            _call(app.wsgi_app, environs[profile])
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(70)
        stats.sort_stats("tottime").print_stats(50)
        return {"profile": out.getvalue()}
    runs: dict[str, list[dict]] = {name: [] for name in environs}
    for _ in range(rounds):
        for name, environ in environs.items():
            runs[name].append(_measure(app.wsgi_app, environ, requests, pids))
    pages = {}
    for name, measured in runs.items():
        ordered = sorted(measured, key=lambda run: run["cpu_us"])
        pages[name] = {**ordered[len(ordered) // 2], "rounds_cpu_us": [run["cpu_us"] for run in measured],
                       "bytes": len(_call(app.wsgi_app, environs[name])[1])}
    return {"pages": pages}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200, help="requests per page and round")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds over the pages (median kept)")
    parser.add_argument("--workdir", type=Path, help="the benchmark's kept SQLite databases (seeded when missing)")
    parser.add_argument("--database-url", help="also PostgreSQL: the benchmark's database named after this one")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--profile", choices=PAGES, help="print a cProfile listing of this page instead")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        found = json.loads(args.child)
        print(json.dumps(child(found, args.requests, args.rounds, args.profile)))
        return
    if args.no_sqlite and not args.database_url:
        raise SystemExit("--no-sqlite needs --database-url")
    report: dict = {"posts": args.posts, "requests": args.requests, "rounds": args.rounds, "databases": {}}
    with tempfile.TemporaryDirectory(prefix="teahouse-page-cpu-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        urls = database_urls(None if args.no_sqlite else workdir, args.database_url, args.posts)
        for name, url in urls.items():
            env = environment(url)
            if seed(env, args.posts):  # just seeded: the landing page's snapshot is made by the job
                _job_seconds(env, "refresh_hot")
            found = fixtures(url, 200)
            extra = ["--profile", args.profile] if args.profile else []
            result = run_child("tests.perf.page_cpu", json.dumps(found), "--requests", str(args.requests),
                               "--rounds", str(args.rounds), *extra, env=env)
            if args.profile:
                print(f"== {name}: {args.profile}\n{result['profile']}")
                continue
            report["databases"][name] = {"sizes": sizes(url), "fixtures": found, "pages": result["pages"]}
    if not args.profile:
        summarise(report)


def summarise(report: dict) -> None:
    """Each page's ratio to the floor (floor CPU ÷ page CPU) and, on PostgreSQL, to SQLite; table and JSON."""
    databases = report["databases"]
    for name, entry in databases.items():
        floor = entry["pages"]["floor"]["cpu_us"]
        for page_name, page in entry["pages"].items():
            page["ratio_to_floor"] = round(floor / page["cpu_us"], 3)
            if name == "postgresql" and "sqlite" in databases:
                page["ratio_to_sqlite"] = round(databases["sqlite"]["pages"][page_name]["cpu_us"] / page["cpu_us"], 3)
    for name, entry in databases.items():
        print(f"\n{name}, {report['posts']} posts ({entry['sizes']}), CPU µs per request (median of "
              f"{report['rounds']} rounds of {report['requests']})")
        with_sqlite = name == "postgresql" and "sqlite" in databases
        print(f"{'page':<15}{'CPU µs':>9}{'app':>8}{'db':>8}{'÷ floor':>9}" + (f"{'÷ SQLite':>10}" if with_sqlite else "")
              + "  rounds")
        for page_name, page in entry["pages"].items():
            print(f"{page_name:<15}{page['cpu_us']:>9.0f}{page['app_cpu_us']:>8.0f}{page['db_cpu_us']:>8.0f}"
                  f"{page['ratio_to_floor']:>9.2f}" + (f"{page['ratio_to_sqlite']:>10.2f}" if with_sqlite else "")
                  + f"  {page['rounds_cpu_us']}")
        worst = min(page["ratio_to_floor"] for page in entry["pages"].values())
        print(f"lowest ratio to the floor: {worst:.2f}; median page CPU "
              f"{statistics.median(p['cpu_us'] for n, p in entry['pages'].items() if n != 'floor'):.0f} µs")
    out = ROOT / "instance" / "bench_cpu.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    sys.exit(main())
