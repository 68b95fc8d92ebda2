"""Benchmark: `python -m tests.perf.bench --posts 1000000 [--database-url postgresql://…]` (not part of the tests).

Seeds a throwaway SQLite database (and with --database-url a PostgreSQL one) with `flask demo seed` plus a few
activities and notifications (tests/perf/bench_extras.py), serves each with gunicorn (2 sync workers) on
127.0.0.1, drives load with wrk, and reports requests/s and p50/p99 for the landing page, a thread list, a thread
page (20 posts of a 200-post thread), search (in its default order, newest first, and ordered by best match),
the notifications page, a task page and the activities page, all logged in as a member; the app's floor
(``/healthz`` with the member's cookie: the session, the user load and one one-row query, no template); a
minimal Flask+Jinja ceiling page and a bare Flask "hello"; the landing page at 10,000 posts (measured in turns with
the big one, median of --rounds runs each); refresh_hot and clear_spam times; peak worker memory. Every page is
also given as a ratio of the floor, the ceiling and the hello of the same run, and on PostgreSQL of SQLite's rate.
Writes a table to stdout and JSON to instance/bench.json.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "benchmark password"
HOST = "bench-host@example.test"
# Sent by the login and by wrk alike. Flask-Login's session protection hashes the address and the User-Agent into
# the session; when wrk's requests did not match the login's, every one of them marked the session "not fresh" and
# got a newly signed cookie back (which wrk never stores), a cost no browser pays past its first request.
USER_AGENT = "teahouse-bench"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask(env: dict, *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=3600, check=False)
    if done.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - started, done.stdout + done.stderr


def environment(url: str) -> dict:
    env = {**os.environ, "TEAHOUSE_DATABASE_URL": url, "TEAHOUSE_SECRET_KEY": "bench",
           "TEAHOUSE_PUBLIC_URL": "http://127.0.0.1", "TEAHOUSE_RATELIMIT_ENABLED": "false", "TEAHOUSE_ARGON2_TIME_COST": "1",
           "TEAHOUSE_ARGON2_MEMORY_COST": "8192"}
    env.pop("TEAHOUSE_TEST_DATABASE_URL", None)
    return env


def database_urls(workdir: Path, postgres: str | None, posts: int) -> dict[str, str]:
    """The URL of each database to measure at ``posts`` posts: a SQLite file in workdir (unless --no-sqlite), and
    with --database-url a PostgreSQL database named after it with the size appended (created when missing)."""
    urls = {}
    if workdir is not None:
        urls["sqlite"] = f"sqlite:///{workdir / f'posts-{posts}'}.db"
    if postgres:
        base = sa.engine.make_url(postgres).set(drivername="postgresql+psycopg")
        urls["postgresql"] = base.set(database=f"{base.database}_posts_{posts}").render_as_string(hide_password=False)
    return urls


def _engine(url: str) -> sa.Engine:
    return sa.create_engine(url, poolclass=sa.pool.NullPool)


def _ensure_postgres_database(url: str) -> None:
    target = sa.engine.make_url(url)
    with _engine(target.set(database="postgres")).connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}):
            conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))


def _is_seeded(url: str) -> bool:
    """A database counts as seeded once the benchmark's host exists (created last, after the bulk load)."""
    if url.startswith("sqlite") and not Path(url.removeprefix("sqlite:///")).exists():
        return False
    with _engine(url).connect() as conn:
        try:
            return bool(conn.scalar(sa.text("SELECT 1 FROM \"user\" WHERE email = :email"), {"email": HOST}))
        except sa.exc.DBAPIError:
            return False


def prepare(env: dict, posts: int) -> dict:
    """Seed the database (unless a kept one from an earlier run is there), then time the two jobs."""
    timings = seed(env, posts)
    url = env["TEAHOUSE_DATABASE_URL"]
    timings["refresh_hot_s"] = _job_seconds(env, "refresh_hot")
    _forget_spam_checkpoint(url)  # a kept database would otherwise time an empty sweep
    timings["clear_spam_s"] = _job_seconds(env, "clear_spam")
    return timings


