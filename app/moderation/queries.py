"""Reads the moderation pages and the reply boxes need."""
from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.moderation.models import CannedReply


def canned_replies(locale: str) -> list[tuple[str, str]]:
    """Active canned replies as (title, text in ``locale``) for the hosts' reply boxes."""
    replies = db.session.scalars(sa.select(CannedReply).where(CannedReply.archived_at.is_(None))
                                 .order_by(CannedReply.title))
    return [(reply.title, reply.body_for(locale)) for reply in replies]
