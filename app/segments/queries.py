"""Reads the segment pages need."""
from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.segments.models import MemberSegment


def member_counts() -> dict[int, int]:
    """How many members have a value for each attribute, by attribute id."""
    return dict(db.session.execute(sa.select(MemberSegment.attribute_id, sa.func.count())
                                   .group_by(MemberSegment.attribute_id)).all())
