"""Account emails (password resets, invitations) go through the outbox: first in every batch, printed and filed
by the sender when no mail server is configured, in the recipient's language, never inline in a request."""
from __future__ import annotations

from email.header import decode_header, make_header
from pathlib import Path

from app.db import utcnow
from app.jobs.registry import get as get_job
from app.mailing import outbox
from app.mailing.models import OutboxStatus
from app.mailing.sender import send_due
from tests.mail.helpers import outbox_rows, parts, send_all


def _notice(user, key):
    outbox.queue(user, "reply", key, {"template": "notice", "category": "replies", "text": key, "url": "/t/1"})


def test_a_password_reset_jumps_the_queue_of_waiting_notices(app, db, client, member, smtp_server):
    for n in range(5):
        _notice(member, f"notice-{n}")
    db.session.commit()
    client.post("/reset", data={"email": member.email})
    saved, app.config["MAIL_BATCH_SIZE"] = app.config["MAIL_BATCH_SIZE"], 2
    try:
        assert send_due(utcnow()) == 2
    finally:
        app.config["MAIL_BATCH_SIZE"] = saved
    first, second = smtp_server.messages
    assert "/reset/" in parts(first)[0]  # queued last, sent first
    assert second["Subject"] == "[Teahouse] notice-0"
    assert [row.kind for row in outbox_rows(status=OutboxStatus.SENT)] == ["reply", "password_reset"]


def test_the_send_mail_job_runs_often_enough_for_a_reset_link_to_arrive_promptly(app):
    assert get_job("send_mail").interval_seconds(app) <= 30


def test_without_a_mail_server_account_emails_are_printed_and_filed_while_notices_wait(app, db, client, member,
                                                                                      caplog):
    import logging

    _notice(member, "waits for a server")
    db.session.commit()
    client.post("/reset", data={"email": member.email})
    before = set((Path(app.instance_path) / "outbox").glob("*.eml"))
    with caplog.at_level(logging.INFO, logger="teahouse.mail"):
        assert send_all() == 1
    (filed,) = set((Path(app.instance_path) / "outbox").glob("*.eml")) - before
    content = filed.read_bytes()
    assert member.email.encode() in content and b"/reset/" in content
    assert any("/reset/" in record.getMessage() and member.email in record.getMessage()
               for record in caplog.records)
    statuses = {row.kind: row.status for row in outbox_rows()}
    assert statuses == {"reply": OutboxStatus.QUEUED, "password_reset": OutboxStatus.SENT}


def test_a_reset_email_is_in_the_members_language_without_unsubscribe_or_footer(db, client, member, smtp_server):
    member.locale = "zh_Hans"
    db.session.commit()
    client.post("/reset", data={"email": member.email})
    assert send_all() == 1
    (message,) = smtp_server.messages
    text, html = parts(message)
    assert message["Content-Language"] == "zh-Hans" and 'lang="zh-Hans"' in html
    assert str(make_header(decode_header(message["Subject"]))) == "重置你的 Teahouse 密码"
    assert "有人申请重置你的密码" in text and "有人申请重置你的密码" in html
    assert "https://community.teahouse.test/reset/" in text and member.display_name in text
    assert "List-Unsubscribe" not in message and "/mail/unsubscribe/" not in text + html
    (row,) = outbox_rows()
    assert row.user_id == member.id and row.payload["url"] is None  # the sent link is not kept

