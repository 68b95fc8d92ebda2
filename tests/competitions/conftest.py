"""Competition fixtures: a competition in its voting window, with entries."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.competitions import services
from app.db import utcnow
from tests.competitions.helpers import VOTING


@pytest.fixture
def voting_competition(competition_factory, user_factory, db):
    """A competition in its voting window with three entries; returns (competition, entries, entrants)."""

    def make(*, entrants: int = 3, **kwargs):
        start = utcnow() - VOTING
        competition = competition_factory(start=start, **kwargs)
        people = [user_factory() for _ in range(entrants)]
        entries = [services.enter(competition, user=person, title=f"Entry {i}", body="My tea moment.",
                                  now=start + timedelta(hours=1)) for i, person in enumerate(people)]
        db.session.commit()
        return competition, entries, people

    return make
