"""Jinja globals and filters: the policy predicates, enums and date formatting."""
from __future__ import annotations

from datetime import datetime

from flask import Flask, request, url_for
from flask_babel import format_datetime, format_timedelta, get_locale

from app.core.forms import ConfirmForm
from app.db import ContentState, utcnow
from app.i18n import LANGUAGE_NAMES
from app.security import policy
from app.security.roles import Permission, Role


def _ago(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_timedelta(value - utcnow(), add_direction=True, granularity="minute", threshold=1)


def _page_url(page: int) -> str:
    args = dict(request.view_args or {})
    args.update(request.args.to_dict())
    args["page"] = page
    return url_for(request.endpoint, **args)


def _unread_notifications() -> int:
    from flask_login import current_user

    from app.members.notifications import unread_count

    return unread_count(current_user.id) if current_user.is_authenticated else 0


def _canned_replies() -> list[tuple[str, str]]:
    """Active canned replies as (title, text in the host's language) for the reply boxes."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.moderation.models import CannedReply

    locale = str(get_locale() or "en")
    replies = db.session.scalars(sa.select(CannedReply).where(CannedReply.archived_at.is_(None))
                                 .order_by(CannedReply.title))
    return [(reply.title, reply.body_for(locale)) for reply in replies]


def _poll_panels(thread):
    from app.polls.views import poll_panels

    return poll_panels(thread)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        policy=policy, Permission=Permission, Role=Role, ContentState=ContentState,
        LANGUAGE_NAMES=LANGUAGE_NAMES, page_url=_page_url, confirm_form=lambda: ConfirmForm(formdata=None),
        current_locale=lambda: str(get_locale() or "en"), unread_notifications=_unread_notifications,
        canned_replies=_canned_replies, poll_panels=_poll_panels,
    )
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": format_datetime(value, fmt) if value else ""
    app.jinja_env.filters["ago"] = _ago
    app.jinja_env.filters["fromiso"] = datetime.fromisoformat
    app.jinja_env.filters["duration"] = lambda delta: format_timedelta(delta, granularity="minute", threshold=1.5)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
