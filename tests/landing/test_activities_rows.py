"""The activities page reads polls, competitions and tasks as rows of the shown columns."""
from __future__ import annotations

from app.core.settings import set_setting


def test_hosts_see_draft_competitions_with_their_phase_and_members_do_not(moderator_client, member_client,
                                                                         competition_factory, db):
    competition = competition_factory()
    competition.is_published = False
    db.session.commit()
    host_page = moderator_client.get("/activities").get_data(as_text=True)
    assert competition.title in host_page and 'tag tag-state">draft<' in host_page
    assert competition.title not in member_client.get("/activities").get_data(as_text=True)


def test_a_published_competition_shows_its_phase(member_client, competition_factory):
    competition = competition_factory()
    page = member_client.get("/activities").get_data(as_text=True)
    assert competition.title in page and any(label in page for label in ("open for entries", "opens soon"))


def test_the_leaderboard_button_follows_the_mode_on_the_next_request(member_client, db):
    assert 'class="button small" href="/leaderboard' in member_client.get("/activities").get_data(as_text=True)
    set_setting("leaderboard.mode", "off")
    db.session.commit()
    assert 'class="button small" href="/leaderboard' not in member_client.get("/activities").get_data(as_text=True)


def test_open_polls_come_closing_soonest_first_and_ended_ones_newest_first(member, poll_factory, db):
    from datetime import timedelta

    from app.db import utcnow
    from app.polls.services import listed_polls

    now = utcnow()
    later = poll_factory(question="Later?", closes_at=now + timedelta(days=5))
    never = poll_factory(question="Open-ended?")
    sooner = poll_factory(question="Sooner?", closes_at=now + timedelta(days=1))
    ended = [poll_factory(question=f"Ended {n}?", closes_at=now + timedelta(hours=n)) for n in (1, 2)]
    open_polls, closed_polls = listed_polls(member, now + timedelta(hours=3), limit=20)
    assert [p.id for p in open_polls] == [sooner.id, later.id, never.id]
    assert [p.id for p in closed_polls] == [ended[1].id, ended[0].id]
    open_polls, closed_polls = listed_polls(member, now + timedelta(hours=3), limit=1)
    assert [p.id for p in open_polls] == [sooner.id] and [p.id for p in closed_polls] == [ended[1].id]
