"""Finishing a sign-in: straight in, or through the second factor when the account has one.

After a correct password an enrolled member's session holds only a pending marker (user id, session token,
expiry); ``login_user`` runs once the second factor is checked. Kept apart from the views so the login view
can use it without importing the two-factor routes.
"""
from __future__ import annotations

import time

from flask import current_app, g, redirect, session, url_for
from flask_login import login_user
from werkzeug.wrappers import Response

from app.auth.two_factor import is_enrolled
from app.extensions import db
from app.members.models import User
from app.security.guards import is_safe_next

PENDING_KEY = "two_factor_pending"
PENDING_SECONDS = 10 * 60


def drop_csrf_secret() -> None:
    """Forget the CSRF secret so a token planted in the browser before sign-in is useless afterwards."""
    session.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    g.pop("csrf_token", None)


def complete_login(user: User, *, remember: bool, nxt: str | None) -> Response:
    """Log the member in (fresh CSRF secret) and go to a same-site ``next`` or the forum."""
    session.pop(PENDING_KEY, None)
    drop_csrf_secret()
    login_user(user, remember=remember)
    return redirect(nxt if is_safe_next(nxt) else url_for("forum.index"))


def begin_sign_in(user: User, *, remember: bool, nxt: str | None) -> Response:
    """After a correct password: log in, or ask for the second factor first when the account has one."""
    if not is_enrolled(user):
        return complete_login(user, remember=remember, nxt=nxt)
    drop_csrf_secret()
    session[PENDING_KEY] = {"user_id": user.id, "token": user.session_token,
                            "expires": int(time.time()) + PENDING_SECONDS, "remember": bool(remember),
                            "next": nxt if is_safe_next(nxt) else None}
    return redirect(url_for("auth.two_factor_verify"))


def pending_sign_in() -> dict | None:
    """The pending marker while it is unexpired and still matches the account's session token."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or int(pending.get("expires") or 0) < time.time():
        return None
    user = db.session.get(User, int(pending.get("user_id") or 0))
    if user is None or user.session_token != pending.get("token") or user.is_suspended:
        return None
    return {**pending, "user": user}


def clear_pending() -> None:
    session.pop(PENDING_KEY, None)
