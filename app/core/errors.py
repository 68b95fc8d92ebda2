"""Generic error pages: never a traceback; JSON for clients that ask for it."""
from __future__ import annotations

import logging
import math
import time

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError
from werkzeug.routing import IntegerConverter

from app.core import outage
from app.extensions import db, limiter

log = logging.getLogger(__name__)


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        403: _("You do not have permission to see this page."),
        404: _("This page does not exist, or you cannot see it."),
        405: _("That action is not allowed here."),
        410: _("This link is no longer valid."),
        413: _("The upload is too large."),
        429: _("Too many attempts. Please wait a moment and try again."),
        500: _("Something went wrong on our side. The team has been told."),
        503: _("The community is briefly unavailable. Please try again soon."),
    }


def render_error(code: int, message: str | None = None):
    message = message or _messages().get(code, _("Something went wrong."))
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
        return jsonify(error=message), code
    return render_template("errors/error.html", code=code, message=message), code


class RowIdConverter(IntegerConverter):
    """`<int:id>` that only matches what an id column can hold (PostgreSQL INTEGER is 32-bit), so a huge number in
    a URL is a 404 like any other unknown id instead of an out-of-range database error."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def _refused_value(reason) -> tuple:
    """A clear 400 for a value the database or its driver refused; the session is rolled back."""
    log.warning("Database refused a value on %s %s: %s", request.method, request.path, reason)
    db.session.rollback()
    return render_error(400, _("A value you sent cannot be stored (too large, or it contains a NUL character)."))


def _seconds_until_limit_resets() -> int:
    """When the rate limit this request broke lets the client in again, in whole seconds (at least 1)."""
    breached = limiter.current_limit
    if breached is None:
        return 60
    return max(1, math.ceil(breached.reset_at - time.time()))


def init_app(app: Flask) -> None:
    for error_class in outage.UNAVAILABLE_ERRORS:
        app.register_error_handler(error_class, _database_error)

    @app.errorhandler(DataError)
    def _data_error(error: DataError):
        # A value the database refuses (out of range, NUL byte) that a form or filter let through: the member's
        # input was wrong, not the server. Logged so the missing validation gets fixed.
        return _refused_value(error.orig)

    @app.errorhandler(OverflowError)
    def _overflow_error(error: OverflowError):
        # SQLite's driver refuses integers beyond 64 bits before the database sees them (PostgreSQL raises a
        # DataError instead): the same wrong input, the same answer. Any other overflow is a bug.
        if "SQLite" not in str(error):
            raise error
        return _refused_value(error)

    @app.errorhandler(SecurityError)
    def _untrusted_host(error: SecurityError):
        # A Host header outside TRUSTED_HOSTS: no URL can be built for it, so answer without the page layout.
        log.warning("Refused a request for host %r", request.headers.get("Host"))
        return Response(_("This address is not served here."), 400, mimetype="text/plain")

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError):
        return render_error(400, _("Your form expired or was sent from elsewhere. Please go back and try again."))

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if error.code in (301, 302, 303, 307, 308):
            return error
        if outage.is_unavailable(getattr(error, "original_exception", None)):
            # The database failed where Flask cannot hand the error to its own handler: in an after_request hook
            # or while another error page was being rendered (its locale needs the member).
            return outage.unavailable_response(error.original_exception)
        response = make_response(render_error(error.code or 500))
        if error.code == 429:
            response.headers["Retry-After"] = str(_seconds_until_limit_resets())
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return _http_error(error)
        return _server_error(error)


def _database_error(error: Exception):
    """The database is away: the app's own 503. SQLite's own bugs filed as OperationalError stay a 500."""
    if outage.is_unavailable(error):
        return outage.unavailable_response(error)
    return _server_error(error)


def _server_error(error: Exception):
    log.exception("Unhandled error on %s %s", request.method, request.path, exc_info=error)
    db.session.rollback()
    return render_error(InternalServerError.code)
