"""Test fixtures: one app per session on SQLite (or TEAHOUSE_TEST_DATABASE_URL), clean tables per test."""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app import create_app
from app.extensions import db as _db
from app.extensions import limiter
from tests.cleanup import empty_tables, row_counts

pytest_plugins = ["tests.factories"]

TEST_DATABASE_URL = os.environ.get("TEAHOUSE_TEST_DATABASE_URL")
# The spam model trained on the seed corpus is kept in a file named by a fingerprint of the corpus and code
# (app/moderation/learning.py): one folder for the whole run, its workers and the processes tests start (they inherit
# the environment), and the next run, instead of each process training it again.
SEED_MODEL_DIR = os.environ.setdefault("TEAHOUSE_SPAM_SEED_MODEL_DIR",
                                       os.path.join(tempfile.gettempdir(), "teahouse-test-spam-model"))
SHARED_SCOPES = {"class", "module", "package"}

TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-not-for-production",
    "WTF_CSRF_ENABLED": False,  # tests/security/test_csrf.py turns it back on
    "LOGIN_RATE_LIMIT": "1000 per minute",
    "POST_RATE_LIMIT": "1000 per minute",
    "RATELIMIT_STORAGE_URI": "memory://",
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 1024,
    "ARGON2_PARALLELISM": 1,
    "MAIL_SERVER": None,
    "SERVER_NAME": None,
    "PUBLIC_URL": "https://community.teahouse.test",  # links in emails; the test client itself asks for localhost
    # The suite's own app seeds and empties large tables between tests, which on a loaded machine can take longer
    # than a web request may; tests/faults builds its own apps to check the timeouts.
    "DATABASE_STATEMENT_TIMEOUT": 0,
    # PostgreSQL: a test holds its own session's connection while its requests take one each (and a visit's short
    # write another), more than production's pool of 2; every connection beyond the pool was opened and closed
    # again, a new server process and login per test. The suite's app keeps them (tests/faults checks the sizes).
    "DATABASE_POOL_SIZE": 6,
    "SPAM_SEED_MODEL_DIR": SEED_MODEL_DIR,
}


def _reset_schema(app) -> None:
    """Drop whatever a previous run left and build the schema through the migrations."""
    from flask_migrate import upgrade

    with app.app_context():
        engine = _db.engine
        with engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS search_index"))  # FTS5 shadow tables go with it
            meta = sa.MetaData()
            meta.reflect(bind=conn)
            meta.drop_all(bind=conn)
        upgrade()


def _worker_database(url: str, worker: str) -> str:
    """Under pytest-xdist each worker needs its own PostgreSQL database: `<name>_<worker>` beside the given
    one, created on first use and kept (dropping a database forces a checkpoint; the schema is rebuilt anyway)."""
    given = sa.engine.make_url(url)
    name = f"{given.database}_{worker}"
    admin = sa.create_engine(given, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}) is None:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return given.set(database=name).render_as_string(hide_password=False)


MAX_AUTO_WORKERS = 4  # each worker holds an app, a database and a Chromium: plenty on a large machine


