"""How the forum plugs into the app: its blueprint."""
from __future__ import annotations

from flask import Flask

from app.forum.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
