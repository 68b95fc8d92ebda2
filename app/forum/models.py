"""Forum content: categories, threads, posts, their revisions, reactions and read marks."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import NO_VALUE, Mapped, WriteOnlyMapped, mapped_column, relationship

from app.db import Base, ModeratedMixin, UTCDateTime, utcnow


class Category(Base):
    __tablename__ = "category"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    description: Mapped[str] = mapped_column(sa.String(500), default="")
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    thread_count: Mapped[int] = mapped_column(default=0)
    post_count: Mapped[int] = mapped_column(default=0)
    last_post_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    is_inquiry: Mapped[bool] = mapped_column(default=False)  # "ask the hosts": tracked for response time


class Thread(ModeratedMixin, Base):
    __tablename__ = "thread"
    __table_args__ = (
        sa.Index("ix_thread_category_last_post", "category_id", "last_post_at"),
        sa.Index("ix_thread_last_post_at", "last_post_at"),
        # The thread lists members see: published, pinned first, latest activity first, read straight off these.
        sa.Index("ix_thread_state_pinned_last_post", "state", "is_pinned", "last_post_at"),
        sa.Index("ix_thread_category_state_pinned_last_post", "category_id", "state", "is_pinned", "last_post_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("category.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    author_name: Mapped[str] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    last_post_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_poster_name: Mapped[str | None] = mapped_column(sa.String(40))
    post_count: Mapped[int] = mapped_column(default=0)  # also the highest post number
    reaction_count: Mapped[int] = mapped_column(default=0)
    is_pinned: Mapped[bool] = mapped_column(default=False)
    is_locked: Mapped[bool] = mapped_column(default=False)
    is_pinned_globally: Mapped[bool] = mapped_column(default=False)  # pinned on the landing page
    is_featured: Mapped[bool] = mapped_column(default=False)
    # Set when a host merged this thread into another: its old addresses redirect there (see MovedPost). A plain
    # id, no foreign key: adding one would make SQLite rebuild the thread table, and its posts cascade from it.
    merged_into_id: Mapped[int | None] = mapped_column()

    category = relationship(Category, lazy="joined")
    author = relationship("User", foreign_keys=[author_id])
    posts: WriteOnlyMapped[Post] = relationship(
        "Post", back_populates="thread", order_by="Post.number", passive_deletes=True
    )

    @property
    def reply_count(self) -> int:
        return max(self.post_count - 1, 0)


class Post(ModeratedMixin, Base):
    __tablename__ = "post"
    __table_args__ = (
        sa.UniqueConstraint("thread_id", "number"),
        sa.Index("ix_post_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("thread.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()  # 1 is the opening post
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    author_name: Mapped[str] = mapped_column(sa.String(40))
    quoted_post_id: Mapped[int | None] = mapped_column(sa.ForeignKey("post.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    edit_count: Mapped[int] = mapped_column(default=0)
    reaction_count: Mapped[int] = mapped_column(default=0)
    spam_score: Mapped[float] = mapped_column(default=0)
    spam_reasons: Mapped[list | None] = mapped_column(sa.JSON)
    body_hash: Mapped[str | None] = mapped_column(sa.String(40), index=True)  # normalised text, for duplicates
    # Grows with every moderation of the post: a host's action names the version it was shown, so an action
    # taken on what has changed since (another host's, the spam sweep's) is refused instead of undoing it.
    moderation_version: Mapped[int] = mapped_column(default=0, server_default="0")

    thread = relationship(Thread, back_populates="posts")
    author = relationship("User", foreign_keys=[author_id])
    quoted_post = relationship("Post", remote_side=[id])

    @property
    def is_opening(self) -> bool:
        return self.number == 1


@event.listens_for(Post.state, "set", active_history=True)
def _state_moves_the_version(post: Post, value, old, initiator) -> None:
    """Every change of a post's state (whoever makes it: a host, the flags, the spam sweep) grows its moderation
    version, so a host's page drawn before it is stale. ``active_history`` also keeps the old state in the
    attribute's history for the flush (authors are told about the change)."""
    if old is not NO_VALUE and old is not None and value != old:
        post.moderation_version = (post.moderation_version or 0) + 1


class MovedPost(Base):
    """Where a merged thread's post number went: its old page and anchor addresses redirect to the post."""

    __tablename__ = "moved_post"

    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("thread.id", ondelete="CASCADE"), primary_key=True)
    number: Mapped[int] = mapped_column(primary_key=True)  # the post's number in the merged (old) thread
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("post.id", ondelete="CASCADE"), index=True)


class PostRevision(Base):
    """A post's earlier text, kept on every edit: research needs what was first said."""

    __tablename__ = "post_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("post.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()
    title: Mapped[str | None] = mapped_column(sa.String(200))  # the thread title, for opening posts
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())  # when this text was written
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    replaced_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))


class Reaction(Base):
    """One upvote per member per post."""

    __tablename__ = "reaction"
    __table_args__ = (sa.UniqueConstraint("post_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("post.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class ThreadRead(Base):
    """How far a member has read a thread; written only when it advances."""

    __tablename__ = "thread_read"
    __table_args__ = (sa.UniqueConstraint("user_id", "thread_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("thread.id", ondelete="CASCADE"), index=True)
    last_read_number: Mapped[int] = mapped_column(default=0)
    first_read_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    last_read_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
