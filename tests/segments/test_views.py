"""Segment pages: admins define attributes, set a member's values, import CSV; members answer in settings."""
from __future__ import annotations

import io

import sqlalchemy as sa

from app.segments import services
from app.segments.models import MemberSegment, SegmentAttribute


def _attribute(admin, db, *, editable=True):
    attribute = services.save_attribute(None, by=admin, key="age_band", label="Age band", values=["18-24", "25-34"],
                                        member_editable=editable)
    db.session.commit()
    return attribute


def test_admins_define_and_edit_attributes(admin_client, db):
    response = admin_client.post("/admin/segments", data={"key": "city_tier", "label": "City tier",
                                                          "values": "Tier 1\nTier 2\n", "member_editable": "y",
                                                          "position": "0", "submit": "1"})
    assert response.status_code == 302
    attribute = db.session.scalar(sa.select(SegmentAttribute))
    assert [v.value for v in attribute.values] == ["Tier 1", "Tier 2"]
    page = admin_client.get(f"/admin/segments/{attribute.id}").get_data(as_text=True)
    assert "Tier 1\nTier 2" in page
    page = admin_client.post(f"/admin/segments/{attribute.id}", data={"key": "Bad Key", "label": "City tier",
                                                                      "values": "Tier 1", "position": "0"})
    assert page.status_code == 200 and b"lowercase" in page.data and b"Bad Key" in page.data


def test_only_admins_reach_the_segment_pages(member_client, moderator_client, researcher_client):
    for client in (member_client, moderator_client, researcher_client):
        assert client.get("/admin/segments").status_code == 403


def test_members_answer_in_their_settings_and_bad_values_are_refused(member_client, member, admin, db):
    attribute = _attribute(admin, db)
    page = member_client.get("/settings").get_data(as_text=True)
    assert "About you" in page and "Prefer not to say" in page and "25-34" in page
    field = f"attr_{attribute.id}"
    response = member_client.post("/settings/segments", data={field: str(attribute.values[1].id)})
    assert response.status_code == 302
    assert services.segments_for([member.id]) == {member.id: {"age_band": "25-34"}}
    page = member_client.post("/settings/segments", data={field: "987654"})
    assert page.status_code == 200 and b"Not a valid choice" in page.data and b"Display name" in page.data
    assert member_client.post("/settings/segments", data={field: ""}).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MemberSegment)) == 0


def test_admin_only_attributes_are_not_in_members_settings(member_client, admin, db):
    _attribute(admin, db, editable=False)
    assert b"About you" not in member_client.get("/settings").data


def test_admins_set_a_members_values_by_email(admin_client, member, admin, db):
    attribute = _attribute(admin, db, editable=False)
    assert b"No member has this email" in admin_client.get("/admin/segments/member?email=nobody@x.test").data
    page = admin_client.get(f"/admin/segments/member?email={member.email}")
    assert page.status_code == 200 and b"Age band" in page.data
    response = admin_client.post(f"/admin/segments/member?email={member.email}",
                                 data={f"attr_{attribute.id}": str(attribute.values[0].id)})
    assert response.status_code == 302
    assert services.segments_for([member.id]) == {member.id: {"age_band": "18-24"}}


def test_the_import_page_lists_errors_and_applies_nothing(admin_client, member, admin, db):
    _attribute(admin, db)
    bad = f"email,age_band\n{member.email},25-34\nghost@x.test,18-24\n".encode()
    page = admin_client.post("/admin/segments/import", data={"file": (io.BytesIO(bad), "values.csv")},
                             content_type="multipart/form-data")
    assert page.status_code == 200 and b"Nothing was imported" in page.data and b"Line 3" in page.data
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MemberSegment)) == 0
    good = f"email,age_band\n{member.email},25-34\n".encode()
    response = admin_client.post("/admin/segments/import", data={"file": (io.BytesIO(good), "values.csv")},
                                 content_type="multipart/form-data")
    assert response.status_code == 302
    assert services.segments_for([member.id]) == {member.id: {"age_band": "25-34"}}
    page = admin_client.post("/admin/segments/import", data={}, content_type="multipart/form-data")
    assert page.status_code == 200 and b"The file is empty" in page.data


def _invitation(consent_factory, db):
    from app.auth.services import create_invitation

    consent_factory()
    _invitation, token = create_invitation("newcomer@example.test", by=None)
    db.session.commit()
    return token


def _join(client, token, **extra):
    return client.post(f"/invite/{token}", data={
        "display_name": "Newcomer", "password": "a long passphrase", "confirm": "a long passphrase", "consent": "y",
        "consent_version": "1", **extra})


def test_the_invitation_form_asks_the_member_editable_questions_and_saves_the_answers(client, consent_factory, admin,
                                                                                      db):
    from app.members.models import User

    asked = _attribute(admin, db)
    hidden = services.save_attribute(None, by=admin, key="customer_since", label="Customer since",
                                     values=["2020", "2021"], member_editable=False)
    db.session.commit()
    token = _invitation(consent_factory, db)
    page = client.get(f"/invite/{token}").get_data(as_text=True)
    assert "Age band" in page and "25-34" in page and "Prefer not to say" in page and "Customer since" not in page
    response = _join(client, token, **{f"attr_{asked.id}": str(asked.values[1].id), f"attr_{hidden.id}": "x"})
    assert response.status_code == 302
    newcomer = db.session.scalar(sa.select(User).where(User.email == "newcomer@example.test"))
    assert services.segments_for([newcomer.id]) == {newcomer.id: {"age_band": "25-34"}}
    row = db.session.scalar(sa.select(MemberSegment))
    assert row.source == "member" and row.updated_by_id == newcomer.id


def test_joining_without_answering_leaves_the_questions_unanswered(client, consent_factory, admin, db):
    asked = _attribute(admin, db)
    token = _invitation(consent_factory, db)
    assert _join(client, token, **{f"attr_{asked.id}": ""}).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MemberSegment)) == 0


def test_an_invalid_answer_at_registration_keeps_what_was_typed(client, consent_factory, admin, db):
    from app.members.models import User

    asked = _attribute(admin, db)
    token = _invitation(consent_factory, db)
    page = _join(client, token, **{f"attr_{asked.id}": "99999999999999999999"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Not a valid choice" in text and 'value="Newcomer"' in text
    assert db.session.scalar(sa.select(User).where(User.email == "newcomer@example.test")) is None
