"""How the admin area plugs into the app: the /admin blueprint (declared in ``core.areas``).

Besides ``views`` and ``moderation_views``, ``landing``, ``points`` and ``segments`` add their settings pages to
this blueprint from their ``admin_views`` (imported by their own wiring).
"""
from __future__ import annotations

from flask import Flask

from app.admin import (
    moderation_views,  # noqa: F401  (canned replies, review history, settings)
    views,  # noqa: F401  (the dashboard, categories, members, consent)
)
from app.core.areas import admin_area


def init_app(app: Flask) -> None:
    app.register_blueprint(admin_area)
