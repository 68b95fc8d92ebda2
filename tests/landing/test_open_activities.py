"""The landing page's open activities panel lists tasks, polls and competitions, soonest deadline first."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.db import utcnow
from app.landing.models import LandingSnapshot
from app.landing.services import build_hot_panels


def _panel(db):
    build_hot_panels(utcnow())
    db.session.commit()
    return db.session.scalar(sa.select(LandingSnapshot)).panels["open_activities"]


def _task(db, moderator, title, *, opens, due):
    from app.tasks.services import save_task

    task = save_task(None, by=moderator, title=title, instructions="Tell us.", opens_at=opens, due_at=due,
                     min_photos=0, points=5, is_masked=True)
    db.session.commit()
    return task


def test_open_tasks_polls_and_competitions_are_listed_by_deadline(db, moderator, poll_factory, competition_factory):
    now = utcnow()
    _task(db, moderator, "Diary week", opens=now - timedelta(hours=1), due=now + timedelta(days=3))
    poll_factory(by=moderator, question="Which shade?", closes_at=now + timedelta(days=1))
    poll_factory(by=moderator, question="Open-ended poll")
    competition_factory(by=moderator, title="Best tea photo")  # entries close in about 23 hours
    panel = _panel(db)
    assert [(item["kind"], item["title"]) for item in panel] == [
        ("competition", "Best tea photo"), ("poll", "Which shade?"), ("task", "Diary week"),
        ("poll", "Open-ended poll")]
    assert panel[0]["phase"] == "entry" and panel[1]["count"] == 0


def test_closed_draft_and_hidden_activities_are_not_listed(db, moderator, researcher, poll_factory, thread_factory,
                                                           competition_factory):
    from app.polls import services as polls

    now = utcnow()
    _task(db, moderator, "Finished task", opens=now - timedelta(days=3), due=now - timedelta(days=1))
    closed = poll_factory(by=moderator, question="Closed poll")
    polls.close_poll(closed, by=moderator)
    poll_factory(by=researcher, question="Draft poll")
    hidden_thread = thread_factory()
    poll_factory(by=moderator, thread=hidden_thread, question="Poll in a hidden thread")
    hidden_thread.state = "hidden"
    competition_factory(by=moderator, title="Long over", start=now - timedelta(days=5))
    db.session.commit()
    assert _panel(db) == []


def test_the_landing_page_links_each_kind_of_activity(member_client, db, moderator, poll_factory,
                                                      competition_factory):
    poll = poll_factory(by=moderator, question="Which shade?")
    competition = competition_factory(by=moderator, title="Best tea photo")
    _panel(db)
    page = member_client.get("/").get_data(as_text=True)
    assert f"/t/{poll.thread_id}" in page and "Which shade?" in page
    assert f"/competitions/{competition.id}" in page and "Best tea photo" in page
