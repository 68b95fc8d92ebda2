"""The application factory: config -> extensions -> blueprints -> cli -> jinja -> errors."""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from app import (
    cli,
    i18n,
    models,  # noqa: F401  (register every table on the metadata)
)
from app import config as config_module
from app.admin import wiring as admin
from app.auth import session as auth_session
from app.auth import wiring as auth
from app.competitions import wiring as competitions
from app.core import cookie_session, database, errors, links, proxy, static_files, templating
from app.core.errors import RowIdConverter
from app.extensions import csrf, db, limiter, login_manager, migrate
from app.forum import wiring as forum
from app.health import wiring as health
from app.landing import wiring as landing
from app.mailing import wiring as mailing
from app.members import wiring as members
from app.moderation import wiring as moderation
from app.points import wiring as points
from app.polls import wiring as polls
from app.pulse import wiring as pulse
from app.research import wiring as research
from app.rights import wiring as rights
from app.search import wiring as search
from app.security import headers
from app.segments import wiring as segments
from app.tasks import wiring as tasks
from app.uploads import wiring as uploads

ROOT = Path(__file__).resolve().parent.parent
# The domains, each plugged in by its ``wiring.init_app``: blueprints, Jinja globals, ORM and session events.
DOMAINS = (health, auth, landing, forum, polls, search, members, tasks, uploads, moderation, admin, research,
           competitions, points, segments, rights, mailing, pulse)


def create_app(overrides: dict | None = None) -> Flask:
    """Build a Teahouse app; ``overrides`` (tests) win over environment and defaults."""
    overrides = overrides or {}
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(overrides.get("INSTANCE_PATH") or ROOT / "instance"),
    )
    configure_config(app, overrides)
    # How to build this same app in another process (research.parallel_rows' workers): the environment is
    # inherited, the overrides are passed on.
    app.extensions["teahouse.factory"] = (create_app, dict(overrides))
    configure_extensions(app)
    configure_blueprints(app)
    static_files.init_app(app)
    configure_cli(app)
    configure_jinja(app)
    configure_errors(app)
    return app


def configure_config(app: Flask, overrides: dict) -> None:
    app.config.from_object(config_module.Config)
    app.config.from_prefixed_env("TEAHOUSE")
    app.config.update(overrides)
    app.config["SQLALCHEMY_DATABASE_URI"] = config_module.resolve_database_url(
        app.config.get("DATABASE_URL"), app.instance_path
    )
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = database.engine_options(app.config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config_module.read_instance_secret(app.instance_path)
    if not app.config["SECRET_KEY"] and not app.testing and not config_module.running_from_cli():
        raise RuntimeError(
            "TEAHOUSE_SECRET_KEY is not set. Set it in the environment, or run `flask --app wsgi quickstart` "
            "once to create a development key in instance/secret_key."
        )
    app.config["PUBLIC_URL"] = links.check_public_url(app.config.get("PUBLIC_URL"))
    if not app.config["PUBLIC_URL"] and not links.is_development(app) and not config_module.running_from_cli():
        raise RuntimeError(links.MISSING_MESSAGE)
    secure = bool(app.config.get("SECURE_COOKIES"))
    app.config["SESSION_COOKIE_SECURE"] = secure
    app.config["REMEMBER_COOKIE_SECURE"] = secure
    app.config["RATELIMIT_STORAGE_URI"] = app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
    app.config["MAX_CONTENT_LENGTH"] = app.config.get("MAX_CONTENT_LENGTH") or 64 * 1024 * 1024


def configure_extensions(app: Flask) -> None:
    app.session_interface = cookie_session.RememberingCookieSessionInterface()
    proxy.init_app(app)
    db.init_app(app)
    _tune_sqlite(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    headers.init_app(app)
    auth_session.init_app(app, login_manager)


def _tune_sqlite(app: Flask) -> None:
    """WAL, a busy timeout and foreign keys for every SQLite connection; savepoints inside the transaction."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    busy_timeout_ms = database.sqlite_busy_timeout_ms(app.config)
    with app.app_context():
        engine = db.engine

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "savepoint")
    def _begin_before_savepoint(connection, _name):
        # pysqlite opens a transaction only before INSERT/UPDATE/DELETE. A SAVEPOINT sent before any of them
        # would open one of its own, and releasing it would commit it: the request's later rollback would
        # then keep what the savepoint wrote. Open the request's transaction first, as PostgreSQL has it.
        dbapi_connection = connection.connection.dbapi_connection
        if not dbapi_connection.in_transaction:
            dbapi_connection.execute("BEGIN")


def configure_blueprints(app: Flask) -> None:
    """Each domain plugs in its blueprints, Jinja globals and events through its ``wiring.init_app``."""
    app.url_map.converters["int"] = RowIdConverter  # before any rule is added: rules bind converters when added
    for domain in DOMAINS:
        domain.init_app(app)


def configure_cli(app: Flask) -> None:
    cli.register(app)


def configure_jinja(app: Flask) -> None:
    templating.init_app(app)


def configure_errors(app: Flask) -> None:
    errors.init_app(app)
