"""Flask-Login wiring: token-carrying ids and the rule that anonymous visitors see only the public pages."""
from __future__ import annotations

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user

from app.core.loading import load_row, select_by_id
from app.extensions import db, read_connection
from app.members.models import User
from app.security.guards import login_redirect

PUBLIC_ENDPOINTS = frozenset({
    "auth.login", "auth.two_factor_verify", "auth.accept_invite", "auth.reset_request", "auth.reset_confirm", "core.healthz", "static",
    "mailing.unsubscribe",  # signed one-click links in emails (RFC 8058): no login by design
    "core.web_manifest",
})


_SELECT_USER = select_by_id(User)


def load_user(user_id: str):
    """The member a session names, read fresh from the database on every request (so a suspension or a rotated
    session token ends the session at once); None when the id is malformed, unknown, stale or suspended."""
    ident, _, token = user_id.partition(":")
    if not ident.isdigit() or not token:
        return None
    user = _fetch_user(int(ident))
    if user is None or user.session_token != token or user.is_suspended:
        return None
    return user


def _fetch_user(user_id: int) -> User | None:
    """``session.get(User, id)`` at about half its cost: one prebuilt Core select, the row put into a persistent
    ``User`` as the ORM's own loading would (every column loaded, nothing pending), then added to the session.

    A member the session already holds (a test reusing its session) is refreshed through the ORM instead, so its
    attributes are as current as a fresh load's, unless it has changes not yet written.
    """
    session = db.session()  # the request's session itself, not the scoped proxy (each access costs a lookup)
    key = session.identity_key(User, user_id)
    if key in session.identity_map:
        held = session.identity_map[key]
        if held not in session.dirty:  # pending changes of the caller's stay, as session.get would keep them
            session.refresh(held)
        return held
    row = read_connection().execute(_SELECT_USER, {"id": user_id}).first()
    return None if row is None else load_row(User, row)


def init_app(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)

    @app.before_request
    def _only_public_pages_for_visitors():
        if current_user.is_authenticated or request.endpoint in PUBLIC_ENDPOINTS:
            return None
        return login_redirect()
