"""Invitation emails go out only after the invitation is committed; a mail server failure loses nothing."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth import services
from app.auth.models import Invitation

NEW_PASSWORD = "a brand new password"
CLOSED_PORT = 1  # nothing listens on loopback port 1: the connection is refused


def _link_path(message) -> str:
    body = message.get_payload(0).get_payload(decode=True).decode()
    return re.search(r"https://\S+", body).group(0).split("community.teahouse.test", 1)[1]


def _invitation(db, email: str) -> Invitation:
    db.session.expire_all()
    return db.session.scalar(sa.select(Invitation).where(Invitation.email == email))


def _verbs(db) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.verb).order_by(AuditEvent.id)))


def _accept(client, path: str, name: str):
    return client.post(path, data={"display_name": name, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
                                   "consent": "y", "consent_version": "1"})


@pytest.fixture
def mail_down(app, smtp_server):
    """Point the app at a port nobody listens on; ``up()`` brings the loopback server back."""
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = CLOSED_PORT

    class Down:
        @staticmethod
        def up() -> None:
            app.config["MAIL_PORT"] = port

    yield Down
    Down.up()


@pytest.fixture
def mail_refusing(smtp_server):
    """The loopback server answers but refuses every message (554); ``up()`` makes it accept again."""

    async def refuse(server, session, envelope):
        return "554 Transaction failed"

    class Refusing:
        @staticmethod
        def up() -> None:
            vars(smtp_server).pop("handle_DATA", None)

    smtp_server.handle_DATA = refuse  # each new connection reads its hooks from the handler
    yield Refusing
    Refusing.up()


def test_invitation_is_committed_before_its_email_and_the_emailed_link_works(
        app, db, moderator_client, client, smtp_server, consent_factory, monkeypatch):
    from app.auth import views
    from app.mail import send_email

    consent_factory()
    committed_at_send = []

    def checking_send(to, *args, **kwargs):
        with db.engine.connect() as other:  # another connection sees committed rows only
            committed_at_send.append(other.scalar(sa.select(sa.func.count()).select_from(Invitation)
                                                  .where(Invitation.email == to)))
        send_email(to, *args, **kwargs)

    monkeypatch.setattr(views, "send_email", checking_send)
    response = moderator_client.post("/invitations/", data={"email": "friend@example.test", "role": "member"})
    assert response.status_code == 302 and committed_at_send == [1]
    invitation = _invitation(db, "friend@example.test")
    assert invitation.send_count == 1 and invitation.last_sent_at is not None
    assert b"Invitation sent to friend@example.test." in moderator_client.get("/invitations/").data
    path = _link_path(smtp_server.messages[0])
    assert client.get(path).status_code == 200
    assert _accept(client, path, "Friend").status_code == 302
    assert _invitation(db, "friend@example.test").status == "accepted"


@pytest.mark.parametrize("failure", ["mail_down", "mail_refusing"])
def test_failed_invitation_email_keeps_the_invitation_says_so_and_resend_delivers_it(
        request, db, moderator_client, client, smtp_server, consent_factory, failure):
    consent_factory()
    switch = request.getfixturevalue(failure)
    page = moderator_client.post("/invitations/", data={"email": "down@example.test", "role": "member"},
                                 follow_redirects=True)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "The invitation to down@example.test is saved, but the email could not be sent" in text
    assert "Use Resend to try again." in text and "Invitation sent to" not in text
    invitation = _invitation(db, "down@example.test")
    assert invitation.status == "open" and invitation.send_count == 0 and invitation.last_sent_at is None
    assert smtp_server.messages == [] and _verbs(db) == ["invitation.create"]

    switch.up()
    page = moderator_client.post(f"/invitations/{invitation.id}/resend", follow_redirects=True)
    assert page.status_code == 200 and b"Invitation sent to down@example.test again." in page.data
    invitation = _invitation(db, "down@example.test")
    assert invitation.send_count == 1 and invitation.last_sent_at is not None
    assert _verbs(db) == ["invitation.create", "invitation.resend"]
    path = _link_path(smtp_server.messages[-1])
    assert _accept(client, path, "Down Under").status_code == 302
    assert _invitation(db, "down@example.test").status == "accepted"


def test_failed_resend_keeps_the_invitation_open_its_counts_and_a_later_resend_works(
        app, db, moderator, moderator_client, client, smtp_server, consent_factory):
    consent_factory()
    moderator_client.post("/invitations/", data={"email": "again@example.test", "role": "member"},
                          follow_redirects=True)
    invitation = _invitation(db, "again@example.test")
    sent_at, first_link = invitation.last_sent_at, _link_path(smtp_server.messages[0])
    port, app.config["MAIL_PORT"] = app.config["MAIL_PORT"], CLOSED_PORT
    try:
        page = moderator_client.post(f"/invitations/{invitation.id}/resend", follow_redirects=True)
    finally:
        app.config["MAIL_PORT"] = port
    assert page.status_code == 200
    assert b"is saved, but the email could not be sent" in page.data and b"Invitation sent" not in page.data
    invitation = _invitation(db, "again@example.test")
    # The renewal is committed (and audited); only the send counters wait for a send that went through.
    assert invitation.status == "open" and invitation.send_count == 1 and invitation.last_sent_at == sent_at
    assert _verbs(db) == ["invitation.create", "invitation.resend"]
    assert len(smtp_server.messages) == 1
    assert client.get(first_link).status_code == 410  # the renewal replaced the token

    assert moderator_client.post(f"/invitations/{invitation.id}/resend").status_code == 302
    invitation = _invitation(db, "again@example.test")
    assert invitation.send_count == 2 and invitation.last_sent_at > sent_at
    assert _accept(client, _link_path(smtp_server.messages[-1]), "Again Friend").status_code == 302


def test_a_refused_invitation_sends_no_email(db, moderator_client, member, smtp_server):
    page = moderator_client.post("/invitations/", data={"email": member.email, "role": "member"})
    assert page.status_code == 200 and b"is already a member" in page.data
    assert smtp_server.messages == [] and db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0


def test_resending_an_accepted_invitation_is_refused_without_email(db, moderator, moderator_client, smtp_server):
    invitation, _token = services.create_invitation("done@example.test", by=moderator)
    invitation.accepted_at = services.utcnow()
    db.session.commit()
    page = moderator_client.post(f"/invitations/{invitation.id}/resend", follow_redirects=True)
    assert b"can no longer be resent" in page.data and smtp_server.messages == []
