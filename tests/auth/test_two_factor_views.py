"""Two-factor pages: signing in with and without a second factor, enrolment, the staff rule, admin reset."""
from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth import two_factor
from app.db import utcnow
from tests.conftest import login_as
from tests.factories import DEFAULT_PASSWORD


def _enrol(db, user) -> tuple[pyotp.TOTP, list[str]]:
    """Enrol ``user`` with a code of two steps ago, so the current code is still unused."""
    at = utcnow() - timedelta(seconds=60)
    totp = pyotp.TOTP(two_factor.pending_enrolment(user).secret)
    codes = two_factor.confirm_enrolment(user, totp.at(at), now=at)
    db.session.commit()
    return totp, codes


def _verbs(db) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEvent.verb).order_by(AuditEvent.id)))


def _password_step(client, user, **extra):
    return client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD, **extra})


def test_member_without_two_factor_is_logged_in_by_the_password(client, member):
    response = _password_step(client, member)
    assert response.status_code == 302 and "/login" not in response.headers["Location"]
    assert client.get("/settings").status_code == 200


def test_password_alone_leaves_an_enrolled_member_logged_out_until_the_code(db, client, member):
    totp, _codes = _enrol(db, member)
    response = _password_step(client, member, remember="y")
    assert response.headers["Location"].endswith("/login/two-factor")
    assert client.get("/settings").status_code == 302  # pending is not logged in
    assert client.get_cookie("remember_token") is None
    page = client.get("/login/two-factor")
    assert page.status_code == 200 and b"Two-factor sign-in" in page.data
    response = client.post("/login/two-factor", data={"code": totp.now()})
    assert response.status_code == 302
    assert client.get("/settings").status_code == 200
    assert client.get_cookie("remember_token") is not None  # remember-me survives the second step


def test_the_second_step_keeps_a_safe_next_and_drops_an_unsafe_one(db, app, member):
    totp, _codes = _enrol(db, member)
    client = app.test_client()
    client.post("/login?next=/notifications", data={"email": member.email, "password": DEFAULT_PASSWORD})
    assert client.post("/login/two-factor", data={"code": totp.now()}).headers["Location"] == "/notifications"
    other = app.test_client()
    other.post("/login?next=//evil.example/", data={"email": member.email, "password": DEFAULT_PASSWORD})
    location = other.post("/login/two-factor", data={"code": totp.at(utcnow() + timedelta(seconds=30))}
                          ).headers["Location"]
    assert "evil" not in location


def test_a_wrong_code_gets_a_clear_message_and_is_audited(db, client, member):
    totp, _codes = _enrol(db, member)
    _password_step(client, member)
    wrong = totp.at(utcnow() - timedelta(minutes=10))
    page = client.post("/login/two-factor", data={"code": wrong})
    assert page.status_code == 200 and b"That code is not right" in page.data
    assert wrong.encode() in page.data  # the form keeps what was typed
    assert client.get("/settings").status_code == 302
    assert "two_factor.failed" in _verbs(db)


def test_a_recovery_code_signs_in_once(db, app, member):
    _totp, codes = _enrol(db, member)
    client = app.test_client()
    _password_step(client, member)
    assert client.post("/login/two-factor", data={"code": codes[3]}).status_code == 302
    again = app.test_client()
    _password_step(again, member)
    assert b"That code is not right" in again.post("/login/two-factor", data={"code": codes[3]}).data


def test_the_code_step_without_a_password_step_sends_to_login(client):
    response = client.get("/login/two-factor")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_pending_sign_in_dies_when_the_password_changes(db, client, member):
    totp, _codes = _enrol(db, member)
    _password_step(client, member)
    member.rotate_session_token()
    db.session.commit()
    response = client.post("/login/two-factor", data={"code": totp.now()})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert client.get("/settings").status_code == 302


def test_wrong_codes_hit_the_rate_limit_with_429_and_are_audited(db, app, member):
    _enrol(db, member)
    statuses = []
    for _attempt in range(8):  # a fresh client each time: the per-account limit still applies
        client = app.test_client()
        _password_step(client, member)
        statuses.append(client.post("/login/two-factor", data={"code": "000000"}).status_code)
    assert statuses[:6] == [200] * 6 and statuses[6:] == [429, 429]
    assert "rate_limit" in {e.after["where"] for e in db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.verb == "two_factor.failed"))}


