"""Two-factor services: enrolment, codes and their replay protection, recovery codes, the staff requirement."""
from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth import two_factor
from app.auth.two_factor_models import RecoveryCode
from app.core.exceptions import DomainError
from app.db import utcnow
from tests.factories import DEFAULT_PASSWORD

STEP = timedelta(seconds=30)


def _verbs(db) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.verb).order_by(AuditEvent.id)))


def _code(user, at):
    return pyotp.TOTP(two_factor.two_factor_of(user).secret).at(at)


@pytest.fixture
def enrolled(db, member):
    """A member enrolled one step ago; returns (member, recovery codes, the time of enrolment)."""
    at = utcnow() - STEP
    two_factor.pending_enrolment(member)
    codes = two_factor.confirm_enrolment(member, _code(member, at), now=at)
    db.session.commit()
    return member, codes, at


def test_enrolment_needs_a_current_code_and_gives_ten_recovery_codes(db, member):
    record = two_factor.pending_enrolment(member)
    assert not two_factor.is_enrolled(member)
    with pytest.raises(DomainError):
        two_factor.confirm_enrolment(member, _code(member, utcnow() - 10 * STEP))
    codes = two_factor.confirm_enrolment(member, pyotp.TOTP(record.secret).now())
    assert two_factor.is_enrolled(member)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "two_factor.enable" in _verbs(db)


def test_pending_enrolment_keeps_its_secret_until_confirmed(db, member):
    first = two_factor.pending_enrolment(member).secret
    assert two_factor.pending_enrolment(member).secret == first


def test_a_code_is_accepted_once_per_time_step(db, enrolled):
    member, _codes, at = enrolled
    now = at + 2 * STEP
    code = _code(member, now)
    assert two_factor.check_code(member, code, now=now)
    assert not two_factor.check_code(member, code, now=now)


def test_an_older_code_is_refused_after_a_newer_one(db, enrolled):
    member, _codes, at = enrolled
    now = at + 3 * STEP
    assert two_factor.check_code(member, _code(member, now), now=now)
    assert not two_factor.check_code(member, _code(member, now - STEP), now=now)


def test_codes_one_step_off_are_accepted_but_not_two(db, enrolled):
    member, _codes, at = enrolled
    now = at + 5 * STEP
    assert not two_factor.check_code(member, _code(member, now + 2 * STEP), now=now)
    assert two_factor.check_code(member, _code(member, now + STEP), now=now)


def test_the_enrolment_code_cannot_be_used_again_to_sign_in(db, enrolled):
    member, _codes, at = enrolled
    assert not two_factor.verify_second_factor(member, _code(member, at), now=at)


def test_recovery_codes_are_stored_only_as_hashes(db, enrolled):
    member, codes, _at = enrolled
    stored = set(db.session.scalars(sa.select(RecoveryCode.code_hash).where(RecoveryCode.user_id == member.id)))
    assert len(stored) == 10 and not stored & set(codes)


def test_a_recovery_code_works_once_and_is_audited(db, enrolled):
    member, codes, _at = enrolled
    assert two_factor.verify_second_factor(member, codes[0].upper().replace("-", " "))
    assert not two_factor.verify_second_factor(member, codes[0])
    assert two_factor.remaining_recovery_codes(member) == 9
    assert "two_factor.recovery_code_used" in _verbs(db)


def test_regenerating_recovery_codes_needs_a_proof_and_retires_the_old_ones(db, enrolled):
    member, codes, _at = enrolled
    with pytest.raises(DomainError):
        two_factor.regenerate_recovery_codes(member, "not my password")
    fresh = two_factor.regenerate_recovery_codes(member, DEFAULT_PASSWORD)
    assert not two_factor.use_recovery_code(member, codes[1])
    assert two_factor.use_recovery_code(member, fresh[1])
    assert "two_factor.recovery_codes_regenerated" in _verbs(db)


def test_disabling_needs_a_current_code_or_the_password(db, enrolled):
    member, _codes, at = enrolled
    with pytest.raises(DomainError):
        two_factor.disable(member, "123")
    now = at + 2 * STEP
    two_factor.disable(member, _code(member, now), now=now)
    assert not two_factor.is_enrolled(member)
    assert two_factor.remaining_recovery_codes(member) == 0
    assert "two_factor.disable" in _verbs(db)


@pytest.mark.parametrize("role, must", [("member", False), ("moderator", True), ("researcher", True),
                                        ("admin", True)])
def test_the_requirement_applies_to_staff_only(db, user_factory, admin, role, must):
    user = user_factory(role=role)
    assert not two_factor.needs_enrolment(user)
    assert two_factor.set_staff_requirement(True, by=admin)
    assert two_factor.needs_enrolment(user) is must
    assert "settings.two_factor" in _verbs(db)


def test_an_enrolled_staff_member_no_longer_needs_enrolment_and_cannot_switch_off(db, moderator, admin):
    two_factor.set_staff_requirement(True, by=admin)
    record = two_factor.pending_enrolment(moderator)
    two_factor.confirm_enrolment(moderator, pyotp.TOTP(record.secret).now())
    assert not two_factor.needs_enrolment(moderator)
    with pytest.raises(DomainError):
        two_factor.disable(moderator, DEFAULT_PASSWORD)


def test_admin_reset_removes_the_factor_and_is_audited(db, enrolled, admin):
    member, _codes, _at = enrolled
    assert two_factor.admin_reset(member, by=admin)
    assert not two_factor.is_enrolled(member) and two_factor.two_factor_of(member) is None
    assert not two_factor.admin_reset(member, by=admin)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.verb == "two_factor.reset"))
    assert event.actor_id == admin.id and event.target_id == member.id


def test_the_qr_code_is_inline_svg_of_the_otpauth_uri(db, member):
    record = two_factor.pending_enrolment(member)
    uri = two_factor.provisioning_uri(member, record)
    assert uri.startswith("otpauth://totp/") and f"secret={record.secret}" in uri
    svg = two_factor.qr_svg(uri)
    assert svg.startswith("<svg") and "<path" in svg and "<script" not in svg
