"""How the health check plugs into the app: its blueprint (GET /healthz) and the web app manifest."""
from __future__ import annotations

from flask import Flask

from app.health.manifest import web_manifest
from app.health.views import bp

bp.add_url_rule("/manifest.webmanifest", "web_manifest", web_manifest)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
