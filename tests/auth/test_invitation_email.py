"""Invitation emails are outbox rows committed with the invitation; the send_mail job delivers them, and a mail
server failure loses nothing."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth import services
from app.auth.models import Invitation
from app.mailing.models import OutboxStatus
from tests.mail.helpers import outbox_rows, send_all

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


def test_invitation_and_its_email_are_committed_together_and_the_emailed_link_works(
        app, db, moderator_client, client, smtp_server, consent_factory):
    consent_factory()
    response = moderator_client.post("/invitations/", data={"email": "friend@example.test", "role": "member"})
    assert response.status_code == 302 and smtp_server.messages == []  # the request only wrote rows
    with db.engine.connect() as other:  # another connection sees committed rows only
        assert other.scalar(sa.select(sa.func.count()).select_from(Invitation)
                            .where(Invitation.email == "friend@example.test")) == 1
    (row,) = outbox_rows(recipient="friend@example.test")
    assert row.kind == "invitation" and row.status == OutboxStatus.QUEUED and row.user_id is None
    assert b"The invitation to friend@example.test is queued" in moderator_client.get("/invitations/").data
    assert _invitation(db, "friend@example.test").send_count == 0  # counted when the server takes it

    assert send_all() == 1
    invitation = _invitation(db, "friend@example.test")
    assert invitation.send_count == 1 and invitation.last_sent_at is not None
    message = smtp_server.messages[0]
    assert message["To"] == "friend@example.test" and "List-Unsubscribe" not in message
    assert message["Subject"] == "You are invited to the Teahouse community"
    (row,) = outbox_rows(recipient="friend@example.test")
    assert row.status == OutboxStatus.SENT and row.payload["url"] is None  # the one-time link is not kept
    path = _link_path(message)
    assert client.get(path).status_code == 200
    assert _accept(client, path, "Friend").status_code == 302
    assert _invitation(db, "friend@example.test").status == "accepted"


@pytest.mark.parametrize("failure", ["mail_down", "mail_refusing"])
def test_failed_invitation_email_keeps_the_invitation_is_retried_and_resend_delivers_it(
        request, db, moderator_client, client, smtp_server, consent_factory, failure):
    consent_factory()
    switch = request.getfixturevalue(failure)
    page = moderator_client.post("/invitations/", data={"email": "down@example.test", "role": "member"},
                                 follow_redirects=True)
    assert page.status_code == 200
    assert "The invitation to down@example.test is queued" in page.get_data(as_text=True)
    assert send_all() == 0
    invitation = _invitation(db, "down@example.test")
    assert invitation.status == "open" and invitation.send_count == 0 and invitation.last_sent_at is None
    assert smtp_server.messages == [] and _verbs(db) == ["invitation.create"]
    (first,) = outbox_rows(recipient="down@example.test")
    assert first.status == OutboxStatus.QUEUED and first.attempts == 1 and first.last_error

    switch.up()
    page = moderator_client.post(f"/invitations/{invitation.id}/resend", follow_redirects=True)
    assert page.status_code == 200 and b"The invitation to down@example.test is queued again" in page.data
    assert send_all() == 1
    invitation = _invitation(db, "down@example.test")
    assert invitation.send_count == 1 and invitation.last_sent_at is not None
    assert _verbs(db) == ["invitation.create", "invitation.resend"]
    old, new = outbox_rows(recipient="down@example.test")
    assert old.status == OutboxStatus.FAILED and "newer invitation link" in old.last_error  # its link is dead
    assert new.status == OutboxStatus.SENT and len(smtp_server.messages) == 1
    path = _link_path(smtp_server.messages[-1])
    assert _accept(client, path, "Down Under").status_code == 302
    assert _invitation(db, "down@example.test").status == "accepted"


def test_failed_resend_keeps_the_invitation_open_its_counts_and_a_later_resend_works(
        app, db, moderator, moderator_client, client, smtp_server, consent_factory):
    consent_factory()
    moderator_client.post("/invitations/", data={"email": "again@example.test", "role": "member"},
                          follow_redirects=True)
    send_all()
    invitation = _invitation(db, "again@example.test")
    sent_at, first_link = invitation.last_sent_at, _link_path(smtp_server.messages[0])
    port, app.config["MAIL_PORT"] = app.config["MAIL_PORT"], CLOSED_PORT
    try:
        page = moderator_client.post(f"/invitations/{invitation.id}/resend", follow_redirects=True)
        assert send_all() == 0
    finally:
        app.config["MAIL_PORT"] = port
    assert page.status_code == 200 and b"is queued again" in page.data
    invitation = _invitation(db, "again@example.test")
    # The renewal is committed (and audited); only the send counters wait for a send that went through.
    assert invitation.status == "open" and invitation.send_count == 1 and invitation.last_sent_at == sent_at
    assert _verbs(db) == ["invitation.create", "invitation.resend"]
    assert len(smtp_server.messages) == 1
    assert client.get(first_link).status_code == 410  # the renewal replaced the token

    assert moderator_client.post(f"/invitations/{invitation.id}/resend").status_code == 302
    assert send_all() == 1
    invitation = _invitation(db, "again@example.test")
    assert invitation.send_count == 2 and invitation.last_sent_at > sent_at
    assert _accept(client, _link_path(smtp_server.messages[-1]), "Again Friend").status_code == 302


def test_an_invitation_request_with_an_unreachable_mail_server_returns_at_once_and_leaves_a_queued_row(
        app, db, moderator_client, consent_factory):
    import socket
    import time

    consent_factory()
    with socket.socket() as silent:  # a "mail server" that takes connections and never says hello
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=silent.getsockname()[1], MAIL_TIMEOUT=30)
        try:
            started = time.monotonic()
            page = moderator_client.post("/invitations/", data={"email": "fast@example.test", "role": "member"})
            waited = time.monotonic() - started
        finally:
            app.config.update(MAIL_SERVER=None, MAIL_PORT=25, MAIL_TIMEOUT=10)
        silent.setblocking(False)
        with pytest.raises(BlockingIOError):  # nobody knocked: the request made no SMTP connection
            silent.accept()
    assert page.status_code == 302 and waited < 15  # far inside the 30 s an SMTP attempt would have hung
    (row,) = outbox_rows(recipient="fast@example.test")
    assert row.status == OutboxStatus.QUEUED and row.attempts == 0 and row.claimed_at is None


def test_a_refused_invitation_sends_no_email(db, moderator_client, member, smtp_server):
    page = moderator_client.post("/invitations/", data={"email": member.email, "role": "member"})
    assert page.status_code == 200 and b"is already a member" in page.data
    assert send_all() == 0 and outbox_rows() == []
    assert smtp_server.messages == [] and db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0


def test_resending_an_accepted_invitation_is_refused_without_email(db, moderator, moderator_client, smtp_server):
    invitation, _token = services.create_invitation("done@example.test", by=moderator)
    invitation.accepted_at = services.utcnow()
    db.session.commit()
    page = moderator_client.post(f"/invitations/{invitation.id}/resend", follow_redirects=True)
    assert b"can no longer be resent" in page.data
    assert send_all() == 0 and outbox_rows() == [] and smtp_server.messages == []


def test_the_invitation_list_shows_an_email_that_is_not_out_yet_and_one_that_failed(
        app, db, moderator_client, smtp_server, consent_factory, mail_refusing):
    consent_factory()
    moderator_client.post("/invitations/", data={"email": "late@example.test", "role": "member"})
    assert send_all() == 0
    page = moderator_client.get("/invitations/").get_data(as_text=True)
    assert "The email is not out yet" in page and "554" in page
    assert len(outbox_rows(recipient="late@example.test")) == 1
    for _attempt in range(app.config["MAIL_MAX_ATTEMPTS"] - 1):
        send_all(outbox_rows(recipient="late@example.test")[0].next_try_at)
    assert outbox_rows(recipient="late@example.test")[0].status == OutboxStatus.FAILED
    page = moderator_client.get("/invitations/").get_data(as_text=True)
    assert "The email could not be sent" in page and "Use Resend to try again." in page

    mail_refusing.up()
    invitation = _invitation(db, "late@example.test")
    moderator_client.post(f"/invitations/{invitation.id}/resend")
    assert send_all() == 1
    page = moderator_client.get("/invitations/").get_data(as_text=True)
    assert "could not be sent" not in page and "not out yet" not in page


def test_revoking_an_invitation_stops_its_waiting_email(db, moderator_client, consent_factory, smtp_server,
                                                        mail_down):
    consent_factory()
    moderator_client.post("/invitations/", data={"email": "gone@example.test", "role": "member"})
    invitation = _invitation(db, "gone@example.test")
    assert moderator_client.post(f"/invitations/{invitation.id}/revoke").status_code == 302
    mail_down.up()
    assert send_all() == 0 and smtp_server.messages == []
    (row,) = outbox_rows(recipient="gone@example.test")
    assert row.status == OutboxStatus.FAILED and row.last_error == "The invitation was revoked."
