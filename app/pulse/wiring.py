"""How the health dashboard plugs in: its pages join the moderators' area (registered by moderation)."""
from __future__ import annotations

from flask import Flask

from app.pulse import views  # noqa: F401  (routes on the moderation blueprint)


def init_app(app: Flask) -> None:
    """Nothing more to register: the routes ride on the moderation area's blueprint."""
