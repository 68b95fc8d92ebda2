"""Uploaded images: stored re-encoded under random names, served only through an authorised view."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class Upload(Base):
    __tablename__ = "upload"
    __table_args__ = (sa.Index("ix_upload_attached", "attached_type", "attached_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)  # random, with the real extension: the URL
    # The stored file, named by the hash of its re-encoded bytes: the same picture sent twice is stored once (and
    # its thumbnails with it). Older rows have none: their file is ``name``.
    content_hash: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    content_type: Mapped[str] = mapped_column(sa.String(40))
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    size: Mapped[int] = mapped_column()
    original_name: Mapped[str] = mapped_column(sa.String(200), default="")
    attached_type: Mapped[str | None] = mapped_column(sa.String(40))  # e.g. "task_submission"
    attached_id: Mapped[int | None] = mapped_column()
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def url(self) -> str:
        return f"/uploads/{self.name}"

    @property
    def extension(self) -> str:
        return self.name.rpartition(".")[2]

    @property
    def file_name(self) -> str:
        """The file on disk: shared by every row holding the same picture."""
        return f"{self.content_hash}.{self.extension}" if self.content_hash else self.name
