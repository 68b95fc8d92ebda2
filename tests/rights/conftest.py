"""Fixtures for members' rights: a member with something of everything (posts, a task answer with a photo, a
ballot, a competition entry and its points)."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage

from app.db import utcnow
from app.extensions import db as _db


def jpeg_file(name: str = "shelf.jpg") -> FileStorage:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, "JPEG")
    out.seek(0)
    return FileStorage(stream=out, filename=name, content_type="image/jpeg")


@pytest.fixture
def busy_member(db, user_factory, thread_factory, post_factory, poll_factory, competition_factory, consent_factory):
    """A member who has posted, answered a task with a photo, voted in a poll and entered a competition."""
    from app.competitions import services as competitions
    from app.polls import services as polls
    from app.tasks import services as tasks

    consent_factory()
    member = user_factory(display_name="Busy Bee")
    moderator = user_factory(role="moderator")
    thread_factory(author=member, title="My morning tea", body="Oolong, every day.")
    post_factory(thread=thread_factory(), author=member, body="I prefer green tea.")
    now = utcnow()
    task = tasks.save_task(None, by=moderator, title="Photo of your shelf", instructions="Show us your shelf.",
                           opens_at=now - timedelta(hours=1), due_at=now + timedelta(days=2), min_photos=0,
                           points=10, is_masked=True)
    tasks.submit(task, user=member, text="Here is my shelf", files=[jpeg_file()])
    poll = poll_factory(by=moderator, question="Favourite tea?", options=("Green", "Black"))
    polls.publish_poll(poll, by=moderator)
    polls.vote(poll, user=member, option_ids=[poll.options[1].id])
    competitions.enter(competition_factory(by=moderator, title="Tea moments"), user=member, title="Dawn cup",
                       body="A cup at sunrise.")
    _db.session.commit()
    return member
