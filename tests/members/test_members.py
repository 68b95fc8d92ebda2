"""Profiles and settings."""
from __future__ import annotations

import pytest

from app.core.exceptions import DomainError
from app.members import services
from tests.factories import DEFAULT_PASSWORD


def test_profile_shows_counts_recent_posts_and_join_date(member_client, user_factory, thread_factory):
    author = user_factory(display_name="Profile Person")
    thread_factory(author=author, title="My visible thread", body="Visible words")
    page = member_client.get(f"/u/{author.id}")
    assert page.status_code == 200
    assert b"Profile Person" in page.data and b"My visible thread" in page.data and b"Joined" in page.data


@pytest.mark.parametrize("viewer, sees_email", [("member_client", False), ("researcher_client", False),
                                                 ("moderator_client", True), ("admin_client", True)])
def test_emails_are_shown_to_hosts_and_admins_never_to_researchers(request, user_factory, viewer, sees_email):
    other = user_factory(email="private.person@example.test")
    page = request.getfixturevalue(viewer).get(f"/u/{other.id}")
    assert (b"private.person@example.test" in page.data) is sees_email


def test_members_see_their_own_email(member_client, member):
    assert member.email.encode() in member_client.get(f"/u/{member.id}").data


def test_hidden_posts_do_not_show_on_profiles(member_client, user_factory, post_factory, moderator, db):
    from app.moderation.services import moderate_post

    author = user_factory()
    post = post_factory(author=author, body="Something hidden later")
    moderate_post(post, "hide", by=moderator, reason="rude")
    db.session.commit()
    assert b"Something hidden later" not in member_client.get(f"/u/{author.id}").data


def test_settings_change_name_language_and_timezone(member_client, member, db):
    response = member_client.post("/settings", data={"display_name": "New Name", "locale": "zh_Hans",
                                                     "timezone": "Europe/London", "submit": "1"})
    assert response.status_code == 302
    db.session.refresh(member)
    assert (member.display_name, member.locale, member.timezone) == ("New Name", "zh_Hans", "Europe/London")


def test_settings_refuse_a_taken_name_and_keep_the_input(member_client, user_factory):
    user_factory(display_name="Someone Else")
    page = member_client.post("/settings", data={"display_name": "someone else", "locale": "en",
                                                 "timezone": "UTC", "submit": "1"})
    assert page.status_code == 200 and b"taken" in page.data and b'value="someone else"' in page.data


def test_password_change_needs_the_current_password(member_client, member, db):
    page = member_client.post("/settings", data={"current_password": "wrong one!", "new_password": "x" * 12,
                                                 "confirm": "x" * 12, "submit_password": "1"})
    assert b"current password is not right" in page.data
    response = member_client.post("/settings", data={"current_password": DEFAULT_PASSWORD, "new_password": "y" * 12,
                                                     "confirm": "y" * 12, "submit_password": "1"})
    assert response.status_code == 302
    assert member_client.get("/settings").status_code == 200  # this session survives the token rotation


def test_suspension_rotates_sessions_and_cannot_target_oneself(db, member, admin):
    token = member.session_token
    services.suspend(member, by=admin, reason="spam", days=3)
    assert member.session_token != token and member.is_suspended
    with pytest.raises(DomainError):
        services.suspend(admin, by=admin, reason="oops")
    assert services.unsuspend(member, by=admin) and not member.is_suspended