def seed(env: dict, posts: int) -> dict:
    """Seed the database with the community, the benchmark's member and host and their activities, unless a kept
    one from an earlier run is there; the seconds the seed took, if it ran."""
    threads = max(posts // 20, 10)
    members = max(min(posts // 200, 5000), 20)
    timings: dict = {}
    url = env["TEAHOUSE_DATABASE_URL"]
    if url.startswith("postgresql"):
        _ensure_postgres_database(url)
    if not _is_seeded(url):
        flask(env, "db", "upgrade")
        timings["seed_s"], _ = flask(env, "demo", "seed", "--members", str(members), "--threads", str(threads),
                                     "--posts", str(posts))
        flask(env, "users", "create", "bench@example.test", "--name", "Bench Member", "--password", PASSWORD)
        flask(env, "users", "create", HOST, "--name", "Bench Host", "--password", PASSWORD, "--role", "moderator")
        extras = subprocess.run([sys.executable, "-m", "tests.perf.bench_extras", "bench@example.test"], cwd=ROOT,
                                env=env, capture_output=True, text=True, timeout=600, check=False)
        if extras.returncode != 0:
            raise SystemExit(f"bench_extras failed:\n{extras.stdout}\n{extras.stderr}")
    return timings


def _forget_spam_checkpoint(url: str) -> None:
    """Make clear_spam start as on a new community: it re-scores the last day of posts."""
    with _engine(url).begin() as conn:
        conn.execute(sa.text("DELETE FROM checkpoint WHERE name = 'clear_spam'"))


def _job_seconds(env: dict, job: str) -> float:
    _, output = flask(env, "jobs", "run-once", job)
    match = re.search(r"in ([0-9.]+)s", output)
    return float(match.group(1)) if match else float("nan")


def fixtures(url: str, minimum: int) -> dict:
    """What the page URLs need: the smallest thread of at least ``minimum`` posts, and the benchmark's open task."""
    with _engine(url).connect() as conn:
        thread_id, size = conn.execute(sa.text(
            "SELECT id, post_count FROM thread WHERE post_count >= :n ORDER BY post_count, id LIMIT 1"),
            {"n": minimum}).one()
        task_id = conn.scalar(sa.text("SELECT max(id) FROM task WHERE title LIKE 'Diary:%'"))
    return {"thread_id": thread_id, "thread_posts": size, "task_id": task_id}


def pages_of(found: dict) -> dict[str, str]:
    return {"thread list": "/threads", "thread page": f"/t/{found['thread_id']}?page=5",
            "search": "/search?q=%E5%8F%A3%E7%BA%A2", "search, best": "/search?q=%E5%8F%A3%E7%BA%A2&order=best",
            "notifications": "/notifications", "task page": f"/tasks/{found['task_id']}", "activities": "/activities",
            # The least any signed-in request costs here: what every page pays before doing its own work.
            "floor": "/healthz"}


class Server:
    """gunicorn with 2 sync workers (or ``workers``) on a free loopback port."""

    def __init__(self, env: dict, app: str = "wsgi:app", cwd: Path = ROOT, workers: int = 2) -> None:
        self.port = free_port()
        config = ["-c", "python:app.gunicorn_conf"] if app == "wsgi:app" else []  # the ceiling has no pool
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", *config, "--no-control-socket", "-w", str(workers),
             "-b", f"127.0.0.1:{self.port}", "--log-level", "warning", app],
            cwd=cwd, env=env, start_new_session=True)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + ("/healthz" if app == "wsgi:app" else "/"), timeout=2)
                return
            except OSError:
                time.sleep(0.3)
        raise SystemExit("gunicorn did not start")

    def worker_peak_rss_mb(self) -> float:
        children = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True,
                                  check=False).stdout.split()
        peaks = []
        for pid in children:
            status = Path(f"/proc/{pid}/status")
            if status.exists():
                match = re.search(r"VmHWM:\s+(\d+) kB", status.read_text())
                if match:
                    peaks.append(int(match.group(1)) / 1024)
        return round(max(peaks), 1) if peaks else float("nan")

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=30)


