"""How the landing page plugs into the app: its blueprint, the activities page, the page chrome.

``admin_views`` adds the announcement and hot-panel settings pages to the admin blueprint (``/admin/...``).
"""
from __future__ import annotations

from flask import Flask

from app.landing import activities_views, admin_views  # noqa: F401  (admin_views: routes on the admin blueprint)
from app.landing.chrome import page_chrome
from app.landing.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(activities_views.bp)
    app.jinja_env.globals["page_chrome"] = page_chrome
