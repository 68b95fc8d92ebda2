"""Two nodes, one PostgreSQL and one Redis: each node a gunicorn process with its own pool (and a scheduler of its
own), giving the same answers one node would. Needs TEAHOUSE_TEST_DATABASE_URL on PostgreSQL and
TEAHOUSE_TEST_REDIS_URL (see .ci/run); every process started here is stopped by its id.

- A session made on one node is good on the other (one secret key, the member read fresh on every request).
- What one node writes counts on the other at once: a member suspended through node A is signed out on node B's
  next request (no node caches members, settings or the landing page; all of them live in the database).
- Rate limits are shared through Redis: the login limit is reached after as many attempts, spread over both
  nodes, as one node allows.
- Of the two schedulers only the lease holder runs jobs, so the landing snapshot is rebuilt and swapped by one node
  at a time, and both nodes serve the same one.
"""
from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.factories import DEFAULT_PASSWORD
from tests.perf.bench import free_port

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEAHOUSE_TEST_REDIS_URL")
LOGIN_LIMIT = 4

pytestmark = pytest.mark.slow


@pytest.fixture
def node_env(database_url, tmp_path):
    if not database_url.startswith("postgresql") or not REDIS_URL:
        pytest.skip("needs TEAHOUSE_TEST_DATABASE_URL on PostgreSQL and TEAHOUSE_TEST_REDIS_URL")
    env = {**os.environ, "TEAHOUSE_DATABASE_URL": database_url, "TEAHOUSE_SECRET_KEY": "two-nodes",
           "TEAHOUSE_PUBLIC_URL": "http://127.0.0.1", "TEAHOUSE_RATELIMIT_STORAGE_URI": REDIS_URL,
           "TEAHOUSE_RATELIMIT_KEY_PREFIX": f"two-nodes-{uuid.uuid4().hex}",  # this run's counters only
           "TEAHOUSE_LOGIN_RATE_LIMIT": f"{LOGIN_LIMIT} per minute", "TEAHOUSE_WTF_CSRF_ENABLED": "false",
           "TEAHOUSE_JOB_LEASE_SECONDS": "2", "TEAHOUSE_JOB_SCHEDULE": '{"refresh_hot": 1}',
           "TEAHOUSE_INSTANCE_PATH": str(tmp_path)}
    env.pop("TEAHOUSE_TEST_DATABASE_URL", None)
    return env


class Node:
    """One node: gunicorn (one sync worker, its own pool, warmed by app/gunicorn_conf.py) and a scheduler."""

    def __init__(self, env: dict, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._log = log.open("w")
        self.web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:app.gunicorn_conf", "--no-control-socket", "-w", "1",
             "-b", f"127.0.0.1:{self.port}", "wsgi:app"], cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        self.scheduler = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "run"], cwd=ROOT,
                                          env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=2)
                return
            except OSError:
                time.sleep(0.3)
        raise AssertionError("node did not start")

    def stop(self) -> None:
        for process in (self.web, self.scheduler):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in (self.web, self.scheduler):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self._log.close()


class Browser:
    """A member's browser: one cookie jar, whichever node it asks; redirects are not followed."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  self._NoRedirect())

    def request(self, url: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(url, data=body, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def log_in(self, node: Node, email: str) -> None:
        status, _ = self.request(node.base + "/login", {"email": email, "password": DEFAULT_PASSWORD})
        assert status == 302


@pytest.fixture
def nodes(node_env, tmp_path):
    started = [Node(node_env, tmp_path / f"node{i}.log") for i in range(2)]
    try:
        for node in started:
            node.wait_ready()
        yield started
    finally:
        for node in started:
            node.stop()


def test_two_nodes_answer_as_one(db, nodes, admin, member):
    a, b = nodes
    attempts = 0
    staff, person = Browser(), Browser()
    staff.log_in(a, admin.email)
    person.log_in(a, member.email)
    attempts += 2
    # A session made on node A is good on node B.
    assert person.request(b.base + "/")[0] == 200 and staff.request(b.base + "/admin/users")[0] == 200

    # Suspended through node A: signed out on node B's very next request.
    status, _ = staff.request(f"{a.base}/admin/users/{member.id}", {"days": "1", "reason": "Two nodes",
                                                                      "submit": "1"})
    assert status == 302
    status, _ = person.request(b.base + "/")
    assert status == 302  # to the sign-in page

    # The login limit is shared: failed attempts spread over both nodes reach it as on one node.
    stranger = Browser()
    answers = []
    while attempts < LOGIN_LIMIT + 1:
        node = (a, b)[attempts % 2]
        answers.append(stranger.request(node.base + "/login", {"email": "nobody@example.test",
                                                                "password": "wrong"})[0])
        attempts += 1
    assert answers[:-1] == [200] * (len(answers) - 1) and answers[-1] == 429, answers

    # One scheduler holds the lease: refresh_hot runs on one node, and both serve the snapshot it swapped in.
    deadline = time.monotonic() + 60
    runs = []
    while time.monotonic() < deadline:
        db.session.rollback()
        runs = db.session.execute(sa.text(
            "SELECT holder FROM job_run WHERE job_id = 'refresh_hot' AND status = 'ok'")).all()
        if len(runs) >= 3:
            break
        time.sleep(0.5)
    assert len(runs) >= 3, "the scheduler did not run refresh_hot"
    assert len({run.holder for run in runs}) == 1  # every run by the lease holder, none by the standby
    db.session.rollback()
    snapshots = db.session.execute(sa.text("SELECT id FROM landing_snapshot")).all()
    assert len(snapshots) == 1  # each swap removed the one before it
    db.session.rollback()
    staff.request(a.base + "/")  # shows (and so clears) the flash left by the suspension
    first, second = (_landing(staff.request(node.base + "/")[1]) for node in (a, b))
    assert 'class="landing"' in first
    assert first == second


def _landing(html: str) -> str:
    """The page without what differs per request (CSRF tokens, relative times)."""
    html = re.sub(r'name="csrf_token"[^>]*>', "", html)
    return re.sub(r"<time[^>]*>.*?</time>", "<time>", html, flags=re.DOTALL)
