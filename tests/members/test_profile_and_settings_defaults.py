"""Profiles show recent posts as plain text; a new member's time zone is the community's (issue 17)."""
from __future__ import annotations

from app.auth.services import create_user


def test_recent_posts_on_a_profile_are_plain_text_not_markdown(db, member_client, member, thread_factory):
    thread_factory(author=member, body="I love **bold** colours and [links](https://example.com).\n\n- one\n- two")
    page = member_client.get(f"/u/{member.id}").get_data(as_text=True)
    excerpt = page.split('class="excerpt"', 1)[1].split("</p>", 1)[0]
    assert "I love bold colours and links." in excerpt
    assert "**" not in excerpt and "](" not in excerpt and "<strong>" not in excerpt


def test_a_new_members_time_zone_is_the_communitys_and_settings_show_it(app, db, client):
    from tests.conftest import login_as

    app.config["COMMUNITY_TIMEZONE"] = "Asia/Shanghai"
    user = create_user("tz@example.test", "Zoe", "a long enough password")
    db.session.commit()
    assert user.timezone == "Asia/Shanghai"
    page = login_as(client, user).get("/settings").get_data(as_text=True)
    assert '<option selected value="Asia/Shanghai">' in page


def test_the_community_time_zone_comes_from_configuration(app, db):
    before = app.config["COMMUNITY_TIMEZONE"]
    app.config["COMMUNITY_TIMEZONE"] = "Europe/Paris"
    try:
        user = create_user("paris@example.test", "Amélie", "a long enough password")
        assert user.timezone == "Europe/Paris"
    finally:
        app.config["COMMUNITY_TIMEZONE"] = before
