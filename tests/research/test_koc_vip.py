"""Hosts grant VIP from the KOC shortlist (audited, with a reason); researchers only observe."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent


@pytest.fixture
def hub(db, category_factory, user_factory):
    """A member whose thread drew replies from three others, so they are on the shortlist."""
    from app.forum import services as forum

    person = user_factory(display_name="Hub member")
    thread = forum.start_thread(category_factory(), author=person, title="What do you think?", body="Tell me")
    for _ in range(3):
        forum.reply(thread, author=user_factory(), body="Interesting")
    db.session.commit()
    return person


def test_host_sees_the_shortlist_with_vip_status_and_a_form(hub, moderator_client):
    page = moderator_client.get("/mod/koc")
    assert page.status_code == 200 and b"Hub member" in page.data and b"not VIP" in page.data
    assert f'action="/mod/koc/{hub.id}/vip?days=90"'.encode() in page.data
    assert f'name="vip-{hub.id}-reason"'.encode() in page.data


def test_host_grants_vip_with_a_reason_and_it_is_audited(hub, moderator, moderator_client, db):
    response = moderator_client.post(f"/mod/koc/{hub.id}/vip?days=30", data={
        f"vip-{hub.id}-reason": "Starts the best threads", f"vip-{hub.id}-make_vip": "1"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/mod/koc?days=30")
    db.session.refresh(hub)
    assert hub.is_vip
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.verb == "user.vip_grant"))
    assert event.actor_id == moderator.id and event.reason == "Starts the best threads"
    page = moderator_client.get("/mod/koc?days=30")
    assert b"is now a VIP" in page.data and b"Remove VIP" in page.data


def test_host_removes_vip_from_the_shortlist(hub, moderator_client, db):
    hub.is_vip = True
    db.session.commit()
    moderator_client.post(f"/mod/koc/{hub.id}/vip", data={f"vip-{hub.id}-reason": "Quiet lately",
                                                          f"vip-{hub.id}-make_vip": "0"})
    db.session.refresh(hub)
    assert not hub.is_vip
    assert db.session.scalar(sa.select(AuditEvent.reason).where(AuditEvent.verb == "user.vip_remove")) == "Quiet lately"


def test_vip_without_a_reason_is_refused_on_the_page(hub, moderator_client, db):
    page = moderator_client.post(f"/mod/koc/{hub.id}/vip", data={f"vip-{hub.id}-reason": "  ",
                                                                 f"vip-{hub.id}-make_vip": "1"})
    assert page.status_code == 200 and b"Give a reason." in page.data and b"Hub member" in page.data
    db.session.refresh(hub)
    assert not hub.is_vip and db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                                                .where(AuditEvent.verb == "user.vip_grant")) == 0


def test_hosts_cannot_make_another_host_vip(moderator_client, user_factory, db):
    other_host = user_factory(role="moderator")
    response = moderator_client.post(f"/mod/koc/{other_host.id}/vip", data={
        f"vip-{other_host.id}-reason": "Nice", f"vip-{other_host.id}-make_vip": "1"})
    assert response.status_code == 403
    db.session.refresh(other_host)
    assert not other_host.is_vip


@pytest.mark.parametrize("client_name", ["researcher_client", "member_client"])
def test_researchers_and_members_cannot_grant_vip(client_name, hub, request, db):
    client = request.getfixturevalue(client_name)
    assert client.get("/mod/koc").status_code == 403
    response = client.post(f"/mod/koc/{hub.id}/vip", data={f"vip-{hub.id}-reason": "I like them",
                                                            f"vip-{hub.id}-make_vip": "1"})
    assert response.status_code == 403
    db.session.refresh(hub)
    assert not hub.is_vip


def test_researchers_see_vip_status_but_no_vip_buttons(hub, researcher_client, db):
    hub.is_vip = True
    db.session.commit()
    page = researcher_client.get("/research/koc")
    assert page.status_code == 200 and b'class="vip-badge"' in page.data
    assert b"/vip" not in page.data and b"Make VIP" not in page.data and b"hosts grant VIP" in page.data


def test_admins_are_pointed_from_the_research_list_to_the_hosts_view(hub, admin_client):
    page = admin_client.get("/research/koc?days=30")
    assert b'href="/mod/koc?days=30"' in page.data


def test_the_per_row_form_carries_a_working_csrf_token(hub, app, moderator_client, db):
    import re

    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = moderator_client.get("/mod/koc").get_data(as_text=True)
        token = re.search(rf'name="vip-{hub.id}-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        refused = moderator_client.post(f"/mod/koc/{hub.id}/vip", data={f"vip-{hub.id}-reason": "Great"})
        granted = moderator_client.post(f"/mod/koc/{hub.id}/vip", data={
            f"vip-{hub.id}-csrf_token": token, f"vip-{hub.id}-reason": "Great", f"vip-{hub.id}-make_vip": "1"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert refused.status_code == 400 and granted.status_code == 302
    db.session.refresh(hub)
    assert hub.is_vip
