"""The spam filter's pages: the admin's record and allowed domains, the hosts' trust-level form, explained reasons."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.core.settings import get_setting
from app.db import utcnow
from app.forum.services import reply
from app.members.models import User
from app.moderation.spam import DEFAULT_ALLOWED_DOMAINS


def _newcomer(user_factory, db) -> User:
    user = user_factory()
    user.created_at = utcnow() - timedelta(hours=2)
    db.session.commit()
    return user


def test_admin_sees_the_filter_record_with_held_posts_and_rules(admin_client, db, thread_factory, user_factory):
    reply(thread_factory(), author=_newcomer(user_factory, db), body="加我微信 shop_2024 一手货源 http://cheap-bag.top")
    db.session.commit()
    page = admin_client.get("/admin/spam-filter")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Held for review" in text and "Precision" in text
    assert "a new member&#39;s first link" in text or "a new member's first link" in text


def test_members_and_hosts_cannot_open_the_filter_record(member_client, moderator_client):
    assert member_client.get("/admin/spam-filter").status_code in (302, 403, 404)
    assert moderator_client.get("/admin/spam-filter").status_code in (302, 403, 404)


def test_admin_saves_allowed_domains_audited(admin_client, db):
    response = admin_client.post("/admin/spam-filter", data={"domains": "https://www.Brand-Shop.cn/x\nexample.com"})
    assert response.status_code == 302
    assert get_setting("spam.allowed_domains") == ["brand-shop.cn", "example.com"]
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.verb == "settings.spam_domains"))
    assert event.after == {"domains": ["brand-shop.cn", "example.com"]}


def test_a_bad_domain_is_refused_on_the_page_and_what_was_typed_stays(admin_client):
    response = admin_client.post("/admin/spam-filter", data={"domains": "good.cn\nnot a domain"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "is not a domain" in text and "good.cn" in text
    assert get_setting("spam.allowed_domains", DEFAULT_ALLOWED_DOMAINS) == DEFAULT_ALLOWED_DOMAINS


def test_host_sets_a_members_trust_level_on_the_form(moderator_client, member, db):
    page = moderator_client.get(f"/mod/users/{member.id}/trust")
    assert page.status_code == 200 and "Trust level" in page.get_data(as_text=True)
    response = moderator_client.post(f"/mod/users/{member.id}/trust", data={"level": "2", "reason": "known buyer"})
    assert response.status_code == 302
    db.session.refresh(member)
    assert member.trust_level == 2 and member.trust_level_locked
    assert db.session.scalar(sa.select(AuditEvent.reason).where(AuditEvent.verb == "user.trust_level")) == "known buyer"


def test_a_bad_trust_level_is_refused_without_a_500(moderator_client, member, db):
    response = moderator_client.post(f"/mod/users/{member.id}/trust", data={"level": "9"})
    assert response.status_code == 200
    db.session.refresh(member)
    assert member.trust_level == 0 and not member.trust_level_locked


def test_members_cannot_set_trust_levels(member_client, user_factory, db):
    other = user_factory()
    assert member_client.post(f"/mod/users/{other.id}/trust", data={"level": "3"}).status_code in (302, 403, 404)
    db.session.refresh(other)
    assert other.trust_level == 0


def test_admin_member_page_shows_the_trust_level(admin_client, member):
    text = admin_client.get(f"/admin/users/{member.id}").get_data(as_text=True)
    assert "Trust level" in text and f"/mod/users/{member.id}/trust" in text


def test_queue_explains_why_a_post_was_held(moderator_client, db, thread_factory, user_factory):
    reply(thread_factory(), author=_newcomer(user_factory, db), body="兼职刷单日结，加我微信 job_2024 了解")
    db.session.commit()
    text = moderator_client.get("/mod/").get_data(as_text=True)
    assert "a WeChat id" in text and "classifier 0." in text
