"""Reads about uploaded files."""
from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.uploads.models import Upload


def upload_named(name: str) -> Upload | None:
    return db.session.scalar(sa.select(Upload).where(Upload.name == name))
