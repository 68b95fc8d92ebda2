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
