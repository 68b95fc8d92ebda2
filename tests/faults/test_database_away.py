"""The database going away: refused or frozen, the app answers its own 503 in time and recovers by itself."""
from __future__ import annotations

import logging
import socket
import time

import pytest
import sqlalchemy as sa

from app import create_app
from app.core import database
from app.core.outage import is_unavailable
from app.extensions import db as _db
from tests.conftest import TEST_CONFIG, login_as
from tests.faults.proxy import FreezableProxy

FAULT_CONFIG = {**TEST_CONFIG, "PROPAGATE_EXCEPTIONS": False}  # as in production: errors reach the handlers


def _closed_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


@pytest.fixture
def make_app(tmp_path):
    """Build extra apps on other database URLs; their pools are closed afterwards."""
    built = []

    def make(database_url: str, **config):
        application = create_app({**FAULT_CONFIG, "DATABASE_URL": database_url,
                                  "INSTANCE_PATH": str(tmp_path), **config})
        built.append(application)
        return application

    yield make
    for application in built:
        with application.app_context():
            _db.engine.dispose()


@pytest.fixture
def refused_app(make_app):
    return make_app(f"postgresql+psycopg://postgres@127.0.0.1:{_closed_loopback_port()}/teahouse")


def _signed_in(application):
    client = application.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1:some-session-token"  # loading this member needs the database
    return client


def _outage_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "teahouse.database"]


def test_refused_database_gives_a_503_in_chinese_with_retry_after_and_one_log_line(refused_app, caplog):
    caplog.set_level(logging.INFO)
    response = _signed_in(refused_app).get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    page = response.get_data(as_text=True)
    assert '<html lang="zh-Hans">' in page and "社区暂时无法访问" in page
    lines = _outage_lines(caplog)
    assert len(lines) == 1 and lines[0].getMessage().startswith("database unavailable: OperationalError")
    assert lines[0].getMessage().endswith("on GET /")
    assert not [r for r in caplog.records if r.exc_info], "no traceback for an unavailable database"


def test_refused_database_page_is_english_by_default(refused_app):
    response = _signed_in(refused_app).get("/forum")
    assert response.status_code == 503
    assert "The community is briefly unavailable" in response.get_data(as_text=True)


def test_json_clients_get_json_when_the_database_is_refused(refused_app):
    response = _signed_in(refused_app).get("/", headers={"Accept": "application/json"})
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert response.get_json()["retry_after"] == 30 and "unavailable" in response.get_json()["error"]


def test_failure_while_choosing_the_locale_for_another_error_page_is_a_503(refused_app):
    # The CSRF check fails first; its error page asks for the member's language, which needs the database.
    refused_app.config["WTF_CSRF_ENABLED"] = True
    response = _signed_in(refused_app).post("/logout", headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 503 and "社区暂时无法访问" in response.get_data(as_text=True)


@pytest.mark.parametrize("cookie", [False, True])
def test_healthz_reports_503_when_the_database_is_refused(refused_app, cookie):
    client = _signed_in(refused_app) if cookie else refused_app.test_client()
    response = client.get("/healthz")
    assert response.status_code == 503 and int(response.headers["Retry-After"]) > 0
    assert response.get_json()["database"] is False and response.get_json()["status"] == "error"


def test_postgresql_engine_gets_timeouts_a_sized_pool_and_keeps_the_operators_options():
    config = {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db/x", "DATABASE_CONNECT_TIMEOUT": 5,
              "DATABASE_STATEMENT_TIMEOUT": 15, "DATABASE_CLI_STATEMENT_TIMEOUT": 0, "DATABASE_POOL_SIZE": 3,
              "DATABASE_POOL_OVERFLOW": 7,
              "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 20, "connect_args": {"options": "-c work_mem=64MB",
                                                                              "application_name": "web"}}}
    options = database.engine_options(config)
    # Pooled connections are checked by check_on_checkout, without a round trip per request, unless the
    # operator asks for pool_pre_ping; the operator's pool size wins over DATABASE_POOL_SIZE.
    assert "pool_pre_ping" not in options and options["pool_size"] == 20 and options["max_overflow"] == 7
    assert options["connect_args"] == {"connect_timeout": 5, "application_name": "web",
                                       "options": "-c statement_timeout=15000 -c work_mem=64MB"}
    assert database.answer_deadline_seconds(config) == 20


def test_cli_commands_run_without_a_statement_timeout_by_default(monkeypatch):
    config = {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db/x", "DATABASE_CONNECT_TIMEOUT": 5,
              "DATABASE_STATEMENT_TIMEOUT": 15, "DATABASE_CLI_STATEMENT_TIMEOUT": 0}
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")  # what the `flask` command sets for the scheduler, exports
    assert database.engine_options(config)["connect_args"]["options"] == "-c statement_timeout=0"
    assert database.answer_deadline_seconds(config) is None


