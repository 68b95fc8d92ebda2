"""Delete my account: the request with its grace period, cancelling, and what erasure leaves behind."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth.services import authenticate
from app.core.exceptions import DomainError
from app.core.settings import set_setting
from app.forum.models import Post, Thread
from app.jobs import registry
from app.members.models import User
from app.members.notifications import Notification, notify
from app.rights import consent, erasure
from app.rights.models import ErasureRequest
from app.tasks.models import TaskSubmission
from app.uploads.models import Upload
from app.uploads.services import stored_path
from tests.conftest import login_as
from tests.factories import DEFAULT_PASSWORD

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _erase_job(now: datetime) -> int:
    return registry.get("erase_accounts").func(now)


def test_wrong_password_is_refused(db, member):
    with pytest.raises(DomainError) as refused:
        erasure.request_erasure(member, "not my password", now=NOW)
    assert refused.value.field == "password"


def test_the_grace_period_comes_from_the_community_setting(db, member, admin):
    set_setting(erasure.GRACE_SETTING, 3, by=admin)
    request = erasure.request_erasure(member, DEFAULT_PASSWORD, now=NOW)
    assert request.due_at == NOW + timedelta(days=3)


def test_the_job_erases_only_after_the_grace_period(db, member):
    request = erasure.request_erasure(member, DEFAULT_PASSWORD, now=NOW)
    assert request.due_at == NOW + timedelta(days=7)
    assert _erase_job(NOW + timedelta(days=7) - timedelta(seconds=1)) == 0
    assert _erase_job(NOW + timedelta(days=7)) == 1
    db.session.commit()
    assert request.status == "done" and member.email.endswith("@erased.invalid")


def test_a_cancelled_request_is_never_carried_out(db, member):
    request = erasure.request_erasure(member, DEFAULT_PASSWORD, now=NOW)
    erasure.cancel_erasure(request, by=member, now=NOW + timedelta(days=1))
    assert _erase_job(NOW + timedelta(days=30)) == 0
    assert request.status == "cancelled" and not member.email.endswith("@erased.invalid")


def test_the_only_admin_cannot_ask_to_be_erased(db, admin):
    with pytest.raises(DomainError):
        erasure.request_erasure(admin, DEFAULT_PASSWORD, now=NOW)


def test_erasure_empties_the_account_and_keeps_posts_under_a_neutral_name(db, busy_member):
    member_id, old_email, old_token = busy_member.id, busy_member.email, busy_member.session_token
    busy_member.real_name = "Li Hua"
    notify(member_id, "test", "Hello")
    uploads = db.session.scalars(sa.select(Upload).where(Upload.owner_id == member_id)).all()
    files = [stored_path(upload) for upload in uploads]
    assert files and all(path.is_file() for path in files)
    erasure.request_erasure(busy_member, DEFAULT_PASSWORD, now=NOW)
    _erase_job(NOW + timedelta(days=8))
    db.session.commit()
    db.session.expire_all()

    user = db.session.get(User, member_id)
    label = f"Former member {member_id}"
    assert (user.email, user.display_name, user.real_name) == (f"erased-{member_id}@erased.invalid", label, None)
    assert user.session_token != old_token and authenticate(old_email, DEFAULT_PASSWORD) is None
    assert authenticate(user.email, DEFAULT_PASSWORD) is None
    assert user.consent_withdrawn_at == NOW + timedelta(days=8)
    assert [event.kind for event in consent.consent_history(user)][-1] == "withdrawn"
    assert not any(path.exists() for path in files)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Upload).where(Upload.owner_id == member_id)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)
                             .where(Notification.user_id == member_id)) == 0
    posts = db.session.scalars(sa.select(Post).where(Post.author_id == member_id)).all()
    assert len(posts) == 2 and {(p.author_name, p.state) for p in posts} == {(label, "published")}
    assert db.session.scalar(sa.select(TaskSubmission.author_name).where(TaskSubmission.user_id == member_id)) == label
    assert db.session.scalar(sa.select(Thread.author_name).where(Thread.author_id == member_id)) == label
    done = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.verb == "erasure.done"))
    assert done.actor_name == "job:erase_accounts" and done.after["posts"] == "keep"


def test_erasure_hides_posts_when_the_community_chose_so(db, busy_member, admin):
    set_setting(erasure.POSTS_SETTING, erasure.HIDE, by=admin)
    erasure.request_erasure(busy_member, DEFAULT_PASSWORD, now=NOW)
    _erase_job(NOW + timedelta(days=8))
    db.session.commit()
    posts = db.session.scalars(sa.select(Post).where(Post.author_id == busy_member.id)).all()
    assert len(posts) == 2 and {p.state for p in posts} == {"hidden"}  # kept, never deleted
    opened = db.session.scalar(sa.select(Thread).where(Thread.author_id == busy_member.id))
    assert opened.state == "hidden"


def test_two_erased_members_get_distinct_placeholders(db, user_factory):
    erased = []
    for user in (user_factory(), user_factory()):
        erasure.request_erasure(user, DEFAULT_PASSWORD, now=NOW)
        erased.append(user)
    assert _erase_job(NOW + timedelta(days=8)) == 2
    db.session.commit()
    assert len({u.email for u in erased}) == 2 and len({u.display_name for u in erased}) == 2


def test_member_asks_for_deletion_in_settings_then_cancels(db, member, member_client):
    response = member_client.post("/settings/privacy/delete", data={"password": "wrong password", "understood": "y"})
    assert response.status_code == 400 and "That is not your password." in response.get_data(as_text=True)
    response = member_client.post("/settings/privacy/delete", data={"password": DEFAULT_PASSWORD})
    assert response.status_code == 400 and "Tick the box to confirm." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ErasureRequest)) == 0

    response = member_client.post("/settings/privacy/delete", data={"password": DEFAULT_PASSWORD, "understood": "y"})
    assert response.status_code == 302
    page = member_client.get("/settings/privacy/").get_data(as_text=True)
    assert "Your account will be deleted on" in page and "Cancel the deletion" in page
    assert member_client.post("/settings/privacy/delete/cancel").status_code == 302
    assert db.session.scalar(sa.select(ErasureRequest.status)) == "cancelled"
    assert "Delete my account" in member_client.get("/settings/privacy/").get_data(as_text=True)


def test_an_erased_members_open_session_ends(db, app, member):
    client = login_as(app.test_client(), member)
    assert client.get("/settings").status_code == 200
    erasure.request_erasure(member, DEFAULT_PASSWORD, now=NOW)
    _erase_job(NOW + timedelta(days=8))
    db.session.commit()
    assert client.get("/settings").status_code == 302


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_a_deletion_request_without_a_csrf_token_is_refused(csrf_on, db, member_client):
    response = member_client.post("/settings/privacy/delete", data={"password": DEFAULT_PASSWORD, "understood": "y"})
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ErasureRequest)) == 0


def test_erasure_removes_the_address_from_invitations_and_their_audit_records(db, moderator, consent_factory):
    from app.auth import services as auth_services
    from app.auth.models import Invitation

    consent_factory()
    invitation, _token = auth_services.create_invitation("invitee@example.test", by=moderator)
    user = auth_services.accept_invitation(invitation, display_name="Invitee", password=DEFAULT_PASSWORD,
                                           consent_version=1)
    erasure.request_erasure(user, DEFAULT_PASSWORD, now=NOW)
    _erase_job(NOW + timedelta(days=8))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).email == f"invitation-{user.id}@erased.invalid"
    created = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.verb == "invitation.create"))
    assert created.after == {"email": f"invitation-{user.id}@erased.invalid", "role": "member"}


def test_password_guesses_on_the_deletion_form_are_rate_limited(db, app, member_client):
    saved = app.config["LOGIN_RATE_LIMIT"]
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        codes = [member_client.post("/settings/privacy/delete", data={"password": f"guess {n}", "understood": "y"})
                 .status_code for n in range(4)]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = saved
    assert codes == [400, 400, 400, 429]
