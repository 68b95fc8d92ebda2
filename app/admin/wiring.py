"""How the admin area plugs into the app: the /admin blueprint.

Besides ``views`` and ``moderation_views``, ``landing``, ``points`` and ``segments`` add their settings pages to
this blueprint from their ``admin_views`` (imported by their own wiring).
"""
from __future__ import annotations

from flask import Flask

from app.admin import moderation_views  # noqa: F401  (its routes are on the admin blueprint)
from app.admin.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
