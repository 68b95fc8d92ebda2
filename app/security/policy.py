"""Object rules as pure predicates: no abort, no request; views and templates ask these."""
from __future__ import annotations

from typing import Any

from app.db import ContentState
from app.security.roles import Permission, Role

PUBLISHED = ContentState.PUBLISHED.value


def _is_signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def can_moderate(user: Any) -> bool:
    return _is_signed_in(user) and user.can(Permission.MODERATE)


def can_see_identities(user: Any) -> bool:
    """Who may see which member is which in research views (the KOC shortlist): the roles that see real
    identities (SEE_EMAILS: hosts and admins); researchers see pseudonyms."""
    return _is_signed_in(user) and user.can(Permission.SEE_EMAILS)


def can_view_content(user: Any, item: Any) -> bool:
    """Published content is for every member; pending content for its author and hosts; the rest for hosts."""
    if not _is_signed_in(user) or not user.can(Permission.READ):
        return False
    if item.state == PUBLISHED:
        return True
    if can_moderate(user):
        return True
    return item.state == ContentState.PENDING.value and item.author_id == user.id


def can_view_thread(user: Any, thread: Any) -> bool:
    return can_view_content(user, thread)


def can_view_post(user: Any, post: Any) -> bool:
    return can_view_content(user, post) and can_view_thread(user, post.thread)


def can_start_thread(user: Any, category: Any = None) -> bool:
    return _is_signed_in(user) and user.can(Permission.POST)


def can_reply(user: Any, thread: Any) -> bool:
    if not (_is_signed_in(user) and user.can(Permission.POST) and can_view_thread(user, thread)):
        return False
    return not thread.is_locked or can_moderate(user)


def can_edit_post(user: Any, post: Any) -> bool:
    """Authors edit their own posts (not in locked threads); hosts edit any post."""
    if not _is_signed_in(user) or not can_view_post(user, post):
        return False
    if can_moderate(user):
        return True
    return (
        user.can(Permission.POST) and post.author_id == user.id
        and post.state in (PUBLISHED, ContentState.PENDING.value) and not post.thread.is_locked
    )


def can_react(user: Any, post: Any) -> bool:
    return (
        _is_signed_in(user) and user.can(Permission.REACT) and post.state == PUBLISHED
        and post.author_id != user.id and can_view_post(user, post)
    )


def can_see_email(user: Any, other: Any) -> bool:
    return _is_signed_in(user) and (user.id == other.id or user.can(Permission.SEE_EMAILS))


def can_invite(user: Any, role: str | None = None) -> bool:
    """Moderators invite members; only admins invite hosts, researchers and admins."""
    if not (_is_signed_in(user) and user.can(Permission.INVITE)):
        return False
    if role is None or role == Role.MEMBER.value:
        return True
    return user.can(Permission.MANAGE_ROLES)


def can_manage_community(user: Any) -> bool:
    return _is_signed_in(user) and user.can(Permission.MANAGE_COMMUNITY)


def can_research(user: Any) -> bool:
    return _is_signed_in(user) and user.can(Permission.RESEARCH)


def can_see_revisions(user: Any, post: Any) -> bool:
    """Authors, hosts and researchers may read a post's earlier versions."""
    return _is_signed_in(user) and (
        post.author_id == user.id or can_moderate(user) or user.can(Permission.RESEARCH)
    )


def can_flag(user: Any, post: Any) -> bool:
    """Anyone signed in may flag a published post they can see, except their own."""
    return (
        _is_signed_in(user) and user.can(Permission.FLAG) and post.state == PUBLISHED
        and post.author_id != user.id and can_view_post(user, post)
    )


def is_staff(user: Any) -> bool:
    """Admins, moderators and researchers: the people who hold members' confidences and exports."""
    return _is_signed_in(user) and any(user.can(p) for p in (Permission.MODERATE, Permission.RESEARCH,
                                                             Permission.MANAGE_COMMUNITY))


def can_edit_canned_reply(user: Any, reply: Any) -> bool:
    """Hosts edit their own canned replies and the shared ones; admins every one."""
    if not can_moderate(user):
        return False
    return can_manage_community(user) or reply.is_shared or reply.owner_id == user.id


def can_see_audit_log(user: Any) -> bool:
    """Hosts see the audit log of moderation; admins see all of it (``can_manage_community``)."""
    return can_moderate(user)
