"""Flask-Login wiring: token-carrying ids and the rule that anonymous visitors see only the public pages."""
from __future__ import annotations

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user

from app.extensions import db
from app.members.models import User
from app.security.guards import login_redirect

PUBLIC_ENDPOINTS = frozenset({
    "auth.login", "auth.two_factor_verify", "auth.accept_invite", "auth.reset_request", "auth.reset_confirm", "core.healthz", "static",
    "mailing.unsubscribe",  # signed one-click links in emails (RFC 8058): no login by design
    "core.web_manifest",
})


def load_user(user_id: str):
    ident, _, token = user_id.partition(":")
    if not ident.isdigit() or not token:
        return None
    user = db.session.get(User, int(ident))
    if user is None or user.session_token != token or user.is_suspended:
        return None
    return user


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
