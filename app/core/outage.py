"""The app's own 503 when the database is away: no query, no current_user, the visitor's language.

A refused, frozen or overloaded database raises one of ``UNAVAILABLE_ERRORS`` wherever the request first needs it
(loading the member, choosing the locale, a before_request, the view). The answer names no member and reads no
setting, so it can be rendered without the database; each failure is one log line, not a traceback.
"""
from __future__ import annotations

import contextlib
import logging
import sqlite3

import psycopg
import sqlalchemy as sa
from flask import current_app, g, jsonify, request
from flask_babel import force_locale
from flask_babel import gettext as _

from app.extensions import db, login_manager
from app.i18n import locale_from_accept_language

log = logging.getLogger("teahouse.database")

UNAVAILABLE_ERRORS: tuple[type[BaseException], ...] = (
    sa.exc.OperationalError,  # refused, reset, timed out (statement_timeout, our answer deadline), SQLite locked
    sa.exc.InterfaceError,  # the driver's connection is closed or broken
    sa.exc.TimeoutError,  # no pooled connection came free in pool_timeout
    sa.exc.DisconnectionError,
    psycopg.OperationalError,  # raised outside SQLAlchemy's wrapping (e.g. while the pool reconnects)
)


# SQLite reports its own bugs ("no such table", a syntax error) as OperationalError too: only these mean "away".
SQLITE_UNAVAILABLE = ("database is locked", "database table is locked", "unable to open database",
                      "disk i/o error", "database or disk is full")


def is_unavailable(error: BaseException | None) -> bool:
    """True when ``error`` means the database cannot be reached or does not answer in time."""
    if not isinstance(error, UNAVAILABLE_ERRORS):
        return False
    original = getattr(error, "orig", None)
    if isinstance(original, sqlite3.Error):
        return any(marker in str(original).lower() for marker in SQLITE_UNAVAILABLE)
    return True


def short_reason(error: BaseException) -> str:
    """The driver's first line, without SQLAlchemy's statement and background link."""
    original = getattr(error, "orig", None) or error
    text = str(original).strip().splitlines()
    first = text[0] if text else type(original).__name__
    return f"{type(original).__name__}: {first}"[:200]


def retry_after_seconds() -> int:
    """How long a client should wait before asking again while the database is away."""
    return int(current_app.config.get("DATABASE_RETRY_AFTER") or 30)


def log_failure(error: BaseException) -> None:
    """One line per failure: the driver's reason and the request, never a traceback."""
    log.warning("database unavailable: %s on %s %s", short_reason(error), request.method, request.path)


def unavailable_response(error: BaseException):
    """Log one line and answer 503 with Retry-After, as HTML or JSON, in the language of Accept-Language."""
    log_failure(error)
    _forget_session_and_user()
    retry_after = retry_after_seconds()
    locale = locale_from_accept_language() or "en"
    with force_locale(locale):
        message = _("The community is briefly unavailable. Please try again in a minute.")
        if request.endpoint == "core.healthz":  # load balancers get the health check's own shape
            response = jsonify(status="error", database=False, scheduler=None)
        elif request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
            response = jsonify(error=message, retry_after=retry_after)
        else:
            template = current_app.jinja_env.get_template("errors/unavailable.html")
            html = template.render(message=message, lang="zh-Hans" if locale == "zh_Hans" else "en",
                                   community_name=current_app.config.get("COMMUNITY_NAME", ""))
            response = current_app.response_class(html, mimetype="text/html")
    response.status_code = 503
    response.headers["Retry-After"] = str(retry_after)
    response.headers["Cache-Control"] = "no-store"
    return response


def _forget_session_and_user() -> None:
    """Drop the failed transaction and make the rest of the request see an anonymous visitor, so after_request
    hooks (security headers) and Flask-Babel do not try the database again."""
    with contextlib.suppress(Exception):  # the connection is already gone; the session is discarded below
        db.session.rollback()
    db.session.remove()
    g._login_user = login_manager.anonymous_user()

