"""Moderation records: the audit log, flags, the review queue and canned replies."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, utcnow


class FlagReason(str, enum.Enum):
    SPAM = "spam"
    ABUSIVE = "abusive"
    OFF_TOPIC = "off_topic"
    PRIVATE_INFO = "private_info"
    OTHER = "other"


class Flag(Base):
    """A member's report about a post; weighted by who flags (member 1, VIP 2, host hides at once)."""

    __tablename__ = "flag"
    __table_args__ = (sa.UniqueConstraint("post_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("post.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(sa.String(20))
    note: Mapped[str | None] = mapped_column(sa.String(1000))
    weight: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    user = relationship("User", foreign_keys=[user_id])


class ReviewKind(str, enum.Enum):
    PENDING = "pending"    # held on write by the spam rules
    FLAGGED = "flagged"    # reached the flag threshold
    SPAM = "spam"          # quarantined by the clear_spam job


class ReviewItem(Base):
    """One entry in the moderators' review queue; handled items keep who, when and what."""

    __tablename__ = "review_item"
    __table_args__ = (
        sa.Index("ix_review_item_open", "handled_at", "created_at"),
        # One open item per post, whatever brought it there (see app.moderation.queue): the kinds merge into it.
        sa.Index("uq_review_item_open_post", "post_id", unique=True,
                 sqlite_where=sa.text("handled_at IS NULL"), postgresql_where=sa.text("handled_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("post.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    score: Mapped[float] = mapped_column(default=0)
    reasons: Mapped[list] = mapped_column(sa.JSON, default=list)
    # What each kind said ({kind: {"score": s, "reasons": [...]}}); ``kind``, ``score`` and ``reasons`` show the merge.
    kind_reasons: Mapped[dict | None] = mapped_column(sa.JSON)
    # Grows whenever the item changes (new reasons, handled): an action names the version the host was shown.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    handled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    action: Mapped[str | None] = mapped_column(sa.String(30))

    post = relationship("Post")
    handled_by = relationship("User", foreign_keys=[handled_by_id])


class CannedReply(Base):
    """A reply text hosts insert often, per language: a host's own, or shared with every host."""

    __tablename__ = "canned_reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(80))
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    is_shared: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    body_en: Mapped[str] = mapped_column(sa.Text, default="")
    body_zh: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    owner = relationship("User", foreign_keys=[owner_id])

    def body_for(self, locale: str) -> str:
        return (self.body_zh if str(locale).startswith("zh") else self.body_en) or self.body_en or self.body_zh


class PostTombstone(Base):
    """What is left of a purged post: who wrote it where, who purged it, when and why, a hash of its text, and
    what became of its flags and review items, so the audit can say what was deleted."""

    __tablename__ = "post_tombstone"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(index=True)  # no foreign key: the post is gone
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    author_name: Mapped[str] = mapped_column(sa.String(40))
    thread_id: Mapped[int] = mapped_column()  # the thread may be gone too
    thread_title: Mapped[str] = mapped_column(sa.String(200))
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    purged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    purged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    purged_by_name: Mapped[str] = mapped_column(sa.String(60))  # display name, or "job:<id>"
    reason: Mapped[str] = mapped_column(sa.String(500))
    content_sha256: Mapped[str] = mapped_column(sa.String(64))
    flags: Mapped[list] = mapped_column(sa.JSON, default=list)         # each flag and how it ended
    review_items: Mapped[list] = mapped_column(sa.JSON, default=list)  # each review item and how it ended
