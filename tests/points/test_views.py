"""Points pages: a member's history, hosts' grants and VIP, levels and badges on posts and profiles."""
from __future__ import annotations

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.points.services import adjust_points


def test_members_see_their_own_points_but_not_others(member_client, member, user_factory):
    assert member_client.get(f"/u/{member.id}/points").status_code == 200
    assert member_client.get(f"/u/{user_factory().id}/points").status_code == 403
    grant = {"amount": "100", "reason": "Me", "direction": "grant", "submit_points": "1"}
    assert member_client.post(f"/u/{member.id}/points", data=grant).status_code == 403


def test_a_moderator_grants_points_and_the_form_keeps_bad_input(moderator_client, member, db):
    page = moderator_client.post(f"/u/{member.id}/points", data={"direction": "revoke", "amount": "5",
                                                                  "reason": "Spam entry", "submit_points": "1"})
    assert page.status_code == 200 and b"cannot go below zero" in page.data and b"Spam entry" in page.data
    page = moderator_client.post(f"/u/{member.id}/points", data={"direction": "grant", "amount": "many",
                                                                  "reason": "Kind words", "submit_points": "1"})
    assert page.status_code == 200 and b"has-error" in page.data and b"Kind words" in page.data
    response = moderator_client.post(f"/u/{member.id}/points", data={"direction": "grant", "amount": "25",
                                                                      "reason": "Kind words", "submit_points": "1"})
    assert response.status_code == 302
    page = moderator_client.get(f"/u/{member.id}/points").get_data(as_text=True)
    assert "+25" in page and "Kind words" in page


def test_a_moderator_makes_a_member_vip_and_the_badge_shows_on_posts(moderator_client, member_client, member,
                                                                     thread_factory, db):
    page = moderator_client.post(f"/u/{member.id}/points", data={"vip_reason": "", "submit_vip": "1"})
    assert page.status_code == 200 and b"has-error" in page.data
    assert moderator_client.post(f"/u/{member.id}/points", data={"vip_reason": "Insightful",
                                                                  "submit_vip": "1"}).status_code == 302
    db.session.refresh(member)
    assert member.is_vip
    thread = thread_factory(author=member)
    assert b'class="vip-badge"' in member_client.get(f"/t/{thread.id}").data
    assert db.session.scalar(sa.select(AuditEvent.reason).where(AuditEvent.verb == "user.vip_grant")) == "Insightful"


def test_posts_and_profiles_show_the_level_and_badges(member_client, member, moderator, thread_factory, db):
    thread = thread_factory(author=member)
    adjust_points(member, 100, by=moderator, reason="Welcome gift")
    db.session.commit()
    page = member_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Level 3 · Regular" in page
    profile = member_client.get(f"/u/{member.id}").get_data(as_text=True)
    assert "Level 3 · Regular" in profile and "First post" in profile and f"/u/{member.id}/points" in profile


def test_hosts_profiles_show_no_level(member_client, moderator):
    assert b"Level" not in member_client.get(f"/u/{moderator.id}").data


def test_the_vip_badge_shows_on_the_profile_until_a_host_removes_it(moderator_client, member_client, member, db):
    assert b'class="vip-badge"' not in member_client.get(f"/u/{member.id}").data
    assert moderator_client.post(f"/u/{member.id}/points", data={"vip_reason": "Insightful",
                                                                  "submit_vip": "1"}).status_code == 302
    assert b'class="vip-badge"' in member_client.get(f"/u/{member.id}").data
    assert moderator_client.post(f"/u/{member.id}/points", data={"vip_reason": "Quiet lately",
                                                                  "submit_vip": "1"}).status_code == 302
    assert b'class="vip-badge"' not in member_client.get(f"/u/{member.id}").data
    reasons = db.session.scalars(sa.select(AuditEvent.reason).where(AuditEvent.verb.like("user.vip_%"))
                                 .order_by(AuditEvent.id)).all()
    assert reasons == ["Insightful", "Quiet lately"]
