"""Configuration defaults; every key can be overridden by a TEAHOUSE_* environment variable."""
from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar


class Config:
    """Defaults for a single-machine community; production overrides come from the environment."""

    SECRET_KEY: str | None = None
    DATABASE_URL: str | None = None  # falls back to instance/teahouse.db
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {}
    SECURE_COOKIES = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 30
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_RATE_LIMIT = "6 per minute;30 per hour"
    TWO_FACTOR_RATE_LIMIT = "6 per minute;30 per hour"  # code attempts per IP and per account
    POST_RATE_LIMIT = "30 per minute"
    SEARCH_RATE_LIMIT = "60 per minute"
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = ("en", "zh_Hans")
    COMMUNITY_NAME = "Teahouse"
    COMMUNITY_SHORT_NAME: str | None = None  # on a phone's home screen; the name itself when unset
    THEME_COLOUR = "#3b2a1a"  # the header's colour, also the phone's toolbar colour (web app manifest)
    COMMUNITY_TIMEZONE = "Asia/Shanghai"
    INVITATION_DAYS = 14
    PASSWORD_RESET_SECONDS = 60 * 60 * 2
    MAX_POST_CHARS = 50_000
    MENTION_NOTIFY_LIMIT = 10  # members told of one post's @mentions; more are audited and the author is told
    POSTS_PER_PAGE = 20
    THREADS_PER_PAGE = 30
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_SENDER = "Teahouse <no-reply@teahouse.invalid>"
    MAIL_TIMEOUT = 10
    # The outbox's sender (send_mail job): batch size, claim lease, retries with exponential backoff, rate limits.
    MAIL_BATCH_SIZE = 50
    MAIL_CLAIM_SECONDS = 300
    MAIL_MAX_ATTEMPTS = 5
    MAIL_RETRY_SECONDS = 60
    MAIL_MEMBER_HOURLY_LIMIT = 12
    MAIL_GLOBAL_PER_MINUTE = 300
    PUBLIC_URL: str | None = None  # e.g. https://community.example.com: the base of every absolute link
    TRUSTED_HOSTS: list | None = None  # Host header values answered; default: PUBLIC_URL's host and loopback
    TRUSTED_PROXIES = 0  # reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed
    JOB_LEASE_SECONDS = 30  # a standby scheduler takes over within two lease periods
    JOB_SCHEDULE: ClassVar[dict] = {}  # job id -> seconds, e.g. TEAHOUSE_JOB_SCHEDULE='{"clear_spam": 60}'
    MEMBER_EXPORT_DIR: str | None = None  # members' downloads of their own data; default instance/member_exports
    SPAM_SEED_MODEL_DIR: str | None = None  # where the spam model trained on the seed corpus is kept; default instance/
    # argon2id cost; tests lower it to keep the suite fast.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 2
    # Database timeouts (app/core/database.py) and the 503 page when the database is away (app/core/outage.py).
    DATABASE_CONNECT_TIMEOUT = 5  # seconds to connect to PostgreSQL
    DATABASE_STATEMENT_TIMEOUT = 15  # seconds per statement in web workers (PostgreSQL; SQLite's busy timeout)
    DATABASE_CLI_STATEMENT_TIMEOUT = 0  # the same for `flask` commands (scheduler, exports, migrations); 0 = none
    DATABASE_RETRY_AFTER = 30  # the 503's Retry-After, in seconds
    # PostgreSQL pool per process (app/core/database.py): a sync gunicorn worker uses one connection per request
    # plus one for the short write that records a visit; threaded servers need about one per thread.
    DATABASE_POOL_SIZE = 2
    DATABASE_POOL_OVERFLOW = 10  # opened for a burst, closed again when returned beyond the pool's size
    # A pooled PostgreSQL connection idle this long (seconds) is pinged (SELECT 1) before use; 0 pings before every
    # use. A connection in steady use is not pinged: a connection the server closed (a restart, a terminated
    # backend) is still noticed without a round trip (its socket turns readable) and replaced without an error, and
    # one a failover or firewall dropped silently is almost always idle far longer than this, so it is pinged. One
    # dropped silently within these seconds costs one request a 503, and the pool replaces it for the next.
    DATABASE_PING_IDLE_SECONDS = 10


def resolve_database_url(url: str | None, instance_path: str) -> str:
    """Return the SQLAlchemy URL, defaulting to a SQLite file in the instance folder."""
    if url:
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://"):]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url
    return "sqlite:///" + str(Path(instance_path) / "teahouse.db")


def read_instance_secret(instance_path: str) -> str | None:
    """Read the development secret key that ``flask quickstart`` writes, if it exists."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip() or None
    return None


def running_from_cli() -> bool:
    """True when the flask command loaded the app (so quickstart can still create a key)."""
    return os.environ.get("FLASK_RUN_FROM_CLI") == "true"
