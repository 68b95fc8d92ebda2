"""Benchmark: `python -m tests.perf.bench --posts 1000000` (not part of the test run).

Seeds a throwaway SQLite database with `flask demo seed`, serves it with gunicorn (2 sync workers) on 127.0.0.1,
drives load with wrk, and reports requests/s and p50/p99 for the landing page, a thread list, a thread page
(20 posts of a 200-post thread) and search (in its default order, newest first, and ordered by best match),
all logged in as a member; the app's floor (``/healthz`` with the member's cookie: the session, the user
load and two one-row queries, no template); the same for a minimal Flask+Jinja ceiling app; the landing page at
10,000 posts (measured in turns with the big one, median of --rounds runs each);
refresh_hot and clear_spam times; peak worker memory.
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

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "benchmark password"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask(env: dict, *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - started, done.stdout + done.stderr


def environment(workdir: Path, name: str) -> dict:
    env = {**os.environ, "TEAHOUSE_DATABASE_URL": f"sqlite:///{workdir / name}.db", "TEAHOUSE_SECRET_KEY": "bench",
           "TEAHOUSE_PUBLIC_URL": "http://127.0.0.1", "TEAHOUSE_RATELIMIT_ENABLED": "false", "TEAHOUSE_ARGON2_TIME_COST": "1",
           "TEAHOUSE_ARGON2_MEMORY_COST": "8192"}
    env.pop("TEAHOUSE_TEST_DATABASE_URL", None)
    return env


def prepare(env: dict, posts: int) -> dict:
    """Seed the database (unless a kept one from an earlier run is there), then time the two jobs."""
    threads = max(posts // 20, 10)
    members = max(min(posts // 200, 5000), 20)
    timings = {}
    seeded = Path(env["TEAHOUSE_DATABASE_URL"].removeprefix("sqlite:///")).with_suffix(".seeded")
    if not seeded.exists():
        flask(env, "db", "upgrade")
        timings["seed_s"], _ = flask(env, "demo", "seed", "--members", str(members), "--threads", str(threads),
                                     "--posts", str(posts))
        flask(env, "users", "create", "bench@example.test", "--name", "Bench Member", "--password", PASSWORD)
        seeded.touch()
    timings["refresh_hot_s"] = _job_seconds(env, "refresh_hot")
    _forget_spam_checkpoint(env)  # a kept database would otherwise time an empty sweep
    timings["clear_spam_s"] = _job_seconds(env, "clear_spam")
    return timings


def _forget_spam_checkpoint(env: dict) -> None:
    """Make clear_spam start as on a new community: it re-scores the last day of posts."""
    import sqlite3

    with sqlite3.connect(env["TEAHOUSE_DATABASE_URL"].removeprefix("sqlite:///")) as conn:
        conn.execute("DELETE FROM checkpoint WHERE name = 'clear_spam'")


def _job_seconds(env: dict, job: str) -> float:
    _, output = flask(env, "jobs", "run-once", job)
    match = re.search(r"in ([0-9.]+)s", output)
    return float(match.group(1)) if match else float("nan")


class Server:
    """gunicorn with 2 sync workers on a free loopback port."""

    def __init__(self, env: dict, app: str = "wsgi:app", cwd: Path = ROOT) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--no-control-socket", "-w", "2", "-b", f"127.0.0.1:{self.port}",
             "--log-level", "warning", app], cwd=cwd, env=env, start_new_session=True)
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
        children = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True).stdout.split()
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
    args = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", url]
    if cookie:
        args[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 60).stdout
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


def thread_with(env: dict, minimum: int) -> tuple[int, int]:
    import sqlite3

    path = env["TEAHOUSE_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        row = conn.execute("SELECT id, post_count FROM thread WHERE post_count >= ? ORDER BY post_count LIMIT 1",
                           (minimum,)).fetchone()
        return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=10_000, help="posts for the constant-time landing comparison")
    parser.add_argument("--seconds", type=int, default=15, help="wrk duration per page")
    parser.add_argument("--rounds", type=int, default=4, help="alternating landing runs at both sizes (median kept)")
    parser.add_argument("--workdir", type=Path, help="keep the seeded databases here and reuse them next time "
                        "(default: a temporary folder, deleted afterwards)")
    args = parser.parse_args()
    if not subprocess.run(["which", "wrk"], capture_output=True).stdout:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    report: dict = {"posts": args.posts, "pages": {}}
    with tempfile.TemporaryDirectory(prefix="teahouse-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        big = environment(workdir, f"posts-{args.posts}")
        print(f"seeding {args.posts} posts …", flush=True)
        report["timings"] = prepare(big, args.posts)
        small = environment(workdir, f"posts-{args.small}")
        print(f"seeding {args.small} posts …", flush=True)
        prepare(small, args.small)
        thread_id, size = thread_with(big, 200)
        pages = {"thread list": "/threads", "thread page": f"/t/{thread_id}?page=5",
                 "search": "/search?q=%E5%8F%A3%E7%BA%A2", "search, best": "/search?q=%E5%8F%A3%E7%BA%A2&order=best",
                 # The least any signed-in request costs here: what every page pays before doing its own work.
                 "floor": "/healthz"}
        server, small_server = Server(big), Server(small)
        try:
            cookie, small_cookie = login(server.base), login(small_server.base)
            report["pages"]["landing"], report["landing_small"] = landing_rounds(
                server.base, cookie, small_server.base, small_cookie, args.seconds, args.rounds)
            for name, path in pages.items():
                report["pages"][name] = measure(server.base + path, cookie, args.seconds)
            report["worker_peak_rss_mb"] = server.worker_peak_rss_mb()
        finally:
            server.stop()
            small_server.stop()
        report["thread_page_thread_posts"] = size
        ceiling = Server({**os.environ}, app="ceiling:app", cwd=ROOT / "tests" / "perf")
        try:
            report["ceiling"] = measure(ceiling.base + "/", None, args.seconds)
        finally:
            ceiling.stop()
    _summarise(report)


def _summarise(report: dict) -> None:
    ceiling = report["ceiling"]["rps"]
    for page in report["pages"].values():
        page["ratio_to_ceiling"] = round(page["rps"] / ceiling, 3)
    report["landing_big_vs_small"] = paired_ratio(report["pages"]["landing"]["rounds_rps"],
                                                  report["landing_small"]["rounds_rps"])
    report["landing_big_vs_small_of_medians"] = round(report["pages"]["landing"]["rps"]
                                                      / report["landing_small"]["rps"], 3)
    print(f"\n{'page':<14}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'÷ ceiling':>11}")
    for name, page in report["pages"].items():
        print(f"{name:<14}{page['rps']:>10.0f}{page['p50_ms']:>10.1f}{page['p99_ms']:>10.1f}"
              f"{page['ratio_to_ceiling']:>11.2f}")
    print(f"{'ceiling':<14}{ceiling:>10.0f}{report['ceiling']['p50_ms']:>10.1f}{report['ceiling']['p99_ms']:>10.1f}")
    print(f"landing at {report['posts']} vs 10k posts: {report['landing_big_vs_small']:.2f} (median of the paired "
          f"rounds; ratio of the two medians {report['landing_big_vs_small_of_medians']:.2f}; req/s per round: "
          f"{report['pages']['landing']['rounds_rps']} vs {report['landing_small']['rounds_rps']})")
    print("timings:", json.dumps(report["timings"]), "worker peak RSS MB:", report["worker_peak_rss_mb"])
    out = ROOT / "instance" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
