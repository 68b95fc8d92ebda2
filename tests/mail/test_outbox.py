"""The outbox: a row per email written with its event, sent over real SMTP, retried with backoff, deduplicated."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.db import utcnow
from app.extensions import db as _db
from app.mailing import outbox, sender
from app.mailing.models import OutboxMessage, OutboxStatus
from app.members.notifications import notify
from tests.mail.helpers import links, outbox_rows, parts, send_all


def _queue(user, key="k1", text="Hello there"):
    return outbox.queue(user, "reply", key, {"template": "notice", "category": "replies", "text": text,
                                             "url": "/t/1"})


def test_a_notification_queues_its_email_in_the_same_transaction(db, member):
    notify(member.id, "reply", "Kim replied to “Tea”", url="/p/1")
    db.session.rollback()
    assert outbox_rows() == []  # rolled back with the event: no email for an event that did not happen
    notify(member.id, "reply", "Kim replied to “Tea”", url="/p/1")
    db.session.commit()
    [row] = outbox_rows()
    assert (row.user_id, row.kind, row.status, row.recipient) == (member.id, "reply", "queued", member.email)


def test_the_same_dedupe_key_queues_one_email(db, member):
    assert _queue(member) is not None
    assert _queue(member) is None
    notify(member.id, "reply", "same", url="/p/2")
    notify(member.id, "reply", "same", url="/p/2")
    db.session.commit()
    assert len(outbox_rows()) == 2


def test_nothing_is_sent_by_the_request_and_the_job_sends_multipart_mail(db, member, smtp_server):
    _queue(member, text="Kim replied to “Lipstick”")
    db.session.commit()
    assert smtp_server.messages == []
    assert send_all() == 1
    [message] = smtp_server.messages
    text, html = parts(message)
    assert "Kim replied to “Lipstick”" in text and "Kim replied to “Lipstick”" in html
    assert message["Subject"].startswith("[Teahouse]")
    assert all(link.startswith("https://community.teahouse.test/") for link in links(text) + links(html))
    assert message["List-Unsubscribe"].startswith("<https://community.teahouse.test/mail/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "<img" not in html  # no tracking pixels
    [row] = outbox_rows()
    assert row.status == OutboxStatus.SENT and row.sent_at is not None and row.claimed_at is None


def test_email_is_written_in_the_members_language(db, user_factory, smtp_server):
    member = user_factory(role="member")
    member.locale = "zh_Hans"
    _queue(member, text="金回复了")
    db.session.commit()
    send_all()
    text, html = parts(smtp_server.messages[0])
    assert "选择您接收的邮件" in text and 'lang="zh-Hans"' in html
    assert smtp_server.messages[0]["Content-Language"] == "zh-Hans"


def test_without_a_mail_server_rows_wait_queued(app, db, member):
    _queue(member)
    db.session.commit()
    assert app.config["MAIL_SERVER"] is None
    assert sender.send_due(utcnow()) == 0
    assert outbox_rows()[0].status == OutboxStatus.QUEUED


@pytest.fixture
def refusing(smtp_server):
    async def refuse(server, session, envelope):
        return "554 5.7.1 Message rejected by policy"

    smtp_server.handle_DATA = refuse
    yield smtp_server
    vars(smtp_server).pop("handle_DATA", None)


def test_smtp_failures_are_retried_with_backoff_then_marked_failed(app, db, member, refusing):
    _queue(member)
    db.session.commit()
    now = utcnow()
    waits = []
    for _attempt in range(app.config["MAIL_MAX_ATTEMPTS"]):
        assert sender.send_due(now) == 0
        row = outbox_rows()[0]
        if row.status == OutboxStatus.QUEUED:
            waits.append(row.next_try_at - now)
            assert sender.send_due(now) == 0  # not due again before its wait
            now = row.next_try_at
    assert waits == [timedelta(seconds=60 * 2 ** i) for i in range(app.config["MAIL_MAX_ATTEMPTS"] - 1)]
    assert row.status == OutboxStatus.FAILED and row.attempts == app.config["MAIL_MAX_ATTEMPTS"]
    assert "554" in row.last_error and "rejected by policy" in row.last_error


def test_a_mail_server_that_is_down_counts_as_a_failed_attempt(app, db, member, smtp_server):
    _queue(member)
    db.session.commit()
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = 1  # nothing listens there
    try:
        assert sender.send_due(utcnow()) == 0
    finally:
        app.config["MAIL_PORT"] = port
    row = outbox_rows()[0]
    assert row.status == OutboxStatus.QUEUED and row.attempts == 1 and "ConnectionRefused" in row.last_error


def test_failed_mail_is_shown_to_admins_with_the_error_and_retried_by_them(app, db, member, admin_client, refusing):
    _queue(member)
    db.session.commit()
    app.config["MAIL_MAX_ATTEMPTS"], saved = 1, app.config["MAIL_MAX_ATTEMPTS"]
    try:
        sender.send_due(utcnow())
    finally:
        app.config["MAIL_MAX_ATTEMPTS"] = saved
    page = admin_client.get("/admin/mail?status=failed").get_data(as_text=True)
    assert member.email in page and "rejected by policy" in page
    row = outbox_rows()[0]
    vars(refusing).pop("handle_DATA", None)
    response = admin_client.post(f"/admin/mail/{row.id}/retry")
    assert response.status_code == 302
    assert outbox_rows()[0].status == OutboxStatus.QUEUED
    assert db.session.scalar(sa.select(AuditEvent.verb).where(AuditEvent.verb == "mail.retry")) == "mail.retry"
    assert send_all() == 1 and len(refusing.messages) == 1


def test_members_cannot_see_the_outbox(member_client):
    assert member_client.get("/admin/mail").status_code in (302, 403)


def test_per_member_limit_defers_the_rest_to_the_next_hour(app, db, member, smtp_server):
    app.config["MAIL_MEMBER_HOURLY_LIMIT"], saved = 2, app.config["MAIL_MEMBER_HOURLY_LIMIT"]
    try:
        for i in range(3):
            _queue(member, key=f"k{i}", text=f"news {i}")
        db.session.commit()
        now = utcnow()
        assert send_all(now) == 2
        waiting = outbox_rows(status=OutboxStatus.QUEUED)
        assert len(waiting) == 1 and waiting[0].next_try_at > now + timedelta(minutes=59)
    finally:
        app.config["MAIL_MEMBER_HOURLY_LIMIT"] = saved


def test_global_limit_caps_each_minute(app, db, user_factory, smtp_server):
    app.config["MAIL_GLOBAL_PER_MINUTE"], saved = 3, app.config["MAIL_GLOBAL_PER_MINUTE"]
    try:
        for i in range(5):
            _queue(user_factory(role="member"), key=f"g{i}")
        db.session.commit()
        now = utcnow()
        assert send_all(now) == 3
        assert send_all(now + timedelta(minutes=2)) == 2
    finally:
        app.config["MAIL_GLOBAL_PER_MINUTE"] = saved


def test_a_sender_that_crashed_after_claiming_leaves_rows_for_the_next_sender(app, db, user_factory, smtp_server):
    for i in range(4):
        _queue(user_factory(role="member"), key=f"c{i}")
    db.session.commit()
    now = utcnow()
    claimed = sender.claim(now, holder="dead-sender", limit=10)
    assert len(claimed) == 4
    _db.session.remove()  # the sender died here: claimed, nothing sent, nothing more committed
    assert sender.send_due(now + timedelta(seconds=10)) == 0  # the claim is still fresh: not sent twice
    later = now + timedelta(seconds=app.config["MAIL_CLAIM_SECONDS"] + 1)
    assert send_all(later) == 4
    assert len(smtp_server.messages) == 4 and {m["Message-ID"] for m in smtp_server.messages} == {
        m["Message-ID"] for m in smtp_server.messages}
    assert all(row.status == OutboxStatus.SENT for row in outbox_rows())


def test_a_sent_row_is_never_sent_again(db, member, smtp_server):
    _queue(member)
    db.session.commit()
    send_all()
    row = outbox_rows()[0]
    row.claimed_at = None
    db.session.commit()
    assert send_all(utcnow() + timedelta(days=1)) == 0 and len(smtp_server.messages) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1
