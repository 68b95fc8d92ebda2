"""How mail plugs in: the blueprint, the outbox's notify hook, the admin outbox page, the unsubscribe page
open to visitors."""
from __future__ import annotations

from flask import Flask

from app.mailing import admin_views  # noqa: F401  (routes on the admin blueprint)
from app.mailing.outbox import email_notification, email_notifications
from app.mailing.views import bp
from app.members.notifications import add_bulk_notify_hook, add_notify_hook


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    add_notify_hook(email_notification)
    add_bulk_notify_hook(email_notifications)