def pytest_xdist_auto_num_workers(config) -> int:
    """`-n auto` (pyproject.toml): one worker per CPU this process may use, at most MAX_AUTO_WORKERS;
    PYTEST_XDIST_AUTO_NUM_WORKERS overrides it, as in pytest-xdist."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS", "").isdigit():
        return int(os.environ["PYTEST_XDIST_AUTO_NUM_WORKERS"])
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cpus, MAX_AUTO_WORKERS))


def pytest_configure(config) -> None:
    """In the main process only: empty Playwright's output folder (test-results/) once per run. Its own fixture
    does it at the start of every session, which under pytest-xdist is once per worker, while another worker may
    already be writing screenshots there (see `delete_output_dir` below)."""
    if hasattr(config, "workerinput") or not config.pluginmanager.hasplugin("playwright"):
        return
    output = config.getoption("--output", None)
    if output:
        shutil.rmtree(output, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def delete_output_dir() -> None:
    """Replaces pytest-playwright's fixture of that name: the folder is emptied in `pytest_configure`."""


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items) -> None:
    """Under `--dist loadgroup` (pyproject.toml) the tests of a module that share a module- or class-scoped
    fixture (a large seeded dataset, `shared_rows`) run on one worker, so it is built once, not once per worker.
    Tests that name an `xdist_group` themselves keep it (the page sweep spreads its roles over the workers)."""
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        fixturedefs = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
        if any(defs and defs[-1].scope in SHARED_SCOPES for defs in fixturedefs.values()):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """TEAHOUSE_TEST_DATABASE_URL (one database per xdist worker), else a SQLite file in the run's (or the
    worker's) temporary directory."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if TEST_DATABASE_URL:
        return _worker_database(TEST_DATABASE_URL, worker) if worker else TEST_DATABASE_URL
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "teahouse-test.db")


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production: a fresh `g` (so the logged-in user
    cannot leak between clients) and a fresh database session, even while a test holds an app context."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def _commit_without_waiting_for_the_disk(app) -> None:
    """PostgreSQL: a commit need not wait for its WAL to reach the disk (`synchronous_commit = off`): other
    connections see it at once all the same, only a server crash could lose it, and a test database is rebuilt
    anyway. Tests commit thousands of times, each waiting for an fsync on a busy disk."""
    with app.app_context():
        engine = _db.engine
    if engine.dialect.name != "postgresql":
        return

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.execute("SET synchronous_commit = off")
        dbapi_connection.commit()

    engine.dispose()  # any connection opened before the listener is replaced


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    application = create_app({**TEST_CONFIG, "DATABASE_URL": database_url, "INSTANCE_PATH": str(instance)})
    application.test_client_class = IsolatedClient
    _commit_without_waiting_for_the_disk(application)
    _reset_schema(application)
    yield application
    with application.app_context():
        _db.engine.dispose()


def _clean_tables(app) -> None:
    """Empty every table that holds rows, whichever connection wrote them (see tests/cleanup.py)."""
    with app.app_context():
        _db.session.remove()
        empty_tables(_db.engine, _db.metadata)


class _SharedRows:
    """Set by `shared_rows` while the read-only tests of a class or module share one large dataset."""

    active = False
    read_only = True
    counts: dict[str, int] | None = None


def _row_counts(app) -> dict[str, int]:
    with app.app_context():
        return row_counts(_db.engine, _db.metadata)


@contextmanager
def shared_rows(app, *, read_only: bool = True):
    """For a class- or module-scoped fixture building a large dataset that all its tests only read: build it and
    yield inside this block. Meanwhile `db` keeps the rows after each test (and fails a test that added or
    removed rows); the tables are emptied when the fixture ends, or at once if building fails.

    ``read_only=False``: the tests may write too (the page sweep's roles browse one community, as one test did)."""
    _SharedRows.active, _SharedRows.counts, _SharedRows.read_only = True, None, read_only
    try:
        yield
    finally:
        _SharedRows.active, _SharedRows.counts, _SharedRows.read_only = False, None, True
        _clean_tables(app)


def _after_test_with_shared_rows(app) -> None:
    if not _SharedRows.read_only:
        return
    counts = _row_counts(app)
    if counts != _SharedRows.counts:
        _SharedRows.counts = counts  # blame this test only, not the ones after it
        pytest.fail("a test sharing a dataset (tests.conftest.shared_rows) added or removed rows; "
                    "give it its own data instead", pytrace=False)


@pytest.fixture(autouse=True)
def db(app):
    """The database, emptied after each test; an app context is pushed for services."""
    if _SharedRows.active and _SharedRows.read_only and _SharedRows.counts is None:
        _SharedRows.counts = _row_counts(app)  # the first test sharing it: the dataset is complete
    with app.app_context():
        yield _db
        _db.session.rollback()
        _db.session.remove()
    if _SharedRows.active:
        _after_test_with_shared_rows(app)
    else:
        _clean_tables(app)
    limiter.reset()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def login_as(client, user):
    """Log a test client in as ``user`` without going through the password form."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


@pytest.fixture
def auth(client):
    """Log in and out through the real forms (flaskr's AuthActions)."""

    class AuthActions:
        def login(self, email: str, password: str, **extra):
            return client.post("/login", data={"email": email, "password": password, **extra})

        def logout(self):
            return client.post("/logout")

    return AuthActions()


@pytest.fixture
def member(user_factory):
    return user_factory(role="member")


@pytest.fixture
def moderator(user_factory):
    return user_factory(role="moderator", host_persona="Warm host")


@pytest.fixture
def researcher(user_factory):
    return user_factory(role="researcher")


@pytest.fixture
def admin(user_factory):
    return user_factory(role="admin")


@pytest.fixture
def member_client(app, member):
    return login_as(app.test_client(), member)


@pytest.fixture
def moderator_client(app, moderator):
    return login_as(app.test_client(), moderator)


@pytest.fixture
def researcher_client(app, researcher):
    return login_as(app.test_client(), researcher)


@pytest.fixture
def admin_client(app, admin):
    return login_as(app.test_client(), admin)


@pytest.fixture
def smtp_server(app):
    """A real SMTP server (aiosmtpd) on loopback; the app sends through it for the test."""
    from aiosmtpd.controller import Controller

    class Collector:
        def __init__(self) -> None:
            self.messages: list = []

        async def handle_DATA(self, server, session, envelope):
            import email

            self.messages.append(email.message_from_bytes(envelope.content))
            return "250 OK"

    import socket

    with socket.socket() as probe:  # a free loopback port for the server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    saved = {key: app.config.get(key) for key in ("MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield handler
    app.config.update(saved)
    controller.stop()
