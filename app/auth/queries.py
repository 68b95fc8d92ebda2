"""Reads the sign-in and invitation pages need."""
from __future__ import annotations

import sqlalchemy as sa

from app.auth.models import Invitation


def invitations_newest_first() -> sa.Select:
    """Every invitation, newest first (the hosts' list pages through it)."""
    return sa.select(Invitation).order_by(Invitation.created_at.desc())
