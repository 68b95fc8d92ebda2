"""A member's question waiting past the community's promise: hosts on duty get one email, the list shows red."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.admin.services import save_category
from app.audit.models import AuditEvent
from app.db import utcnow
from app.mailing import alerts, preferences
from tests.mail.helpers import outbox_rows, parts, send_all


def _ask(db, thread_factory, member, hours_ago: float):
    category = save_category(None, by=None, name="Ask the hosts", description="", position=0, is_inquiry=True)
    db.session.commit()
    return thread_factory(category=category, author=member, title="Does this suit oily skin?",
                          now=utcnow() - timedelta(hours=hours_ago))


def test_hosts_on_duty_are_emailed_once_about_an_overdue_question(db, thread_factory, member, user_factory,
                                                                  smtp_server):
    host = user_factory(role="moderator", host_persona="Warm host")
    off_duty = user_factory(role="moderator", host_persona="Night host")
    preferences.set_choice(off_duty.id, "inquiry_alerts", preferences.NEVER)
    _ask(db, thread_factory, member, hours_ago=5)
    now = utcnow()
    assert alerts.alert_overdue_inquiries(now) == 1
    assert alerts.alert_overdue_inquiries(now + timedelta(minutes=10)) == 0  # once per question and host
    db.session.commit()
    send_all()
    [message] = smtp_server.messages
    assert message["To"] == host.email and "Does this suit oily skin?" in parts(message)[0]
    assert outbox_rows()[0].kind == "inquiry_alert"


def test_a_question_within_the_promise_alerts_nobody(db, thread_factory, member, moderator):
    _ask(db, thread_factory, member, hours_ago=3)
    assert alerts.alert_overdue_inquiries(utcnow()) == 0


def test_the_promise_is_an_admin_setting_and_the_list_shows_overdue_in_red(db, thread_factory, member, admin_client,
                                                                          moderator_client):
    _ask(db, thread_factory, member, hours_ago=3)
    assert 'class="overdue"' not in moderator_client.get("/mod/inquiries").get_data(as_text=True)
    response = admin_client.post("/admin/mail", data={"hours": "2"})
    assert response.status_code == 302 and alerts.promise_hours() == 2
    assert db.session.scalar(sa.select(AuditEvent.verb).where(AuditEvent.verb == "settings.inquiry_promise"))
    page = moderator_client.get("/mod/inquiries").get_data(as_text=True)
    assert 'class="overdue"' in page and "past our promise" in page


def test_a_nonsense_promise_is_refused_with_a_message(admin_client):
    response = admin_client.post("/admin/mail", data={"hours": "-3"})
    assert response.status_code == 200 and "Number must be between" in response.get_data(as_text=True)
    assert alerts.promise_hours() == alerts.DEFAULT_PROMISE_HOURS
