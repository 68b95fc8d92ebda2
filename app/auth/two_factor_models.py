"""Two-factor sign-in: a member's TOTP secret and their single-use recovery codes."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class TwoFactor(Base):
    """A member's authenticator secret; ``enabled_at`` is None while enrolment awaits its first code."""

    __tablename__ = "two_factor"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    secret: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The newest 30-second step whose code was accepted: no code of that step or an earlier one works again.
    last_used_step: Mapped[int | None] = mapped_column(sa.BigInteger)

    @property
    def is_enabled(self) -> bool:
        return self.enabled_at is not None


class RecoveryCode(Base):
    """One recovery code, stored only as its SHA-256 (the codes are random, so a fast hash suffices)."""

    __tablename__ = "recovery_code"
    __table_args__ = (sa.UniqueConstraint("user_id", "code_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
