"""How the health dashboard plugs in: its pages join the moderators' area (registered by moderation), and each
signed-in request may advance the member's last visit."""
from __future__ import annotations

from flask import Flask, g
from flask_login import current_user

from app.db import utcnow
from app.pulse import views  # noqa: F401  (routes on the moderation blueprint)
from app.pulse.visits import record_visit


def init_app(app: Flask) -> None:
    @app.before_request
    def _record_visit():
        # Before the view, so nothing of the request is pending; the sign-in guard has loaded the member already.
        if "_login_user" in g and getattr(current_user, "is_authenticated", False):
            record_visit(current_user._get_current_object(), utcnow())
