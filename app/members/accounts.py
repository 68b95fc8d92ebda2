"""Account rules every domain shares: display names that look like nobody else's, password strength and
changing a password (which ends the member's other sessions)."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.exceptions import DomainError
from app.extensions import db
from app.members.models import User
from app.members.passwords import MIN_PASSWORD_LENGTH, hash_password
from app.security.roles import Permission, Role, role_has
from app.text.fields import clean_label
from app.text.names import has_host_mark, name_keys


def check_password_strength(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(_("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH), field)


def check_display_name(name: str, *, user: User | None = None, role: str | None = None) -> str:
    """Clean a display name and make sure it is nobody else's and looks like nobody else's (case and look-alike
    letters ignored); host marks such as "(host)" are kept for hosts and admins."""
    name = clean_label(name, "display_name", low=2, high=40, message=_l("A display name has 2 to 40 characters."))
    role = role or (user.role if user is not None else Role.MEMBER.value)
    if not role_has(role, Permission.MODERATE) and has_host_mark(name):  # host marks are for hosts
        raise DomainError(_("Words such as “host”, “admin” or “版主” are kept for the community's hosts; please "
                            "choose another name."), "display_name")
    as_written, folded = name_keys(name)
    clashes = sa.select(User.id).where(sa.or_(
        User.display_name_key == name.casefold(), User.display_name_skeleton == as_written,
        User.display_name_skeleton_folded == folded))
    if user is not None:
        clashes = clashes.where(User.id != user.id)
    if db.session.scalar(clashes.limit(1)):
        raise DomainError(_("That display name is taken, or looks too much like another member's; please choose "
                            "another."), "display_name")
    return name


def change_password(user: User, new_password: str) -> None:
    """Set a new password and end every other session of this member."""
    check_password_strength(new_password, "new_password")
    user.password_hash = hash_password(new_password)
    user.rotate_session_token()
