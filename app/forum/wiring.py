"""How the forum plugs into the app: its blueprint, and a member's recent posts for the profile page (a Jinja
global, so the members package needs nothing from the forum)."""
from __future__ import annotations

from flask import Flask

from app.forum import queries, rendering
from app.forum.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["member_recent_posts"] = queries.recent_posts_by
    app.jinja_env.globals["thread_rows"] = rendering.thread_rows
