"""How members plug into the app: profiles and settings, and the header's unread count (a Jinja global)."""
from __future__ import annotations

from flask import Flask

from app.members import templating
from app.members.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals.update(templating.jinja_globals())
