"""The floor by CPU time: `python -m tests.perf.floor_profile [--requests 5000] [--database-url …] [--gunicorn]`.

Calls the WSGI app directly (no test client, no server) with a member's session cookie on ``/healthz``, and a
bare Flask "hello" (tests/perf/ceiling.py) the same way, and reports the CPU time per request of each
(``time.process_time``: on a shared machine wall-clock time counts other processes' work, CPU time much less) and
their ratio. ``--gunicorn`` also serves both with one gunicorn sync worker, drives it over loopback and divides the
worker's CPU time (from /proc) by the requests it answered: the server's own cost per request is then in both.
``--profile`` adds a cProfile listing of the floor. Not part of the test run.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import sys
import tempfile
import time
from pathlib import Path

from tests.perf.bench import PASSWORD, ROOT, USER_AGENT, Server, environment, login

EMAIL = "bench@example.test"  # bench.login signs in as this member


def _environ(app, path: str, cookie: str | None) -> dict:
    from werkzeug.test import EnvironBuilder

    headers = {"Cookie": cookie, "User-Agent": USER_AGENT} if cookie else {"User-Agent": USER_AGENT}
    builder = EnvironBuilder(path=path, base_url="http://127.0.0.1", headers=headers,
                             environ_base={"REMOTE_ADDR": "127.0.0.1"})
    try:
        return builder.get_environ()
    finally:
        builder.close()


def _call(wsgi, environ: dict) -> tuple[str, bytes]:
    status: list[str] = []

    def start_response(code, _headers, _exc_info=None):
        status.append(code)

    result = wsgi(dict(environ), start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return status[0], body


def cpu_per_request(wsgi, environ: dict, requests: int, warmup: int = 200) -> dict:
    """CPU and wall microseconds per request over ``requests`` calls, after ``warmup`` unmeasured ones."""
    for _ in range(warmup):
        status, _body = _call(wsgi, environ)
        if not status.startswith("200"):
            raise SystemExit(f"{environ['PATH_INFO']} answered {status}")
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(requests):
        _call(wsgi, environ)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {"cpu_us": round(cpu / requests * 1e6, 1), "wall_us": round(wall / requests * 1e6, 1)}


def sqlite_url(instance: Path) -> str:
    return f"sqlite:///{instance / 'floor.db'}"


def member_app(database_url: str | None, instance: Path):
    """A production-configured app (not TESTING) on a fresh schema with one signed-in member; its session cookie."""
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from app import create_app
    from app.auth.services import create_user
    from app.extensions import db
    from app.members.models import User

    url = database_url or sqlite_url(instance)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "floor", "PUBLIC_URL": "http://127.0.0.1",
                      "INSTANCE_PATH": str(instance), "RATELIMIT_ENABLED": False, "ARGON2_TIME_COST": 1,
                      "ARGON2_MEMORY_COST": 1024, "ARGON2_PARALLELISM": 1})
    with app.app_context():
        upgrade()
        if db.session.scalar(sa.select(User.id).where(User.email == EMAIL)) is None:
            create_user(EMAIL, "Floor Member", PASSWORD)
            db.session.commit()
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = USER_AGENT  # as the measured requests: the session's identifier holds
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"csrf_token": token, "email": EMAIL, "password": PASSWORD})
    if answer.status_code != 302:
        raise SystemExit(f"login failed: {answer.status_code}")
    cookie = client.get_cookie("session")
    return app, f"session={cookie.value}"


def _worker_cpu_seconds(server: Server) -> float:
    """User plus system CPU time of the server's (only) worker so far."""
    import os
    import subprocess

    pids = subprocess.run(["pgrep", "-P", str(server.proc.pid)], capture_output=True, text=True,
                          check=True).stdout.split()
    fields = Path(f"/proc/{pids[0]}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _drive(server: Server, path: str, cookie: str | None, requests: int, clients: int = 4) -> None:
    """``requests`` GETs from ``clients`` threads, each on its own connection per request (a sync worker closes
    it after every answer); wrk is not needed, and the client's own CPU time is not what is measured."""
    import http.client
    from concurrent.futures import ThreadPoolExecutor

    headers = {"User-Agent": USER_AGENT, **({"Cookie": cookie} if cookie else {})}

    def run(count: int) -> None:
        for _ in range(count):
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status != 200:
                raise SystemExit(f"{path} answered {response.status}")

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(run, [requests // clients] * clients))


def gunicorn_cpu_per_request(server: Server, path: str, cookie: str | None, requests: int) -> dict:
    """The worker's CPU µs per request over ``requests`` requests, after a short warm-up."""
    _drive(server, path, cookie, 200)
    before, started = _worker_cpu_seconds(server), time.perf_counter()
    _drive(server, path, cookie, requests)
    cpu, wall = _worker_cpu_seconds(server) - before, time.perf_counter() - started
    return {"cpu_us": round(cpu / requests * 1e6, 1), "wall_rps": round(requests / wall, 1)}


def through_gunicorn(database_url: str, cookie_path: str, requests: int, rounds: int) -> None:
    """The floor and hello each served by one gunicorn sync worker, measured in alternating rounds."""
    floor_server = Server(environment(database_url), workers=1)
    hello_server = Server({**environment(database_url)}, app="ceiling:app", cwd=ROOT / "tests" / "perf", workers=1)
    try:
        cookie = login(floor_server.base)
        floors, hellos = [], []
        for _ in range(rounds):
            floors.append(gunicorn_cpu_per_request(floor_server, cookie_path, cookie, requests))
            hellos.append(gunicorn_cpu_per_request(hello_server, "/hello", None, requests))
    finally:
        floor_server.stop()
        hello_server.stop()
    floor = sorted(floors, key=lambda r: r["cpu_us"])[len(floors) // 2]
    hello = sorted(hellos, key=lambda r: r["cpu_us"])[len(hellos) // 2]
    print(f"gunicorn, 1 sync worker: floor {floor['cpu_us']} µs CPU per request ({[r['cpu_us'] for r in floors]}), "
          f"hello {hello['cpu_us']} µs ({[r['cpu_us'] for r in hellos]}); floor ÷ hello by CPU: "
          f"{hello['cpu_us'] / floor['cpu_us']:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3, help="alternating floor/hello rounds (median kept)")
    parser.add_argument("--database-url", help="a PostgreSQL database to use (its schema is migrated)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile listing of the floor")
    parser.add_argument("--gunicorn", action="store_true",
                        help="also measure through one gunicorn sync worker (--requests per round)")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    import ceiling

    with tempfile.TemporaryDirectory(prefix="teahouse-floor-") as tmp:
        app, cookie = member_app(args.database_url, Path(tmp))
        floor_env = _environ(app, "/healthz", cookie)
        hello_env = _environ(ceiling.app, "/hello", None)
        floors, hellos = [], []
        for _ in range(args.rounds):
            floors.append(cpu_per_request(app.wsgi_app, floor_env, args.requests))
            hellos.append(cpu_per_request(ceiling.app.wsgi_app, hello_env, args.requests))
        floor = sorted(floors, key=lambda r: r["cpu_us"])[len(floors) // 2]
        hello = sorted(hellos, key=lambda r: r["cpu_us"])[len(hellos) // 2]
        print(f"floor /healthz (member): {floor['cpu_us']} µs CPU, {floor['wall_us']} µs wall per request "
              f"(rounds: {[r['cpu_us'] for r in floors]})")
        print(f"hello: {hello['cpu_us']} µs CPU, {hello['wall_us']} µs wall per request "
              f"(rounds: {[r['cpu_us'] for r in hellos]})")
        print(f"floor ÷ hello (by CPU per request): {hello['cpu_us'] / floor['cpu_us']:.3f}")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.requests):
                _call(app.wsgi_app, floor_env)
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(60)
            stats.sort_stats("tottime").print_stats(40)
            print(out.getvalue())
        if args.gunicorn:
            through_gunicorn(args.database_url or sqlite_url(Path(tmp)), "/healthz", args.requests, args.rounds)


if __name__ == "__main__":
    main()
