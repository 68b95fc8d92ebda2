"""Odd values a hand-made request can carry, each answered with a message or a plain page: never a 500, and
never a bare error where the page could simply show nothing for a number that names nothing."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.auth import services as auth
from app.forum.models import Post
from app.members.models import User

HUGE = "99999999999999999999"  # beyond any 64-bit id


def test_a_nul_in_a_new_display_name_is_a_message_on_the_settings_form(member_client, member):
    page = member_client.post("/settings", data={"display_name": "Nul\x00name", "locale": "en", "timezone": "UTC",
                                                 "submit": "Save settings"})
    assert page.status_code == 200 and "contains a NUL character" in page.get_data(as_text=True)
    assert member.display_name != "Nul\x00name"


def test_joining_with_a_nul_in_the_name_or_an_odd_consent_version_keeps_the_form(client, db, admin,
                                                                                consent_factory):
    consent_factory()
    _invitation, token = auth.create_invitation("joiner@example.test", by=admin)
    db.session.commit()
    form = {"display_name": "Joiner", "password": "a long enough password", "confirm": "a long enough password",
            "consent": "y", "consent_version": "1", "submit": "Join the community"}
    named = client.post(f"/invite/{token}", data={**form, "display_name": "Jo\x00iner"})
    assert named.status_code == 200 and "contains a NUL character" in named.get_data(as_text=True)
    for version in ("abc", "1.5", " ", "１", HUGE):
        page = client.post(f"/invite/{token}", data={**form, "consent_version": version})
        assert page.status_code == 200, version
        assert 'value="Joiner"' in page.get_data(as_text=True)  # what was typed is kept
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(
        User.email == "joiner@example.test")) == 0
    assert client.post(f"/invite/{token}", data=form).status_code == 302  # the real version still joins


def test_a_nul_in_a_host_persona_is_a_message_on_the_role_form(admin_client, moderator):
    page = admin_client.post(f"/admin/users/{moderator.id}", data={
        "role": "moderator", "host_persona": "Warm\x00host", "submit_role": "Save role"})
    assert page.status_code == 200 and "contains a NUL character" in page.get_data(as_text=True)
    assert 'value="Warm' in page.get_data(as_text=True)


def test_saving_an_attribute_without_its_values_field_keeps_its_values(admin_client, admin, db):
    from app.segments import services as segments

    attribute = segments.save_attribute(None, by=admin, key="age_band", label="Age band", values=["18-24", "25-34"],
                                        member_editable=True)
    db.session.commit()
    response = admin_client.post(f"/admin/segments/{attribute.id}", data={
        "key": "age_band", "label": "Age group", "member_editable": "y", "position": "0", "submit": "Save attribute"})
    assert response.status_code == 302
    db.session.refresh(attribute)
    assert attribute.label == "Age group" and [v.value for v in attribute.values] == ["18-24", "25-34"]


@pytest.mark.parametrize("quoted", [HUGE, "9223372036854775808", "-5"])
def test_a_reply_quoting_an_id_beyond_any_post_is_posted_without_the_quote(member_client, thread_factory, db, quoted):
    thread = thread_factory()
    assert member_client.get(f"/t/{thread.id}/reply?quote={quoted}").status_code == 200
    response = member_client.post(f"/t/{thread.id}/reply", data={"body": "Still posted.", "quoted_post_id": quoted})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Post.quoted_post_id).where(Post.body == "Still posted.")) is None


@pytest.mark.parametrize("url", ["/threads", "/c/{category}", "/notifications", "/admin/audit", "/admin/users",
                                 "/invitations/", "/mod/", "/mod/handled"])
def test_a_page_number_beyond_any_list_shows_an_empty_page(admin_client, thread_factory, url):
    thread = thread_factory()
    response = admin_client.get(url.format(category=thread.category_id), query_string={"page": HUGE})
    assert response.status_code == 200


@pytest.mark.parametrize("url", ["/mod/", "/mod/handled", "/research/words", "/search"])
def test_a_category_filter_beyond_any_id_narrows_nothing(admin_client, url):
    response = admin_client.get(url, query_string={"category": HUGE, "q": "tea"})
    assert response.status_code == 200
