"""How accounts plug into the app: the sign-in and invitation blueprints, with the two-factor pages on them."""
from __future__ import annotations

from flask import Flask

from app.auth import two_factor_views  # noqa: F401  (adds its pages to the auth and admin blueprints)
from app.auth.emails import count_delivered_invitation
from app.auth.views import bp, invites_bp
from app.mailing.sender import on_delivered


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(invites_bp)
    on_delivered("invitation", count_delivered_invitation)
