"""Two-factor sign-in (TOTP, RFC 6238): enrolment, code checks with replay protection, recovery codes.

Services take the member (and the acting admin) explicitly and only flush; the calling view commits.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
import segno
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from app import audit
from app.auth.two_factor_models import RecoveryCode, TwoFactor
from app.core.exceptions import DomainError
from app.core.settings import get_setting, set_setting
from app.db import utcnow
from app.extensions import db
from app.members.models import User
from app.members.passwords import verify_password
from app.security.policy import is_staff

REQUIRE_STAFF_SETTING = "auth.require_staff_two_factor"
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to copy from paper
TOTP_PERIOD = 30  # seconds, as authenticator apps assume
STEP_WINDOW = (-1, 0, 1)  # accept the previous and next 30-second step too (clock drift)


def two_factor_of(user: User) -> TwoFactor | None:
    """The member's two-factor row (enabled or awaiting confirmation), if any."""
    return db.session.get(TwoFactor, user.id)


def is_enrolled(user: User) -> bool:
    """Whether the member signs in with a second factor."""
    record = two_factor_of(user)
    return record is not None and record.is_enabled


def staff_must_enrol() -> bool:
    """The admin setting: staff (admins, moderators, researchers) must use two-factor sign-in."""
    return bool(get_setting(REQUIRE_STAFF_SETTING, False))


def needs_enrolment(user: User) -> bool:
    """Whether this signed-in member must set up two-factor sign-in before using anything else."""
    return is_staff(user) and staff_must_enrol() and not is_enrolled(user)


def set_staff_requirement(required: bool, *, by: User) -> bool:
    """Turn the staff requirement on or off; audited. Returns False when nothing changed."""
    before = staff_must_enrol()
    if before == required:
        return False
    set_setting(REQUIRE_STAFF_SETTING, required, by=by)
    audit.record(by, "settings.two_factor", None, before={REQUIRE_STAFF_SETTING: before},
                 after={REQUIRE_STAFF_SETTING: required})
    return True


def pending_enrolment(user: User) -> TwoFactor:
    """The member's not-yet-confirmed secret, created on first use (kept until confirmed or replaced)."""
    record = two_factor_of(user)
    if record is not None and record.is_enabled:
        raise DomainError(_("Two-factor sign-in is already on."))
    if record is None:
        record = TwoFactor(user_id=user.id, secret=pyotp.random_base32())
        db.session.add(record)
        db.session.flush()
    return record


def provisioning_uri(user: User, record: TwoFactor) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code (account email, community as issuer)."""
    return pyotp.TOTP(record.secret).provisioning_uri(name=user.email,
                                                      issuer_name=current_app.config["COMMUNITY_NAME"])


def qr_svg(uri: str) -> str:
    """The QR code of an otpauth URI as inline SVG markup (rendered here: nothing loads from elsewhere)."""
    return segno.make(uri, error="m").svg_inline(scale=4, border=2, dark="#1d2a24", light="#ffffff")


def _current_step(now: datetime | None) -> int:
    return int((now or utcnow()).timestamp()) // TOTP_PERIOD


def _matching_step(record: TwoFactor, code: str, now: datetime | None) -> int | None:
    """The time step (within the drift window) whose code this is, if any."""
    code = "".join(code.split())
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return None
    totp, step = pyotp.TOTP(record.secret), _current_step(now)
    for candidate in (step + offset for offset in STEP_WINDOW):
        if hmac.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def _claim_step(record: TwoFactor, step: int) -> bool:
    """Record ``step`` as used unless it (or a later one) already was: one conditional UPDATE, so two
    requests racing with the same code cannot both succeed."""
    table = TwoFactor.__table__
    result = db.session.execute(
        table.update().where(table.c.user_id == record.user_id,
                             sa.or_(table.c.last_used_step.is_(None), table.c.last_used_step < step))
        .values(last_used_step=step))
    db.session.refresh(record)
    return result.rowcount == 1


def check_code(user: User, code: str, *, now: datetime | None = None) -> bool:
    """Accept a current authenticator code once: a code of an already used time step is refused."""
    record = two_factor_of(user)
    if record is None:
        return False
    step = _matching_step(record, code or "", now)
    return step is not None and _claim_step(record, step)


def confirm_enrolment(user: User, code: str, *, now: datetime | None = None) -> list[str]:
    """Switch two-factor sign-in on once the member proves their app has the secret; returns recovery codes."""
    record = pending_enrolment(user)
    if not check_code(user, code, now=now):
        raise DomainError(_("That code is not right. Check the time on your phone and enter the newest code."),
                          "code")
    record.enabled_at = now or utcnow()
    codes = _replace_recovery_codes(user)
    audit.record(user, "two_factor.enable", user)
    return codes


def normalise_recovery_code(code: str) -> str:
    """Lower case, letters and digits only: spaces, hyphens and capitals typed from paper do not matter."""
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _hash_recovery_code(code: str) -> str:
    return hashlib.sha256(normalise_recovery_code(code).encode()).hexdigest()


def _new_recovery_code() -> str:
    letters = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
    return f"{letters[:5]}-{letters[5:]}"


def _replace_recovery_codes(user: User) -> list[str]:
    """Drop the member's recovery codes and make ten new ones; only their hashes are stored."""
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash_recovery_code(c)) for c in codes)
    db.session.flush()
    return codes


