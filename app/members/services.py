"""Member settings, roles and suspension."""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import audit
from app.core.exceptions import DomainError
from app.db import utcnow
from app.extensions import db
from app.members.accounts import change_password, check_display_name
from app.members.models import FormerName, User
from app.members.passwords import verify_password
from app.security.roles import Role
from app.text.fields import clean_label


def update_settings(user: User, *, display_name: str, locale: str, timezone: str) -> None:
    """Change a member's display name, language and time zone; the old name is remembered for exports."""
    name = check_display_name(display_name, user=user)
    if name != user.display_name:
        remember_former_name(user)
    user.set_display_name(name)
    user.locale, user.timezone = locale, timezone


def remember_former_name(user: User, name: str | None = None) -> None:
    """Keep the member's current name (or ``name``, e.g. the real name of an account being erased) as a former one
    (once), so exports replace it where others wrote it."""
    name = (name or user.display_name).strip()[:40]
    known = db.session.scalar(sa.select(FormerName.id).where(FormerName.user_id == user.id, FormerName.name == name))
    if known is None and name:
        db.session.add(FormerName(user_id=user.id, name=name))


def update_password(user: User, *, current: str, new: str) -> None:
    """Change a password after checking the current one; other sessions end."""
    if not verify_password(user.password_hash, current):
        raise DomainError(_("Your current password is not right."), "current_password")
    change_password(user, new)


def set_role(user: User, role: str, *, by: User | None, host_persona: str | None = None) -> bool:
    """Give a member a role (and hosts a persona); returns False when nothing changed. An admin cannot drop
    their own admin role: the community must not lose its last way in by a slip."""
    role = Role(role).value
    if by is not None and by.id == user.id and user.role == Role.ADMIN.value and role != Role.ADMIN.value:
        raise DomainError(_("You cannot remove your own admin role."), "role")
    persona = clean_label(host_persona, "host_persona", low=0, high=40,
                          message=_l("A host persona has at most 40 characters.")) if host_persona else None
    if role not in (Role.MODERATOR.value, Role.ADMIN.value):
        persona = None
    if user.role == role and user.host_persona == persona:
        return False
    before = {"role": user.role, "host_persona": user.host_persona}
    user.role, user.host_persona = role, persona
    user.rotate_session_token()  # a changed role takes effect with a fresh login everywhere
    audit.record(by, "user.set_role", user, before=before, after={"role": role, "host_persona": persona},
                 job=None if by else "cli")
    return True


def suspend(user: User, *, by: User | None, reason: str, days: int | None = None,
            now: datetime | None = None) -> None:
    """Suspend a member (for ``days``, or until lifted) with a reason; their sessions end at once."""
    now = now or utcnow()
    if by is not None and by.id == user.id:
        raise DomainError(_("You cannot suspend yourself."))
    user.suspended_at = now
    user.suspended_until = now + timedelta(days=days) if days else None
    user.suspend_reason = reason.strip()
    user.rotate_session_token()
    audit.record(by, "user.suspend", user, reason=user.suspend_reason,
                 after={"until": user.suspended_until.isoformat() if user.suspended_until else None},
                 job=None if by else "cli")


def unsuspend(user: User, *, by: User | None) -> bool:
    if user.suspended_at is None:
        return False
    user.suspended_at = user.suspended_until = None
    user.suspend_reason = None
    audit.record(by, "user.unsuspend", user, job=None if by else "cli")
    return True
