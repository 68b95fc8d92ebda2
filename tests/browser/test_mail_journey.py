"""Browser: a member sets their email preferences in English and in Chinese; a host opens a task for a segment,
sees how many members it reaches, and sends the invitations."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.db import utcnow
from app.mailing import preferences
from app.segments.models import MemberSegment
from app.segments.services import save_attribute
from app.tasks import services as tasks
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser


def _log_in(page, base_url, user) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_member_sets_email_preferences_in_english_and_in_chinese(page, base_url, db, user_factory):
    member = user_factory(display_name="Lin Yue")
    _log_in(page, base_url, member)
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Email notifications and digest").click()
    page.get_by_label("Replies to my threads").select_option(label="In my digest")
    page.get_by_label("Digest").select_option(label="Daily")
    page.get_by_role("button", name="Save email preferences").click()
    expect(page.get_by_text("Your email preferences are saved.")).to_be_visible()
    expect(page.get_by_label("Replies to my threads")).to_have_value("digest")

    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Language").select_option(label="简体中文")
    page.get_by_role("button", name="Save settings").click()
    page.get_by_role("link", name="邮件通知与摘要").click()
    expect(page.get_by_role("heading", name="邮件偏好")).to_be_visible()
    page.get_by_label("引用我和 @提到我").select_option(label="从不发邮件")
    page.get_by_role("button", name="保存邮件偏好").click()
    expect(page.get_by_text("您的邮件偏好已保存。")).to_be_visible()

    db.session.expire_all()
    modes = preferences.choices(member.id)
    assert (modes["replies"], modes["mentions"], modes["digest"]) == ("digest", "never", "daily")


def test_a_host_opens_a_task_for_a_segment_and_sees_the_reach_before_sending(page, base_url, db, user_factory,
                                                                            moderator):
    attribute = save_attribute(None, by=None, key="city_tier", label="City tier", values=["Tier 1", "Tier 2"],
                               member_editable=True)
    db.session.commit()
    tier1, tier2 = attribute.values
    for value, count in ((tier1, 3), (tier2, 2)):
        for _ in range(count):
            db.session.add(MemberSegment(user_id=user_factory().id, attribute_id=attribute.id, value_id=value.id))
    now = utcnow()
    task = tasks.save_task(None, by=moderator, title="Your morning routine", instructions="Tell us.",
                           opens_at=now - timedelta(hours=1), due_at=now + timedelta(days=2), min_photos=0,
                           points=10, is_masked=True)
    db.session.commit()

    _log_in(page, base_url, moderator)
    page.goto(f"{base_url}/tasks/{task.id}")
    page.get_by_role("link", name="Invite members").click()
    page.get_by_label("Who to invite").select_option(label="City tier: Tier 1")
    expect(page.get_by_role("button", name="Send invitations")).to_have_count(0)  # the reach comes first
    page.get_by_role("button", name="Preview reach").click()
    expect(page.get_by_role("status")).to_have_text("This reaches 3 members.")
    page.get_by_role("button", name="Send invitations").click()
    expect(page.get_by_text("Invitations sent to 3 members.")).to_be_visible()
    expect(page).to_have_url(f"{base_url}/tasks/{task.id}")


def test_a_host_invites_someone_and_the_send_mail_job_delivers_the_link(page, base_url, db, moderator,
                                                                      consent_factory, smtp_server):
    import re

    from tests.mail.helpers import send_all, text_body

    consent_factory()
    _log_in(page, base_url, moderator)
    page.goto(f"{base_url}/invitations/")
    page.get_by_label("Email").fill("newcomer@example.test")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("The invitation to newcomer@example.test is queued")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="newcomer@example.test")
    expect(row).to_contain_text("0 times")  # the request only queued it
    assert smtp_server.messages == []

    assert send_all() == 1  # the scheduler's send_mail job
    page.reload()
    expect(page.get_by_role("row").filter(has_text="newcomer@example.test")).to_contain_text("1 time")
    body = text_body(smtp_server.messages[0])
    path = re.search(r"https://community\.teahouse\.test(/invite/\S+)", body).group(1)
    visitor = page.context.browser.new_context()
    try:
        invitee = visitor.new_page()
        invitee.goto(f"{base_url}{path}")
        expect(invitee.get_by_label("Display name")).to_be_visible()
    finally:
        visitor.close()
