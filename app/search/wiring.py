"""How search plugs into the app: the blueprint, and ORM events that keep the full-text index current."""
from __future__ import annotations

from flask import Flask

from app.search import index
from app.search.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    index.listen()
