"""Invitations, registration with consent, login, logout, rate limits, password reset and sessions."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth import services
from app.auth.models import Invitation
from app.core.exceptions import DomainError
from app.db import utcnow
from app.members.accounts import change_password
from app.members.models import User
from tests.factories import DEFAULT_PASSWORD
from tests.mail.helpers import outbox_rows, send_all

NEW_PASSWORD = "a brand new password"


def _link(message) -> str:
    body = message.get_payload(0).get_payload(decode=True).decode()
    return re.search(r"https?://\S+", body).group(0)


# --- invitations -------------------------------------------------------------------------------------------

def test_invitation_is_single_use_and_expires_after_14_days(db, admin, consent_factory):
    consent_factory()
    invitation, _token = services.create_invitation("new@example.test", by=admin)
    assert invitation.expires_at - invitation.created_at == timedelta(days=14)
    user = services.accept_invitation(invitation, display_name="Newbie", password=NEW_PASSWORD, consent_version=1)
    assert user.role == "member" and invitation.status == "accepted"
    with pytest.raises(DomainError):
        services.accept_invitation(invitation, display_name="Again", password=NEW_PASSWORD, consent_version=1)
    other, _ = services.create_invitation("late@example.test", by=admin)
    other.expires_at = utcnow() - timedelta(seconds=1)
    assert other.status == "expired" and not other.is_usable


def test_only_the_token_hash_is_stored(db, admin):
    invitation, token = services.create_invitation("x@example.test", by=admin)
    assert token not in invitation.token_hash and services.find_invitation(token) is invitation


def test_moderators_invite_members_only_admins_any_role(db, moderator, admin):
    with pytest.raises(DomainError):
        services.create_invitation("mod@example.test", role="moderator", by=moderator)
    services.create_invitation("member@example.test", by=moderator)
    assert services.create_invitation("mod@example.test", role="moderator", by=admin)[0].role == "moderator"


def test_inviting_an_existing_member_is_refused(db, admin, member):
    with pytest.raises(DomainError) as error:
        services.create_invitation(member.email.upper(), by=admin)
    assert error.value.field == "email"


def test_resend_gives_a_new_link_and_kills_the_old(db, admin):
    invitation, old = services.create_invitation("r@example.test", by=admin)
    new = services.renew_invitation_token(invitation, by=admin)
    assert services.find_invitation(old) is None and services.find_invitation(new) is invitation


def test_revoked_invitation_cannot_be_used(db, admin, client, consent_factory):
    consent_factory()
    invitation, token = services.create_invitation("v@example.test", by=admin)
    assert services.revoke_invitation(invitation, by=admin)
    db.session.commit()
    assert client.get(f"/invite/{token}").status_code == 410
    assert {"invitation.create", "invitation.revoke"} <= set(db.session.scalars(sa.select(AuditEvent.verb)))


def test_stale_consent_version_is_refused(db, admin, consent_factory):
    consent_factory()
    invitation, _ = services.create_invitation("c@example.test", by=admin)
    consent_factory(body="A newer text")
    with pytest.raises(DomainError) as error:
        services.accept_invitation(invitation, display_name="Late", password=NEW_PASSWORD, consent_version=1)
    assert error.value.field == "consent"


def test_registration_form_stores_consent_and_logs_in(db, admin, client, consent_factory):
    consent_factory()
    _, token = services.create_invitation("form@example.test", by=admin)
    db.session.commit()
    response = client.post(f"/invite/{token}", data={"display_name": "Form User", "password": NEW_PASSWORD,
                                                     "confirm": NEW_PASSWORD, "consent": "y", "consent_version": "1"})
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "form@example.test"))
    assert user.consent_version == 1 and user.consent_at is not None
    assert client.get("/settings").status_code == 200


def test_registration_errors_keep_what_was_typed(db, admin, client, consent_factory, user_factory):
    consent_factory()
    user_factory(display_name="Taken Name")
    _, token = services.create_invitation("keep@example.test", by=admin)
    db.session.commit()
    page = client.post(f"/invite/{token}", data={"display_name": "taken name", "password": NEW_PASSWORD,
                                                 "confirm": NEW_PASSWORD, "consent": "y", "consent_version": "1"})
    assert page.status_code == 200
    assert b"That display name is taken" in page.data and b'value="taken name"' in page.data
    page = client.post(f"/invite/{token}", data={"display_name": "Fresh", "password": NEW_PASSWORD,
                                                 "confirm": NEW_PASSWORD, "consent_version": "1"})
    assert b"You need to agree to take part" in page.data and b'value="Fresh"' in page.data


def test_there_is_no_other_way_to_register(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert not {e for e in endpoints if "register" in e or "signup" in e}


# --- login, logout, sessions ---------------------------------------------------------------------------

def test_login_and_logout(client, auth, member):
    response = auth.login(member.email, DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert client.get("/settings").status_code == 200
    assert auth.logout().status_code == 302
    assert client.get("/settings").status_code == 302


def test_wrong_password_gets_a_clear_message_and_keeps_the_email(client, auth, member):
    page = auth.login(member.email, "wrong password!")
    assert page.status_code == 200 and b"do not match an account" in page.data
    assert member.email.encode() in page.data


def test_suspended_member_is_told_why_at_login(db, client, auth, member, admin):
    from app.members.services import suspend

    suspend(member, by=admin, reason="Posting adverts", days=7)
    db.session.commit()
    page = auth.login(member.email, DEFAULT_PASSWORD)
    assert b"suspended" in page.data and b"Posting adverts" in page.data
    assert client.get("/settings").status_code == 302


def test_remember_me_sets_a_remember_cookie(client, auth, member):
    response = auth.login(member.email, DEFAULT_PASSWORD, remember="y")
    assert any(c.startswith("remember_token=") for c in response.headers.getlist("Set-Cookie"))


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:x"])
def test_next_only_follows_same_site_paths(client, auth, member, target):
    response = client.post(f"/login?next={target}", data={"email": member.email, "password": DEFAULT_PASSWORD})
    assert response.headers["Location"] in ("/", "/threads")


def test_next_brings_the_member_back(client, member):
    response = client.post("/login?next=/settings", data={"email": member.email, "password": DEFAULT_PASSWORD})
    assert response.headers["Location"] == "/settings"


def test_login_is_rate_limited_with_a_clear_page(app, client, member):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        statuses = [client.post("/login", data={"email": member.email, "password": "nope nope"}).status_code
                    for _ in range(4)]
        page = client.post("/login", data={"email": member.email, "password": "nope nope"})
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"
    assert statuses[:3] == [200, 200, 200] and statuses[3] == 429
    assert b"Too many attempts" in page.data


def test_password_change_ends_other_sessions(app, db, member):
    from tests.conftest import login_as

    old = login_as(app.test_client(), member)
    change_password(member, NEW_PASSWORD)
    db.session.commit()
    assert old.get("/settings").status_code == 302


# --- password reset through a real SMTP server ----------------------------------------------------------

def test_reset_link_arrives_by_smtp_and_works_once(db, client, member, smtp_server):
    response = client.post("/reset", data={"email": member.email})
    assert response.status_code == 302
    assert smtp_server.messages == [] and send_all() == 1  # queued by the request, sent by the send_mail job
    assert len(smtp_server.messages) == 1 and smtp_server.messages[0]["To"] == member.email
    link = _link(smtp_server.messages[0])
    assert link.startswith("https://community.teahouse.test/reset/")
    path = link.split("community.teahouse.test", 1)[1]
    assert client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    db.session.expire_all()
    assert services.authenticate(member.email, NEW_PASSWORD) is not None
    again = client.get(path)
    assert again.status_code == 302 and "/reset" in again.headers["Location"]


def test_reset_with_the_mail_server_down_answers_as_always_and_logs_the_failure(app, client, member, smtp_server,
                                                                              caplog):
    port, app.config["MAIL_PORT"] = app.config["MAIL_PORT"], 1  # nothing listens on loopback port 1
    response = client.post("/reset", data={"email": member.email}, follow_redirects=True)
    unknown = client.post("/reset", data={"email": "nobody@example.test"}, follow_redirects=True)
    assert response.status_code == unknown.status_code == 200
    assert "a reset link is on its way" in response.get_data(as_text=True)
    assert response.get_data(as_text=True) == unknown.get_data(as_text=True)
    assert send_all() == 0
    assert any("mail server unavailable" in r.getMessage() for r in caplog.records)
    (row,) = outbox_rows(recipient=member.email)
    assert row.kind == "password_reset" and row.status == "queued" and row.attempts == 1 and row.last_error
    assert smtp_server.messages == []
    app.config["MAIL_PORT"] = port  # the server is back: the retry delivers the link
    assert send_all(row.next_try_at) == 1 and smtp_server.messages[0]["To"] == member.email
    assert "/reset/" in _link(smtp_server.messages[0])


def test_reset_never_reveals_whether_an_email_is_registered(client, member, smtp_server):
    known = client.post("/reset", data={"email": member.email}, follow_redirects=True)
    unknown = client.post("/reset", data={"email": "nobody@example.test"}, follow_redirects=True)
    assert known.data.replace(member.email.encode(), b"") == unknown.data.replace(b"nobody@example.test", b"")
    send_all()
    assert len(smtp_server.messages) == 1


def test_invitation_email_goes_through_smtp(db, moderator_client, smtp_server):
    response = moderator_client.post("/invitations/", data={"email": "friend@example.test", "role": "member"})
    assert response.status_code == 302
    send_all()
    message = smtp_server.messages[0]
    assert message["To"] == "friend@example.test" and "/invite/" in _link(message)


def test_without_smtp_the_email_goes_to_the_outbox(app, db, moderator_client):
    from pathlib import Path

    moderator_client.post("/invitations/", data={"email": "offline@example.test", "role": "member"})
    assert send_all() == 1  # the send_mail job writes it, as it would send it
    outbox = list((Path(app.instance_path) / "outbox").glob("*.eml"))
    assert any(b"offline@example.test" in path.read_bytes() for path in outbox)


def test_smtp_failure_is_retried_by_the_job_not_a_500(app, db, moderator_client):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)
    try:
        page = moderator_client.post("/invitations/", data={"email": "down@example.test", "role": "member"})
        assert send_all() == 0
    finally:
        app.config.update(MAIL_SERVER=None, MAIL_PORT=25)
    assert page.status_code == 302 and b"is queued" in moderator_client.get("/invitations/").data
    assert db.session.scalar(sa.select(Invitation.send_count)) == 0  # kept, for Resend (test_invitation_email.py)
    (row,) = outbox_rows(recipient="down@example.test")
    assert row.status == "queued" and row.attempts == 1 and "ConnectionRefusedError" in row.last_error


def test_invitation_list_resend_and_revoke_views(db, moderator_client, moderator):
    invitation, _ = services.create_invitation("list@example.test", by=moderator)
    db.session.commit()
    assert b"list@example.test" in moderator_client.get("/invitations/").data
    assert moderator_client.post(f"/invitations/{invitation.id}/resend").status_code == 302
    assert moderator_client.post(f"/invitations/{invitation.id}/revoke").status_code == 302
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).status == "revoked"
