"""How uploads plug into the app: their blueprint."""
from __future__ import annotations

from flask import Flask

from app.uploads.services import thumb_size
from app.uploads.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["photo_size"] = thumb_size
