"""How research plugs into the app: the /research blueprint.

``koc_views`` (the hosts' KOC shortlist) adds its routes to the moderation blueprint, under /mod, because
hosts rather than researchers use it; its endpoints are ``moderation.koc`` and ``moderation.koc_vip``.
"""
from __future__ import annotations

from flask import Flask

from app.research import koc_views  # noqa: F401  (routes on the moderation blueprint)
from app.research.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
