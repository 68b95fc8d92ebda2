"""The admin area: categories, roles, suspensions and the consent text, all audited."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth.models import ConsentDocument
from app.forum.models import Category
from app.members.models import User


def _verbs(db):
    return set(db.session.scalars(sa.select(AuditEvent.verb)))


def test_admin_creates_and_edits_categories(admin_client, db):
    assert admin_client.post("/admin/categories/new", data={"name": "Skincare 护肤", "description": "All about skin",
                                                            "position": 2}).status_code == 302
    category = db.session.scalar(sa.select(Category))
    assert (category.name, category.position) == ("Skincare 护肤", 2)
    admin_client.post(f"/admin/categories/{category.id}/edit", data={"name": "Skincare", "position": 1})
    db.session.expire_all()
    assert db.session.get(Category, category.id).name == "Skincare"
    assert {"category.create", "category.update"} <= _verbs(db)


def test_category_errors_are_shown_and_input_kept(admin_client):
    page = admin_client.post("/admin/categories/new", data={"name": "x", "description": "kept text"})
    assert page.status_code == 200 and b"kept text" in page.data and b"error" in page.data


def test_role_change_is_audited_and_rotates_the_session(admin_client, member, db):
    token = member.session_token
    response = admin_client.post(f"/admin/users/{member.id}", data={"role": "moderator", "host_persona": "Warm host",
                                                                   "submit_role": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    changed = db.session.get(User, member.id)
    assert (changed.role, changed.host_persona) == ("moderator", "Warm host") and changed.session_token != token
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.verb == "user.set_role"))
    assert event.before["role"] == "member" and event.after["role"] == "moderator"


def test_admin_cannot_remove_own_admin_role(admin_client, admin):
    page = admin_client.post(f"/admin/users/{admin.id}", data={"role": "member", "submit_role": "1"})
    assert b"cannot remove your own admin role" in page.data


def test_suspend_and_unsuspend_from_admin(admin_client, member, db):
    admin_client.post(f"/admin/users/{member.id}", data={"days": "7", "reason": "Adverts", "submit": "1"})
    db.session.expire_all()
    assert db.session.get(User, member.id).is_suspended
    admin_client.post(f"/admin/users/{member.id}/unsuspend")
    db.session.expire_all()
    assert not db.session.get(User, member.id).is_suspended
    assert {"user.suspend", "user.unsuspend"} <= _verbs(db)


def test_a_member_suspended_from_the_admin_page_is_told_why_and_when_it_ends(admin_client, member, db):
    from app.members.notifications import Notification

    admin_client.post(f"/admin/users/{member.id}", data={"days": "7", "reason": "Adverts", "submit": "1"})
    admin_client.post(f"/admin/users/{member.id}/unsuspend")
    sent = db.session.scalars(sa.select(Notification).where(Notification.user_id == member.id)
                              .order_by(Notification.id)).all()
    assert [n.kind for n in sent] == ["suspended", "unsuspended"]
    assert "7 days" in sent[0].text and "Adverts" in sent[0].text


def test_publishing_consent_creates_the_next_version(admin_client, consent_factory, db):
    consent_factory()
    admin_client.post("/admin/consent", data={"body": "Version two of the consent."})
    versions = db.session.scalars(sa.select(ConsentDocument.version).order_by(ConsentDocument.version)).all()
    assert versions == [1, 2] and "consent.publish" in _verbs(db)


def test_consent_text_with_a_nul_character_is_refused_and_kept_in_the_form(admin_client, consent_factory, db):
    consent_factory()
    page = admin_client.post("/admin/consent", data={"body": "Version two\x00 of the consent."})
    assert page.status_code == 200 and "NUL character" in page.get_data(as_text=True)
    assert "Version two" in page.get_data(as_text=True)
    assert db.session.scalars(sa.select(ConsentDocument.version)).all() == [1]


def test_user_list_filters_by_role_and_search(admin_client, user_factory):
    user_factory(display_name="Findable Person", role="researcher")
    user_factory(display_name="Other Person")
    page = admin_client.get("/admin/users?role=researcher&q=findable")
    assert b"Findable Person" in page.data and b"Other Person" not in page.data


def test_dashboard_lists_recent_audit_events(admin_client, member, db):
    admin_client.post(f"/admin/users/{member.id}", data={"days": "1", "reason": "Cool down", "submit": "1"})
    assert b"user.suspend" in admin_client.get("/admin/").data


def test_set_role_refuses_an_admin_dropping_their_own_admin_role_but_not_another_admins(admin, user_factory, db):
    from app.core.exceptions import DomainError
    from app.members.services import set_role

    with pytest.raises(DomainError, match="own admin role"):
        set_role(admin, "member", by=admin)
    other = user_factory(role="admin")
    assert set_role(other, "moderator", by=admin) is True
