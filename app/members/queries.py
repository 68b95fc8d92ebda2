"""Reads about members that other packages and views share: lookup by email and the "members only" filter."""
from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.members.models import User
from app.security.roles import Role


def normalise_email(email: str) -> str:
    """Emails are stored and compared trimmed and in lower case."""
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def members_only() -> sa.ColumnElement[bool]:
    """The condition keeping ordinary members (not hosts, researchers or admins) in a query on ``User``."""
    return User.role == Role.MEMBER.value
