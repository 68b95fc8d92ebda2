"""How segments plug into the app: the blueprint (with the ``flask members`` commands) and the settings form.

``admin_views`` adds the segment attribute pages to the admin blueprint.
"""
from __future__ import annotations

from flask import Flask

from app.segments import admin_views  # noqa: F401  (routes on the admin blueprint)
from app.segments.views import bp, my_segment_form


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["my_segment_form"] = my_segment_form
