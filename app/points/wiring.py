"""How points plug into the app: the leaderboard blueprint, level and badge globals, and the session events
that award points when posts and upvotes are written (``hooks``).

``admin_views`` adds the points settings page to the admin blueprint.
"""
from __future__ import annotations

from flask import Flask

from app.points import admin_views, hooks, templating  # noqa: F401  (admin_views: routes on the admin blueprint)
from app.points.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals.update(templating.jinja_globals())
    hooks.listen()