def login(base: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": "bench@example.test", "password": PASSWORD})
    opener.open(base + "/login", data=data.encode())
    session = next(c.value for c in jar if c.name == "session")
    return f"session={session}"


def measure(url: str, cookie: str | None, seconds: int) -> dict:
    """wrk after a short warm-up run, so both workers have loaded their code, templates and caches."""
    wrk(url, cookie, 3)
    return wrk(url, cookie, seconds)


def wrk(url: str, cookie: str | None, seconds: int) -> dict:
    args = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", "-H", f"User-Agent: {USER_AGENT}", url]
    if cookie:
        args[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)

    def percentile(p: str) -> float:
        value, unit = re.search(rf"\s{p}%\s+([0-9.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {"rps": rps, "p50_ms": percentile("50"), "p99_ms": percentile("99"),
            "non_2xx": int(errors.group(1)) if errors else 0}


def landing_rounds(base: str, cookie: str, small_base: str, small_cookie: str, seconds: int,
                   rounds: int) -> tuple[dict, dict]:
    """The landing page at both sizes, measured in turn ``rounds`` times; the run with the median req/s of each.

    Taking turns spreads whatever else the machine does over both sizes, so their ratio compares the pages and
    not the moments they were measured at; which size goes first alternates too (big-small, small-big, ...),
    since on a machine whose speed drifts the first or the second run of every pair would otherwise be favoured.
    """
    big, small = [], []
    for round_number in range(rounds):
        pair = [(big, base, cookie), (small, small_base, small_cookie)]
        for runs, url, session in (pair if round_number % 2 == 0 else reversed(pair)):
            runs.append(measure(url + "/", session, seconds))
    return _median(big), _median(small)


def paired_ratio(big: list[float], small: list[float]) -> float:
    """The median of big ÷ small over the rounds: each pair was measured back to back, so a machine that is
    faster or slower for a while moves both runs of a pair and cancels out of its ratio (the ratio of the two
    medians can pair a fast moment of one size with a slow moment of the other)."""
    return round(statistics.median(b / s for b, s in zip(big, small, strict=True)), 3)


def _median(runs: list[dict]) -> dict:
    ordered = sorted(runs, key=lambda run: run["rps"])
    return {**ordered[len(ordered) // 2], "rounds_rps": [run["rps"] for run in runs]}


def database_mb(url: str) -> float:
    if url.startswith("sqlite"):
        return round(Path(url.removeprefix("sqlite:///")).stat().st_size / 2**20, 1)
    with _engine(url).connect() as conn:
        return round(conn.scalar(sa.text("SELECT pg_database_size(current_database())")) / 2**20, 1)


def sizes(url: str) -> dict:
    with _engine(url).connect() as conn:
        counts = {table: conn.scalar(sa.text(f'SELECT max(id) FROM "{table}"')) or 0
                  for table in ("user", "thread", "post", "reaction")}
    return {**counts, "database_mb": database_mb(url)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=10_000, help="posts for the constant-time landing comparison")
    parser.add_argument("--seconds", type=int, default=15, help="wrk duration per page")
    parser.add_argument("--rounds", type=int, default=4, help="alternating landing runs at both sizes (median kept)")
    parser.add_argument("--workdir", type=Path, help="keep the seeded SQLite databases here and reuse them next time "
                        "(default: a temporary folder, deleted afterwards)")
    parser.add_argument("--database-url", help="also measure PostgreSQL: databases named after this one with "
                        "_posts_N appended are created on its server, seeded once and kept for the next run")
    parser.add_argument("--no-sqlite", action="store_true", help="measure PostgreSQL only")
    parser.add_argument("--seed-only", action="store_true", help="seed the databases (kept with --workdir and "
                        "--database-url) and stop")
    args = parser.parse_args()
    if not subprocess.run(["which", "wrk"], capture_output=True, check=False).stdout:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    if args.no_sqlite and not args.database_url:
        raise SystemExit("--no-sqlite needs --database-url")
    report: dict = {"posts": args.posts, "small": args.small, "seconds": args.seconds, "databases": {}}
    with tempfile.TemporaryDirectory(prefix="teahouse-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        sqlite_dir = None if args.no_sqlite else workdir
        big_urls = database_urls(sqlite_dir, args.database_url, args.posts)
        small_urls = database_urls(sqlite_dir, args.database_url, args.small)
        servers: dict[str, tuple[Server, Server]] = {}
        try:
            for name, url in big_urls.items():
                entry = report["databases"][name] = {"pages": {}}
                print(f"{name}: seeding {args.posts} posts …", flush=True)
                entry["timings"] = prepare(environment(url), args.posts)
                print(f"{name}: seeding {args.small} posts …", flush=True)
                entry["small_timings"] = prepare(environment(small_urls[name]), args.small)
                entry["sizes"], entry["fixtures"] = sizes(url), fixtures(url, 200)
                if args.seed_only:
                    continue
                servers[name] = (Server(environment(url)), Server(environment(small_urls[name])))
            if args.seed_only:
                print(json.dumps(report, indent=2))
                return
            cookies = {name: (login(big.base), login(small.base)) for name, (big, small) in servers.items()}
            for name, (big, small) in servers.items():
                entry = report["databases"][name]
                entry["pages"]["landing"], entry["landing_small"] = landing_rounds(
                    big.base, cookies[name][0], small.base, cookies[name][1], args.seconds, args.rounds)
            # Page by page, the databases back to back: their ratio then compares them at the same moment.
            for page in pages_of(report["databases"][next(iter(servers))]["fixtures"]):
                for name, (big, _small) in servers.items():
                    entry = report["databases"][name]
                    path = pages_of(entry["fixtures"])[page]
                    entry["pages"][page] = measure(big.base + path, cookies[name][0], args.seconds)
            for name, (big, _small) in servers.items():
                report["databases"][name]["worker_peak_rss_mb"] = big.worker_peak_rss_mb()
        finally:
            for pair in servers.values():
                for server in pair:
                    server.stop()
        ceiling = Server({**os.environ}, app="ceiling:app", cwd=ROOT / "tests" / "perf")
        try:
            report["ceiling"] = measure(ceiling.base + "/", None, args.seconds)
            report["hello"] = measure(ceiling.base + "/hello", None, args.seconds)
        finally:
            ceiling.stop()
    _summarise(report)


def _summarise(report: dict) -> None:
    """Ratios to the floor and the ceiling of the same run (and PostgreSQL ÷ SQLite per page); table and JSON."""
    ceiling, hello = report["ceiling"]["rps"], report["hello"]["rps"]
    databases = report["databases"]
    for name, entry in databases.items():
        floor = entry["pages"]["floor"]["rps"]
        for page_name, page in entry["pages"].items():
            page["ratio_to_floor"] = round(page["rps"] / floor, 3)
            page["ratio_to_ceiling"] = round(page["rps"] / ceiling, 3)
            page["ratio_to_hello"] = round(page["rps"] / hello, 3)
            if name == "postgresql" and "sqlite" in databases:
                page["ratio_to_sqlite"] = round(page["rps"] / databases["sqlite"]["pages"][page_name]["rps"], 3)
        entry["landing_big_vs_small"] = paired_ratio(entry["pages"]["landing"]["rounds_rps"],
                                                     entry["landing_small"]["rounds_rps"])
        entry["landing_big_vs_small_of_medians"] = round(entry["pages"]["landing"]["rps"]
                                                         / entry["landing_small"]["rps"], 3)
    for name, entry in databases.items():
        print(f"\n{name}, {report['posts']} posts ({entry['sizes']})")
        print(f"{'page':<15}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'÷ floor':>9}{'÷ ceiling':>11}{'÷ hello':>9}"
              + (f"{'÷ SQLite':>10}" if name == "postgresql" and "sqlite" in databases else ""))
        for page_name, page in entry["pages"].items():
            print(f"{page_name:<15}{page['rps']:>9.0f}{page['p50_ms']:>9.1f}{page['p99_ms']:>9.1f}"
                  f"{page['ratio_to_floor']:>9.2f}{page['ratio_to_ceiling']:>11.2f}{page['ratio_to_hello']:>9.2f}"
                  + (f"{page['ratio_to_sqlite']:>10.2f}" if "ratio_to_sqlite" in page else ""))
        print(f"landing at {report['posts']} vs {report['small']} posts: {entry['landing_big_vs_small']:.2f} (median "
              f"of the paired rounds; ratio of the two medians {entry['landing_big_vs_small_of_medians']:.2f}; req/s "
              f"per round: {entry['pages']['landing']['rounds_rps']} vs {entry['landing_small']['rounds_rps']})")
        print("timings:", json.dumps(entry["timings"]), "worker peak RSS MB:", entry["worker_peak_rss_mb"])
    print(f"\nceiling (bare Flask + Jinja) {ceiling:.0f} req/s, p50 {report['ceiling']['p50_ms']:.1f} ms, "
          f"p99 {report['ceiling']['p99_ms']:.1f} ms; bare Flask hello {hello:.0f} req/s; floor ÷ hello: "
          + ", ".join(f"{name} {entry['pages']['floor']['ratio_to_hello']:.2f}" for name, entry in databases.items()))
    out = ROOT / "instance" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
