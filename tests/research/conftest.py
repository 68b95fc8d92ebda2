"""A known community for the research tests: segments, posts, a coded post, a task, a poll and a competition."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from PIL import Image
from werkzeug.datastructures import FileStorage

from app.db import utcnow
from app.forum.models import Post
from tests.factories import make_category, make_competition, make_poll, make_user


def image_upload(name: str = "tea.png") -> FileStorage:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "PNG")
    buffer.seek(0)
    return FileStorage(buffer, filename=name)


@pytest.fixture
def activity_dataset(app, db, monkeypatch, tmp_path, moderator, researcher, admin):
    """Three members with segment values; a thread (with a photo, a quote, a host reply and a coded reply), a
    reviewed task answer with a photo, a multiple-choice poll with two ballots and a competition entry with a photo."""
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://tea.example")
    return build_activity_dataset(db, moderator=moderator, researcher=researcher, admin=admin)


def build_activity_dataset(db, *, moderator, researcher, admin) -> dict:
    """``activity_dataset``'s rows, for a module that builds them once (UPLOAD_DIR and PUBLIC_URL set by the caller)."""
    from app.competitions import services as competitions
    from app.core.settings import set_setting
    from app.forum import services as forum
    from app.polls import services as polls
    from app.research import coding
    from app.segments import services as segments
    from app.tasks import services as tasks

    set_setting("spam.hold_threshold", 100)
    age = segments.save_attribute(None, by=admin, key="age_band", label="Age band", values=["18-24", "25-34"],
                                  member_editable=True)
    city = segments.save_attribute(None, by=admin, key="city_tier", label="City tier", values=["Tier 1", "Tier 2"],
                                   member_editable=True, position=1)
    alice, bob, carol = (make_user(display_name=name) for name in ("Alice", "Bob", "Carol"))
    for person, values in ((alice, {age.id: age.values[1].id, city.id: city.values[0].id}),
                           (bob, {age.id: age.values[0].id}),
                           (carol, {age.id: age.values[1].id, city.id: city.values[1].id})):
        segments.set_values(person, values, by=person, source="member")
    category = make_category(name="Lipstick")
    thread = forum.start_thread(category, author=alice, title="Which shade?",
                                body="I love **red** 口红 ![my shelf](/uploads/shelf.png)")
    opening = db.session.scalar(sa.select(Post).where(Post.thread_id == thread.id, Post.number == 1))
    bob_reply = forum.reply(thread, author=bob, body="Too pricey for me", quoted=opening)
    host_reply = forum.reply(thread, author=moderator, body="Thanks both!")
    price = coding.save_code(None, by=researcher, name="Price", colour="#8a4b08", description="", parent_id=None)
    coding.apply_code(bob_reply, price, by=researcher)

    now = utcnow()
    task = tasks.save_task(None, by=moderator, title="Shelf photo", instructions="Show us your shelf",
                           opens_at=now - timedelta(hours=1), due_at=now + timedelta(days=1), min_photos=0, points=5,
                           is_masked=True)
    submission = tasks.submit(task, user=carol, text="My shelf has 3 creams", files=[image_upload()])
    tasks.review(submission, "accept", by=moderator)

    poll = make_poll(thread=thread, by=moderator, question="Favourite shade?", options=("Red", "Nude", "Berry"),
                     is_multiple=True, max_choices=2)
    red, nude, berry = poll.options
    alice_ballot = polls.vote(poll, user=alice, option_ids=[nude.id, red.id])
    bob_ballot = polls.vote(poll, user=bob, option_ids=[berry.id])

    competition = make_competition(by=moderator, category=category, title="Tea moments")
    entry = competitions.enter(competition, user=alice, title="My tea moment", body="Jasmine tea by the window",
                               photo=image_upload("moment.png"))
    db.session.commit()
    return {
        "alice": alice, "bob": bob, "carol": carol, "moderator": moderator, "category": category, "thread": thread,
        "opening": opening, "bob_reply": bob_reply, "host_reply": host_reply, "price": price, "task": task,
        "submission": submission, "poll": poll, "ballots": (alice_ballot, bob_ballot), "competition": competition,
        "entry": entry, "age": age, "city": city,
    }