@pytest.mark.parametrize("statement_seconds, busy_ms", [(15, 15_000), (0, 60_000)])
def test_sqlite_busy_timeout_follows_the_statement_timeout(make_app, tmp_path, statement_seconds, busy_ms):
    """A writer waits for another's lock as long as a statement may run (a minute when statements are unbounded)."""
    application = make_app(f"sqlite:///{tmp_path / 'busy.db'}", DATABASE_STATEMENT_TIMEOUT=statement_seconds)
    with application.app_context():
        assert _db.session.scalar(sa.text("PRAGMA busy_timeout")) == busy_ms


@pytest.fixture
def proxy(database_url):
    """A freezable proxy in front of the test PostgreSQL; stopped by the test's teardown."""
    if not database_url.startswith("postgresql"):
        pytest.skip("needs TEAHOUSE_TEST_DATABASE_URL on PostgreSQL")
    url = sa.engine.make_url(database_url)
    running = FreezableProxy((url.host or "127.0.0.1", url.port or 5432)).start()
    yield running
    running.stop()


@pytest.fixture
def proxied(proxy, database_url, make_app):
    url = sa.engine.make_url(database_url).set(host="127.0.0.1", port=proxy.port)
    return make_app(url.render_as_string(hide_password=False),
                    DATABASE_CONNECT_TIMEOUT=1, DATABASE_STATEMENT_TIMEOUT=1)


def test_frozen_database_answers_503_within_the_timeouts_and_recovers(proxy, proxied, member, caplog):
    client = login_as(proxied.test_client(), member)
    assert client.get("/").status_code == 200  # a warm pool, through the proxy
    proxy.freeze()
    started = time.monotonic()
    response = client.get("/", headers={"Accept-Language": "zh-CN"})
    took = time.monotonic() - started
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    # A pooled connection's ping waits out the answer deadline (1 s statement + 1 s), then reconnecting waits out
    # psycopg's connect timeout (at least 2 s): seconds, not gunicorn's 30 s kill.
    assert took < 10, f"frozen database took {took:.1f}s to answer"
    assert len(_outage_lines(caplog)) == 1
    assert not [r for r in caplog.records if r.exc_info], "no traceback for an unavailable database"
    proxy.resume()
    assert client.get("/").status_code == 200


def test_connections_cut_while_idle_are_replaced_without_an_error(proxy, proxied, member):
    client = login_as(proxied.test_client(), member)
    assert client.get("/").status_code == 200
    proxy.cut()  # a database restart: every pooled connection is dead
    assert client.get("/").status_code == 200  # pool_pre_ping noticed and reconnected


def test_a_statement_running_past_the_timeout_is_cancelled_and_counts_as_unavailable(database_url, make_app):
    if not database_url.startswith("postgresql"):
        pytest.skip("needs TEAHOUSE_TEST_DATABASE_URL on PostgreSQL")
    application = make_app(database_url, DATABASE_STATEMENT_TIMEOUT=1)
    with application.app_context():
        started = time.monotonic()
        with pytest.raises(sa.exc.OperationalError) as raised:
            _db.session.execute(sa.text("SELECT pg_sleep(5)"))
        _db.session.rollback()
    assert time.monotonic() - started < 3 and "statement timeout" in str(raised.value)
    assert is_unavailable(raised.value)


def test_sqlite_engine_has_no_pre_ping_and_postgresql_a_pool_of_the_configured_size():
    sqlite = database.engine_options({"SQLALCHEMY_DATABASE_URI": "sqlite:///x.db"})
    assert sqlite == {}  # a file cannot go away between two requests: no SELECT 1 before each
    postgresql = database.engine_options({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db/x",
                                          "DATABASE_POOL_SIZE": 2, "DATABASE_POOL_OVERFLOW": 10})
    assert postgresql["pool_size"] == 2 and postgresql["max_overflow"] == 10
    operator = database.engine_options({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db/x",
                                        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True}})
    assert operator["pool_pre_ping"] is True


def _counting_pings(application, monkeypatch) -> list:
    with application.app_context():
        engine = _db.engine
    pings: list = []
    real = engine.dialect.do_ping

    def counting(dbapi_connection):
        pings.append(dbapi_connection)
        return real(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counting)
    return pings


