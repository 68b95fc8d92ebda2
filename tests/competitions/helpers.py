"""Shared by the competition tests: the voting window, voting and counting rows."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.competitions import services

VOTING = timedelta(days=1, hours=12)  # a competition started this long ago is in its voting window now


def count_rows(model, *where) -> int:
    from app.extensions import db

    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def vote_for(entry, voters, db):
    for voter in voters:
        services.vote(entry, user=voter)
    db.session.commit()