def remaining_recovery_codes(user: User) -> int:
    """How many of the member's recovery codes are still unused."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)
                             .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))


def use_recovery_code(user: User, code: str, *, now: datetime | None = None) -> bool:
    """Spend one unused recovery code (each works once); audited."""
    if not normalise_recovery_code(code) or not is_enrolled(user):
        return False
    result = db.session.execute(
        sa.update(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                      RecoveryCode.code_hash == _hash_recovery_code(code),
                                      RecoveryCode.used_at.is_(None))
        .values(used_at=now or utcnow()).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    audit.record(user, "two_factor.recovery_code_used", user,
                 after={"remaining": remaining_recovery_codes(user)})
    return True


def verify_second_factor(user: User, code: str, *, now: datetime | None = None) -> bool:
    """At sign-in: a six-digit authenticator code, or else one of the recovery codes."""
    cleaned = "".join((code or "").split())
    if len(cleaned) == 6 and cleaned.isascii() and cleaned.isdigit():
        return check_code(user, cleaned, now=now)
    return use_recovery_code(user, cleaned, now=now)


def record_failed_attempt(user: User, *, where: str) -> None:
    """Audit a wrong code (sign-in or settings), so repeated guessing shows in the audit log."""
    audit.record(user, "two_factor.failed", user, after={"where": where})


def _require_code_or_password(user: User, secret: str, now: datetime | None) -> None:
    if not (check_code(user, secret, now=now) or verify_password(user.password_hash, secret or "")):
        raise DomainError(_("Enter a current code from your app, or your password."), "code")


def regenerate_recovery_codes(user: User, code_or_password: str, *, now: datetime | None = None) -> list[str]:
    """Replace the member's recovery codes (the old ones stop working); needs a current code or password."""
    if not is_enrolled(user):
        raise DomainError(_("Two-factor sign-in is off."))
    _require_code_or_password(user, code_or_password, now)
    codes = _replace_recovery_codes(user)
    audit.record(user, "two_factor.recovery_codes_regenerated", user)
    return codes


def disable(user: User, code_or_password: str, *, now: datetime | None = None) -> None:
    """The member switches two-factor sign-in off; needs a current code or the password."""
    if not is_enrolled(user):
        raise DomainError(_("Two-factor sign-in is off."))
    if needs_enrolment_if_removed(user):
        raise DomainError(_("Staff must use two-factor sign-in in this community; it cannot be switched off."))
    _require_code_or_password(user, code_or_password, now)
    _remove(user)
    audit.record(user, "two_factor.disable", user)


def needs_enrolment_if_removed(user: User) -> bool:
    """Whether the staff requirement forbids this member to switch two-factor sign-in off."""
    return is_staff(user) and staff_must_enrol()


def admin_reset(user: User, *, by: User, reason: str | None = None) -> bool:
    """An admin removes a member's second factor (e.g. a lost phone); audited. False when there was none."""
    if two_factor_of(user) is None:
        return False
    _remove(user)
    audit.record(by, "two_factor.reset", user, reason=reason)
    return True


def _remove(user: User) -> None:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(sa.delete(TwoFactor).where(TwoFactor.user_id == user.id))
    db.session.flush()
