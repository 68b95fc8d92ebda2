"""Reads the sign-in and invitation pages need."""
from __future__ import annotations

import sqlalchemy as sa

from app.auth.models import Invitation
from app.extensions import db
from app.mailing.models import OutboxMessage, OutboxStatus


def invitations_newest_first() -> sa.Select:
    """Every invitation, newest first (the hosts' list pages through it)."""
    return sa.select(Invitation).order_by(Invitation.created_at.desc())


def invitation_mail_troubles(invitation_ids: list[int]) -> dict[int, tuple[str, str]]:
    """For invitations whose latest email has not gone out after a try: id -> (status, the mail server's answer).
    One query; the hosts see it on their list (the request that queued it never learns)."""
    if not invitation_ids:
        return {}
    rows = db.session.execute(
        sa.select(OutboxMessage.dedupe_key, OutboxMessage.status, OutboxMessage.last_error)
        .where(OutboxMessage.kind == "invitation",
               sa.or_(*[OutboxMessage.dedupe_key.startswith(f"invitation:{i}:") for i in invitation_ids]))
        .order_by(OutboxMessage.id)).all()
    latest = {int(row.dedupe_key.split(":")[1]): row for row in rows}  # the newest row of each invitation wins
    return {invitation_id: (row.status, row.last_error) for invitation_id, row in latest.items()
            if row.last_error and row.status != OutboxStatus.SENT}
