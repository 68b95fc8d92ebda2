"""An accepted answer that its member edits goes back to review; the earlier version is kept for the hosts."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.db import utcnow
from app.points.models import PointEvent
from app.tasks import services
from app.tasks.models import TaskSubmissionRevision


@pytest.fixture
def task(db, moderator):
    now = utcnow()
    made = services.save_task(None, by=moderator, title="Your shelf", instructions="Show us.",
                              opens_at=now - timedelta(hours=1), due_at=now + timedelta(days=2), min_photos=0,
                              points=10, is_masked=True)
    db.session.commit()
    return made


def _points(db, member) -> int:
    return db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(PointEvent.amount), 0))
                             .where(PointEvent.user_id == member.id))


def test_editing_an_accepted_answer_sends_it_back_to_review_and_keeps_the_earlier_version(db, task, member,
                                                                                          moderator):
    answer = services.submit(task, user=member, text="Three jars and a cat.", files=[])
    services.review(answer, "accept", by=moderator, note="Lovely")
    db.session.commit()
    earned = _points(db, member)
    services.submit(task, user=member, text="Actually four jars.", files=[])
    db.session.commit()
    assert answer.status == "submitted" and answer.review_note is None and answer.text == "Actually four jars."
    kept = db.session.scalars(sa.select(TaskSubmissionRevision)).all()
    assert [(k.number, k.text, k.status, k.review_note) for k in kept] == [(1, "Three jars and a cat.", "accepted",
                                                                            "Lovely")]
    assert _points(db, member) == earned - task.points  # the points wait for the new review
    services.review(answer, "accept", by=moderator)
    db.session.commit()
    assert _points(db, member) == earned


def test_an_unchanged_answer_sent_again_keeps_its_review(db, task, member, moderator):
    answer = services.submit(task, user=member, text="Same words.", files=[])
    services.review(answer, "accept", by=moderator)
    services.submit(task, user=member, text="Same words.  ", files=[])
    db.session.commit()
    assert answer.status == "accepted"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TaskSubmissionRevision)) == 0


def test_the_host_sees_the_history_of_an_edited_answer_and_the_member_is_told(db, task, member, moderator,
                                                                              member_client, moderator_client):
    answer = services.submit(task, user=member, text="First **draft**.", files=[])
    services.review(answer, "accept", by=moderator, note="Thanks")
    db.session.commit()
    mine = member_client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "goes back to the hosts for review" in mine
    member_client.post(f"/tasks/{task.id}", data={"text": "Second version."})
    page = moderator_client.get(f"/tasks/{task.id}").get_data(as_text=True)
    history = page.split('class="versions"', 1)[1].split("</details>", 1)[0]
    assert "1 earlier version" in history and "<strong>draft</strong>" in history and "Thanks" in history
    assert "Second version." in page
    own = member_client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert 'class="versions"' not in own  # the history is for the hosts
