"""How polls plug into the app: the blueprint and the thread page's poll panels (a Jinja global)."""
from __future__ import annotations

from flask import Flask

from app.forum.queries import add_thread_fact
from app.polls.services import thread_has_polls
from app.polls.views import bp, poll_panels


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["poll_panels"] = poll_panels
    add_thread_fact("has_polls", thread_has_polls)  # a thread page without polls asks no more about them
