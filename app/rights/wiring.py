"""How members' rights plug into the app: the privacy pages in Settings and the admin's page of requests."""
from __future__ import annotations

from flask import Flask

from app.rights import admin_views  # noqa: F401  (routes on the admin blueprint)
from app.rights.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