def test_a_connection_in_steady_use_is_not_pinged_and_an_idle_one_is(database_url, make_app, member,
                                                                      monkeypatch):
    if not database_url.startswith("postgresql"):
        pytest.skip("needs TEAHOUSE_TEST_DATABASE_URL on PostgreSQL")
    application = make_app(database_url, DATABASE_PING_IDLE_SECONDS=3600)
    client = login_as(application.test_client(), member)
    assert client.get("/healthz").status_code == 200  # opens the pool's first connection
    pings = _counting_pings(application, monkeypatch)
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    assert pings == []  # no SELECT 1 round trip before each request
    idle = make_app(database_url, DATABASE_PING_IDLE_SECONDS=0)  # every connection counts as idle
    idle_pings = _counting_pings(idle, monkeypatch)
    idle_client = login_as(idle.test_client(), member)
    assert idle_client.get("/healthz").status_code == 200
    assert idle_client.get("/healthz").status_code == 200
    assert len(idle_pings) >= 1


def test_warm_pool_opens_the_pools_connections_before_any_request(database_url, make_app):
    if not database_url.startswith("postgresql"):
        pytest.skip("needs TEAHOUSE_TEST_DATABASE_URL on PostgreSQL")
    application = make_app(database_url, DATABASE_POOL_SIZE=3)
    assert database.warm_pool(application) == 3
    with application.app_context():
        assert _db.engine.pool.checkedin() == 3


def test_warm_pool_is_a_no_op_on_sqlite(make_app, tmp_path):
    assert database.warm_pool(make_app(f"sqlite:///{tmp_path / 'warm.db'}")) == 0


def _terminate_pooled_backends(application, database_url: str) -> list[int]:
    """Ends the server side of every connection in the app's pool, as a restart does; returns their backend pids."""
    with application.app_context():
        pids = [record.dbapi_connection.info.backend_pid for record in _pooled_records(_db.engine)]
    assert pids
    killer = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
    with killer.connect() as conn:
        for pid in pids:
            conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    killer.dispose()
    return pids


def test_a_connection_the_server_closed_is_replaced_without_a_ping_threshold(database_url, make_app, member):
    """pg_terminate_backend is what a restart does to each connection: a goodbye message, then end of file. A
    connection in steady use (not pinged by time) is noticed by its readable socket and replaced, no error."""
    if not database_url.startswith("postgresql"):
        pytest.skip("needs TEAHOUSE_TEST_DATABASE_URL on PostgreSQL")
    application = make_app(database_url, DATABASE_PING_IDLE_SECONDS=3600)
    client = login_as(application.test_client(), member)
    assert client.get("/").status_code == 200
    _terminate_pooled_backends(application, database_url)
    time.sleep(0.2)  # the goodbye reaches our sockets
    assert client.get("/").status_code == 200
    assert client.get("/healthz").get_json()["database"] is True


def test_by_default_a_connection_in_steady_use_is_not_pinged(database_url, make_app, member, monkeypatch):
    """The default threshold (DATABASE_PING_IDLE_SECONDS, 10 s) spares the SELECT 1 round trip on a connection
    used moments ago, and still pings one idle longer than that."""
    if not database_url.startswith("postgresql"):
        pytest.skip("needs TEAHOUSE_TEST_DATABASE_URL on PostgreSQL")
    application = make_app(database_url)
    assert application.config["DATABASE_PING_IDLE_SECONDS"] == 10
    client = login_as(application.test_client(), member)
    assert client.get("/healthz").status_code == 200
    pings = _counting_pings(application, monkeypatch)
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    assert pings == []
    with application.app_context():
        for record in _pooled_records(_db.engine):
            record.info["idle_since"] -= 11  # as if unused for 11 s
    assert client.get("/healthz").status_code == 200
    assert len(pings) >= 1


def test_a_connection_dropped_silently_within_the_threshold_costs_one_503_then_is_replaced(
        database_url, make_app, member, monkeypatch):
    """The case the threshold gives up: a connection lost without a word reaching us (a firewall, a failover),
    used again within the threshold, is not pinged, so the request's own first query fails. That request gets the
    app's 503; the failed connection leaves the pool, and the next request is served on a new one."""
    if not database_url.startswith("postgresql"):
        pytest.skip("needs TEAHOUSE_TEST_DATABASE_URL on PostgreSQL")
    application = make_app(database_url)  # the default threshold
    client = login_as(application.test_client(), member)
    assert client.get("/").status_code == 200
    pids = _terminate_pooled_backends(application, database_url)
    time.sleep(0.2)
    # The server's goodbye is not seen: as with a silent drop, nothing tells the checkout the connection is gone.
    monkeypatch.setattr(database, "server_has_spoken", lambda _dbapi_connection: False)
    answers = [client.get("/").status_code for _ in range(len(pids) + 1)]
    assert set(answers) <= {200, 503}
    assert answers[-1] == 200
    assert answers.count(503) <= len(pids)
    assert client.get("/healthz").get_json()["database"] is True


def _pooled_records(engine) -> list:
    """The connection records resting in a QueuePool (test helper: the pool keeps them in a queue)."""
    return [record for record in list(engine.pool._pool.queue) if record.dbapi_connection is not None]
