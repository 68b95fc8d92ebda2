"""Members: accounts, roles, profile settings and suspension."""
from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow
from app.security.roles import Permission, Role, role_has
from app.text.names import name_keys


def community_timezone() -> str:
    """A new member's time zone until they choose one: the community's (``COMMUNITY_TIMEZONE``), not UTC."""
    return (current_app.config.get("COMMUNITY_TIMEZONE") or "UTC") if has_app_context() else "UTC"


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, Base):
    __tablename__ = "user"
    # Newest first with the id breaking ties: the admin's member list pages by this key (app/core/keyset.py).
    __table_args__ = (sa.Index("ix_user_created_at_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(40))
    display_name_key: Mapped[str] = mapped_column(sa.String(40), unique=True)  # casefolded, for uniqueness
    # look-alike keys through upper and lower case (app.text.names.name_keys): a new name may not look like another
    display_name_skeleton: Mapped[str | None] = mapped_column(sa.String(160), index=True)
    display_name_skeleton_folded: Mapped[str | None] = mapped_column(sa.String(160), index=True)
    real_name: Mapped[str | None] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(16), default=Role.MEMBER.value)
    host_persona: Mapped[str | None] = mapped_column(sa.String(40))
    locale: Mapped[str | None] = mapped_column(sa.String(16))
    timezone: Mapped[str] = mapped_column(sa.String(64), default=community_timezone)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    session_token: Mapped[str] = mapped_column(sa.String(32), default=new_session_token)
    consent_version: Mapped[int | None] = mapped_column()
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    consent_withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    suspend_reason: Mapped[str | None] = mapped_column(sa.String(500))
    is_vip: Mapped[bool] = mapped_column(default=False)  # key opinion consumer; flags weigh double
    post_count: Mapped[int] = mapped_column(default=0)
    thread_count: Mapped[int] = mapped_column(default=0)
    points: Mapped[int] = mapped_column(default=0, server_default="0")  # cache of the PointEvent ledger
    avatar_name: Mapped[str | None] = mapped_column(sa.String(80))  # the uploaded avatar's name; none: generated
    # app.moderation.trust: 0 new .. 3 regular, earned with accepted posts and time unless a host set it (locked)
    trust_level: Mapped[int] = mapped_column(default=0, server_default="0")
    trust_level_locked: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    def __repr__(self) -> str:
        return f"<User {self.id} {self.display_name!r} {self.role}>"

    # Flask-Login: the id carries a per-user token, so rotating it ends every existing session.
    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def set_display_name(self, name: str) -> None:
        """Set the name with its lookup key and look-alike keys (the name is already cleaned and checked)."""
        self.display_name, self.display_name_key = name, name.casefold()
        self.display_name_skeleton, self.display_name_skeleton_folded = name_keys(name)

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def can(self, permission: Permission) -> bool:
        """Whether this member's role carries the permission (and they are not suspended)."""
        return not self.is_suspended and role_has(self.role, permission)

    has = can

    @property
    def is_host(self) -> bool:
        """Hosts post as the community (moderators and admins)."""
        return role_has(self.role, Permission.MODERATE)

    @property
    def is_suspended(self) -> bool:
        if self.suspended_at is None:
            return False
        return self.suspended_until is None or self.suspended_until > utcnow()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users at login
        return not self.is_suspended


class FormerName(Base):
    """A display name a member no longer uses (renamed, or erased): kept only so that research exports can still
    recognise it in other members' words and replace it, never shown anywhere."""

    __tablename__ = "former_display_name"
    __table_args__ = (sa.UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(40))
    until: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
