"""Reads for the mail pages: the admin's outbox list and its counts."""
from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.mailing.models import OutboxMessage, OutboxStatus

PAGE_SIZE = 50


def outbox_counts() -> dict[str, int]:
    rows = db.session.execute(sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)).all()
    return {OutboxStatus.QUEUED: 0, OutboxStatus.SENT: 0, OutboxStatus.FAILED: 0, **dict(rows)}


def outbox_page(status: str, page: int):
    """The newest outbox rows in one status, a page at a time."""
    select = sa.select(OutboxMessage).where(OutboxMessage.status == status).order_by(OutboxMessage.id.desc())
    return db.paginate(select, page=page, per_page=PAGE_SIZE, error_out=False)
