"""The page chrome (app/landing/chrome.py) is kept rendered per process, keyed by what it shows, all of it read in
the request: every change another request or another node makes shows on the next request."""
from __future__ import annotations

import re

import sqlalchemy as sa

from app.core.settings import set_setting
from app.members.notifications import chrome_state, mark_all_read, notify
from tests.conftest import login_as
from tests.landing.test_query_counts import count_queries


def _usernav(page) -> str:
    return re.search(r'<div class="usernav">.*?</div>', page.get_data(as_text=True), re.DOTALL).group(0)


def _elsewhere(db, statement: str, **values) -> None:
    """A write by another worker or node: its own connection, committed."""
    with db.engine.begin() as conn:
        conn.execute(sa.text(statement), values)


def test_a_rename_by_another_node_shows_on_the_next_request(member_client, member, db):
    assert member.display_name in _usernav(member_client.get("/"))
    _elsewhere(db, 'UPDATE "user" SET display_name = :name WHERE id = :id', name="Renamed Elsewhere", id=member.id)
    nav = _usernav(member_client.get("/"))
    assert "Renamed Elsewhere" in nav and member.display_name not in nav


def test_a_role_change_shows_its_tag_and_links_on_the_next_request(member_client, member, db):
    page = member_client.get("/activities").get_data(as_text=True)
    assert "role-member" in page and 'href="/mod/' not in page
    _elsewhere(db, 'UPDATE "user" SET role = :role WHERE id = :id', role="moderator", id=member.id)
    page = member_client.get("/activities").get_data(as_text=True)
    assert "role-moderator" in page and "role-member" not in page and "Moderation</a>" in page


def test_a_suspended_member_gets_no_page_on_the_next_request(member_client, member, db):
    assert member_client.get("/notifications").status_code == 200
    _elsewhere(db, 'UPDATE "user" SET suspended_at = CURRENT_TIMESTAMP WHERE id = :id', id=member.id)
    answer = member_client.get("/notifications")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_a_new_notification_and_reading_them_show_in_the_header_at_once(member_client, member, db):
    assert "badge-unread" not in member_client.get("/").get_data(as_text=True)
    notify(member.id, "test", "News")
    db.session.commit()
    assert 'class="badge-unread">1<' in member_client.get("/tasks/").get_data(as_text=True)
    mark_all_read(member.id)
    db.session.commit()
    assert "badge-unread" not in member_client.get("/tasks/").get_data(as_text=True)


def test_a_language_switch_shows_on_the_next_request(member_client, member, db):
    page = member_client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page and ">Settings<" in page
    _elsewhere(db, 'UPDATE "user" SET locale = :locale WHERE id = :id', locale="zh_Hans", id=member.id)
    page = member_client.get("/").get_data(as_text=True)
    assert '<html lang="zh-Hans">' in page and ">Settings<" not in page and "设置" in page


def test_switching_the_leaderboard_off_hides_its_link_on_the_next_request(member_client, db):
    assert 'href="/leaderboard' in member_client.get("/").get_data(as_text=True)
    set_setting("leaderboard.mode", "off")
    db.session.commit()
    assert 'href="/leaderboard' not in member_client.get("/").get_data(as_text=True)


def test_one_members_chrome_never_shows_to_another(app, member_client, member, user_factory):
    other = user_factory(display_name="Someone Else")
    other_client = login_as(app.test_client(), other)
    assert member.display_name in _usernav(member_client.get("/notifications"))
    nav = _usernav(other_client.get("/notifications"))
    assert "Someone Else" in nav and member.display_name not in nav and f"/u/{other.id}" in nav


def test_visitors_get_the_chrome_without_member_links(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'class="topbar"' in page and "usernav" not in page and 'class="footer"' in page


def test_a_page_reads_the_chromes_figures_in_one_query(app, member_client, member, db):
    notify(member.id, "test", "News")
    db.session.commit()
    member_client.get("/activities")
    with count_queries(app) as statements:
        page = member_client.get("/activities").get_data(as_text=True)
    assert 'class="badge-unread">1<' in page
    figures = [s for s in statements if "notification" in s and "setting" in s]
    assert len(figures) == 1  # the unread count and the leaderboard mode together
    assert [s for s in statements if "setting" in s] == figures  # the leaderboard button asks no query of its own


def test_the_chrome_state_is_read_again_after_a_notification_is_written(app, member, db):
    with app.test_request_context("/"):
        assert chrome_state(member.id) == (0, None)
        notify(member.id, "test", "News")  # written in this request: the count is read again, seeing it
        assert chrome_state(member.id)[0] == 1
        mark_all_read(member.id)
        assert chrome_state(member.id)[0] == 0


def test_the_chrome_state_of_one_member_is_not_answered_for_another(app, member, user_factory, db):
    other = user_factory()
    notify(other.id, "test", "For the other")
    db.session.commit()
    with app.test_request_context("/"):
        assert chrome_state(member.id) == (0, None)
        assert chrome_state(other.id) == (1, None)
