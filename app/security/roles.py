"""Roles and the capabilities each one carries, declared once (DESIGN.md section 2)."""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class Role(str, enum.Enum):
    MEMBER = "member"
    MODERATOR = "moderator"
    RESEARCHER = "researcher"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.MEMBER: _l("Member"),
    Role.MODERATOR: _l("Moderator"),
    Role.RESEARCHER: _l("Researcher"),
    Role.ADMIN: _l("Admin"),
}


class Permission(str, enum.Enum):
    READ = "read"
    POST = "post"
    REACT = "react"
    FLAG = "flag"
    MODERATE = "moderate"
    VIEW_MOD_QUEUE = "view_mod_queue"
    CREATE_ACTIVITY = "create_activity"
    PUBLISH_ACTIVITY = "publish_activity"
    RESEARCH = "research"
    EXPORT_TRANSCRIPTS = "export_transcripts"
    SEE_EMAILS = "see_emails"
    INVITE = "invite"
    MANAGE_COMMUNITY = "manage_community"
    MANAGE_ROLES = "manage_roles"


_PARTICIPATE = {Permission.READ, Permission.POST, Permission.REACT, Permission.FLAG}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.MEMBER: frozenset(_PARTICIPATE),
    Role.MODERATOR: frozenset(
        _PARTICIPATE
        | {Permission.MODERATE, Permission.VIEW_MOD_QUEUE, Permission.CREATE_ACTIVITY, Permission.PUBLISH_ACTIVITY,
           Permission.SEE_EMAILS, Permission.INVITE}
    ),
    # Researchers observe without influencing: they read, flag, draft activities and analyse.
    Role.RESEARCHER: frozenset({Permission.READ, Permission.FLAG, Permission.CREATE_ACTIVITY, Permission.RESEARCH,
                                Permission.EXPORT_TRANSCRIPTS}),
    Role.ADMIN: frozenset(Permission),
}


def role_has(role: Role | str, permission: Permission) -> bool:
    """Whether a role carries a permission."""
    return permission in ROLE_PERMISSIONS[Role(role)]
