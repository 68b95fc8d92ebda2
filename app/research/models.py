"""Transcript export runs (queued -> running with progress -> done / failed)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, utcnow

STATUS_LABELS = {"queued": _l("Queued"), "running": _l("Running"), "done": _l("Done"), "failed": _l("Failed"),
                 "expired": _l("Expired"), "delivered": _l("Written to a file by the CLI")}


class ExportRun(Base):
    __tablename__ = "export_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    format: Mapped[str] = mapped_column(sa.String(8))
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    status: Mapped[str] = mapped_column(sa.String(12), default="queued", index=True)  # queued running done failed expired
    progress: Mapped[int] = mapped_column(default=0)  # 0..100
    total_rows: Mapped[int] = mapped_column(default=0)
    row_count: Mapped[int] = mapped_column(default=0)
    file_name: Mapped[str | None] = mapped_column(sa.String(120))
    error: Mapped[str | None] = mapped_column(sa.Text)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    created_by = relationship("User", foreign_keys=[created_by_id])
    # Not stored: the row count queue_export made, so that the process that queued the run (the page, the CLI) does
    # not count again; None on a run loaded from the database. total_rows is stored when the run starts.
    counted_rows = None

    @property
    def status_label(self) -> str:
        """The status in the reader's language (the raw word stays in data attributes and JSON for scripts)."""
        return str(STATUS_LABELS.get(self.status, self.status))


class Code(Base):
    """A code in the community's code book (archived, never deleted)."""

    __tablename__ = "code"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    colour: Mapped[str] = mapped_column(sa.String(7), default="#8a4b08")
    description: Mapped[str] = mapped_column(sa.String(1000), default="")
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("code.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    parent = relationship("Code", remote_side=[id])


class CodedExcerpt(Base):
    """A code applied to a post, or to a passage of it, with an optional memo."""

    __tablename__ = "coded_excerpt"
    __table_args__ = (sa.Index("ix_coded_excerpt_post_code", "post_id", "code_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code_id: Mapped[int] = mapped_column(sa.ForeignKey("code.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("post.id", ondelete="CASCADE"))
    excerpt: Mapped[str] = mapped_column(sa.Text)  # the passage; the whole post text when none was chosen
    memo: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    code = relationship(Code)
    post = relationship("Post")


class Term(Base):
    """A term in the community's own dictionary: discovered from its text, added by a researcher, or blocked.

    ``key`` is the folded form (NFKC, lower case), so "vc精华" and "ＶＣ精华" are one term; a term merged into another
    (``merged_into_id``) is counted as that one.
    """

    __tablename__ = "research_term"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    display: Mapped[str] = mapped_column(sa.String(80))
    status: Mapped[str] = mapped_column(sa.String(12), default="discovered", index=True)  # discovered added blocked
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("research_term.id", ondelete="SET NULL"))
    score: Mapped[float] = mapped_column(default=0)  # the discovery's cohesion score (0 for added terms)
    posts: Mapped[int] = mapped_column(default=0)  # posts and distinct authors when last discovered
    authors: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    merged_into = relationship("Term", remote_side=[id])


class StopWordEdit(Base):
    """A researcher's change to the built-in stop-word lists: a word added (is_stop) or taken out (not is_stop)."""

    __tablename__ = "research_stop_word"

    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(sa.String(40), unique=True)
    is_stop: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
