"""How the health check plugs into the app: its blueprint (GET /healthz)."""
from __future__ import annotations

from flask import Flask

from app.health.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