def test_member_enrols_from_settings_and_sees_recovery_codes_once(db, member_client, member):
    page = member_client.get("/settings/two-factor")
    assert page.status_code == 200 and b"<svg" in page.data
    secret = re.search(rb'class="two-factor-secret">([A-Z2-7]+)<', page.data).group(1).decode()
    wrong = member_client.post("/settings/two-factor/enable", data={"code": "12"})
    assert wrong.status_code == 200 and b"That code is not right" in wrong.data
    shown = member_client.post("/settings/two-factor/enable", data={"code": pyotp.TOTP(secret).now()})
    assert shown.status_code == 200
    assert len(re.findall(rb"<li><code>[a-z2-9]{5}-[a-z2-9]{5}</code></li>", shown.data)) == 10
    assert two_factor.is_enrolled(member)
    status = member_client.get("/settings/two-factor")
    assert b"10 unused recovery codes left" in status.data and b"<li><code>" not in status.data


def test_member_turns_two_factor_off_with_the_password(db, member_client, member):
    _enrol(db, member)
    refused = member_client.post("/settings/two-factor/disable", data={"disable-code": "wrong password"},
                                 follow_redirects=True)
    assert b"Enter a current code from your app, or your password." in refused.data
    member_client.post("/settings/two-factor/disable", data={"disable-code": DEFAULT_PASSWORD})
    assert not two_factor.is_enrolled(member)


def test_member_regenerates_recovery_codes(db, member_client, member):
    _totp, codes = _enrol(db, member)
    page = member_client.post("/settings/two-factor/recovery-codes", data={"regenerate-code": DEFAULT_PASSWORD})
    assert page.status_code == 200 and codes[0].encode() not in page.data
    assert not two_factor.use_recovery_code(member, codes[0])


@pytest.fixture
def staff_must_enrol(db, admin):
    two_factor.set_staff_requirement(True, by=admin)
    db.session.commit()


def test_staff_without_two_factor_reach_only_enrolment_and_logout(staff_must_enrol, client, moderator):
    response = _password_step(client, moderator)
    assert response.status_code == 302
    for path in ("/", "/settings", "/moderation/", "/search?q=x"):
        blocked = client.get(path)
        assert blocked.status_code == 302 and blocked.headers["Location"].endswith("/settings/two-factor"), path
    assert b"Set up two-factor sign-in" in client.get("/settings/two-factor").data
    assert client.post("/logout").status_code == 302
    assert client.get("/settings").headers["Location"].startswith("/login")


def test_staff_reach_everything_once_enrolled(staff_must_enrol, db, researcher, app):
    _enrol(db, researcher)
    assert login_as(app.test_client(), researcher).get("/settings").status_code == 200


def test_members_are_not_forced_to_enrol(staff_must_enrol, member_client):
    assert member_client.get("/settings").status_code == 200


def test_admin_turns_on_the_staff_requirement(db, admin_client):
    assert b"Require two-factor sign-in for staff" in admin_client.get("/admin/sign-in").data
    admin_client.post("/admin/sign-in", data={"require_staff": "y"})
    assert two_factor.staff_must_enrol()
    assert "settings.two_factor" in _verbs(db)


def test_admin_resets_a_members_two_factor_from_the_user_page(db, admin_client, member):
    _enrol(db, member)
    page = admin_client.get(f"/admin/users/{member.id}")
    assert b"Reset two-factor sign-in" in page.data
    admin_client.post(f"/admin/users/{member.id}/two-factor/reset")
    assert not two_factor.is_enrolled(member)
    assert "two_factor.reset" in _verbs(db)


def test_only_admins_may_reset_two_factor(db, moderator_client, member):
    _enrol(db, member)
    assert moderator_client.post(f"/admin/users/{member.id}/two-factor/reset").status_code == 403
    assert two_factor.is_enrolled(member)


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.mark.parametrize("path, data", [
    ("/settings/two-factor/enable", {"code": "123456"}),
    ("/settings/two-factor/recovery-codes", {"regenerate-code": DEFAULT_PASSWORD}),
    ("/settings/two-factor/disable", {"disable-code": DEFAULT_PASSWORD}),
])
def test_two_factor_settings_forms_need_a_csrf_token(csrf_on, db, member_client, member, path, data):
    _enrol(db, member)
    assert member_client.post(path, data=data).status_code == 400
    assert two_factor.is_enrolled(member)


def test_the_code_step_needs_a_csrf_token(csrf_on, db, client, member):
    totp, _codes = _enrol(db, member)
    page = client.get("/login")
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page.data).group(1).decode()
    client.post("/login", data={"email": member.email, "password": DEFAULT_PASSWORD, "csrf_token": token})
    assert client.post("/login/two-factor", data={"code": totp.now()}).status_code == 400
    assert client.get("/settings").status_code == 302
