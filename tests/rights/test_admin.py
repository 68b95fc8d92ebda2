"""The admins' members' rights page: deletion requests (cancel, run now), downloads, withdrawals, settings."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.members.models import User
from app.rights import consent, data_export, erasure
from app.rights.models import ErasureRequest
from tests.factories import DEFAULT_PASSWORD

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _admin_verbs(db, admin) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.verb).where(AuditEvent.actor_id == admin.id)
                                   .order_by(AuditEvent.id)))


@pytest.fixture
def requests_of_every_kind(db, user_factory, consent_factory):
    consent_factory()
    leaving, curious, private = user_factory(display_name="Leaving Lu"), user_factory(display_name="Curious Chen"), \
        user_factory(display_name="Private Pan")
    pending = erasure.request_erasure(leaving, DEFAULT_PASSWORD, now=NOW)
    data_export.request_data_export(curious, now=NOW)
    consent.withdraw_consent(private, now=NOW)
    db.session.commit()
    return pending


def test_admin_sees_pending_deletions_downloads_and_withdrawals(db, admin_client, requests_of_every_kind):
    page = admin_client.get("/admin/member-rights").get_data(as_text=True)
    leaving = requests_of_every_kind.user
    assert leaving.display_name in page and leaving.email in page and "waiting for the grace period" in page
    assert "Curious Chen" in page and "being prepared" in page
    assert "Private Pan" in page


@pytest.mark.parametrize("role", ["member", "moderator", "researcher"])
def test_only_admins_reach_the_page(db, app, user_factory, role, requests_of_every_kind):
    from tests.conftest import login_as

    client = login_as(app.test_client(), user_factory(role=role))
    assert client.get("/admin/member-rights").status_code == 403
    assert client.post(f"/admin/member-rights/erasures/{requests_of_every_kind.id}/run").status_code == 403
    assert db.session.get(ErasureRequest, requests_of_every_kind.id).status == "pending"


def test_admin_cancels_a_deletion_and_it_is_audited(db, admin, admin_client, requests_of_every_kind):
    assert admin_client.post(f"/admin/member-rights/erasures/{requests_of_every_kind.id}/cancel").status_code == 302
    db.session.expire_all()
    request = db.session.get(ErasureRequest, requests_of_every_kind.id)
    assert (request.status, request.cancelled_by_id) == ("cancelled", admin.id)
    assert _admin_verbs(db, admin) == ["erasure.cancel"]


def test_admin_runs_a_deletion_now_and_it_is_audited(db, admin, admin_client, requests_of_every_kind):
    user_id = requests_of_every_kind.user_id
    assert admin_client.post(f"/admin/member-rights/erasures/{requests_of_every_kind.id}/run").status_code == 302
    db.session.expire_all()
    assert db.session.get(ErasureRequest, requests_of_every_kind.id).status == "done"
    assert db.session.get(User, user_id).display_name == f"Former member {user_id}"
    assert _admin_verbs(db, admin) == ["erasure.done"]
    # a second click (another tab) is refused with a message, not a 500
    response = admin_client.post(f"/admin/member-rights/erasures/{requests_of_every_kind.id}/run",
                                 follow_redirects=True)
    assert "This deletion request is no longer pending." in response.get_data(as_text=True)


def test_admin_changes_the_grace_period_and_the_posts_policy(db, admin, admin_client, member):
    response = admin_client.post("/admin/member-rights", data={"grace_days": "14", "erased_posts": "hide"})
    assert response.status_code == 302
    assert (erasure.grace_days(), erasure.erased_posts_policy()) == (14, "hide")
    assert _admin_verbs(db, admin) == ["settings.member_rights"]
    assert erasure.request_erasure(member, DEFAULT_PASSWORD, now=NOW).due_at == datetime(2026, 12, 15, 9, 0,
                                                                                          tzinfo=UTC)


def test_a_grace_period_out_of_range_is_explained_and_kept(db, admin_client):
    response = admin_client.post("/admin/member-rights", data={"grace_days": "365", "erased_posts": "keep"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'value="365"' in page and "Number must be between 0 and 90" in page
    assert erasure.grace_days() == erasure.DEFAULT_GRACE_DAYS


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_run_now_without_a_csrf_token_is_refused(csrf_on, db, admin_client, requests_of_every_kind):
    assert admin_client.post(f"/admin/member-rights/erasures/{requests_of_every_kind.id}/run").status_code == 400
    assert db.session.get(ErasureRequest, requests_of_every_kind.id).status == "pending"
