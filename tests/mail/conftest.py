"""Fixtures for the mail tests: an open task, and a member with a segment value."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.db import utcnow
from app.tasks import services as tasks


@pytest.fixture
def open_task(db, moderator):
    def make(*, due_in=timedelta(days=3), title="Photo of your shelf"):
        now = utcnow()
        task = tasks.save_task(None, by=moderator, title=title, instructions="Show us your skincare shelf.",
                               opens_at=now - timedelta(hours=1), due_at=now + due_in, min_photos=0, points=10,
                               is_masked=True)
        db.session.commit()
        return task

    return make
