"""The close_activities job: close polls past their closing time and competitions whose voting has ended."""
from __future__ import annotations

from datetime import datetime

from app.competitions.closing import close_due_competitions
from app.polls.services import close_due_polls


def close_activities(now: datetime) -> int:
    """Idempotent: a second run at the same time closes nothing and changes nothing."""
    return close_due_polls(now) + close_due_competitions(now)
