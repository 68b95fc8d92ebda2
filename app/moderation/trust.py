"""Trust levels in the spirit of Discourse's: new members earn trust with accepted posts and time; hosts may set it.

0 new: first links and first posts with contact details wait for review. 1 basic: a day and 3 accepted posts, or a
month without trouble. 2 member: two weeks and 15 accepted posts. 3 regular: two months and 50 accepted posts.
Confirmed spam in the last month sends an account back to new. A level a host sets is kept as set (``locked``).
"""
from __future__ import annotations

import enum
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import audit
from app.core.exceptions import DomainError
from app.db import ContentState
from app.extensions import db
from app.forum.models import Post
from app.members.models import User
from app.security import policy


class TrustLevel(enum.IntEnum):
    NEW = 0
    BASIC = 1
    MEMBER = 2
    REGULAR = 3

    @property
    def label(self) -> str:
        return str(TRUST_LABELS[self])


TRUST_LABELS = {TrustLevel.NEW: _l("New"), TrustLevel.BASIC: _l("Basic"), TrustLevel.MEMBER: _l("Member"),
                TrustLevel.REGULAR: _l("Regular")}
def trust_label(level: int) -> str:
    """A level's name in the reader's language."""
    return str(TRUST_LABELS.get(TrustLevel(level), level)) if level in {int(t) for t in TrustLevel} else str(level)


# (level, days since joining, accepted posts): the first row a member meets is their earned level.
EARNED = ((TrustLevel.REGULAR, 60, 50), (TrustLevel.MEMBER, 14, 15), (TrustLevel.BASIC, 1, 3), (TrustLevel.BASIC, 30, 0))


def accepted_posts(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Post).where(
        Post.author_id == user.id, Post.state == ContentState.PUBLISHED.value)) or 0


def _recent_spam(user: User, now: datetime) -> bool:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Post).where(
        Post.author_id == user.id, Post.state == ContentState.SPAM.value,
        Post.created_at >= now - timedelta(days=30))) > 0


def earned_level(user: User, now: datetime) -> TrustLevel:
    """The level the member's record earns today (new after confirmed spam in the last month)."""
    days, posts = (now - user.created_at).total_seconds() / 86_400, accepted_posts(user)
    for level, min_days, min_posts in EARNED:
        if days >= min_days and posts >= min_posts:
            return TrustLevel.NEW if _recent_spam(user, now) else level
    return TrustLevel.NEW


def current_level(user: User, now: datetime) -> TrustLevel:
    """The member's level, brought up to date (it grows by itself; confirmed spam sends it back to new)."""
    if user.is_host:
        return TrustLevel.REGULAR
    if user.trust_level_locked:
        return TrustLevel(user.trust_level)
    if _recent_spam(user, now):
        level = TrustLevel.NEW
    else:
        level = max(earned_level(user, now), TrustLevel(user.trust_level))
    if user.trust_level != int(level):
        user.trust_level = int(level)
    return level


def set_trust_level(user: User, level: int, *, by: User, reason: str | None = None) -> bool:
    """A host sets a member's level (kept until a host releases it: ``level`` -1 lets it be earned again)."""
    if not policy.can_moderate(by):
        raise DomainError(_("Only hosts can change trust levels."))
    if level != -1 and level not in {int(t) for t in TrustLevel}:
        raise DomainError(_("Choose a trust level."), "level")
    before = {"level": user.trust_level, "locked": user.trust_level_locked}
    if level == -1:
        user.trust_level_locked = False
    else:
        user.trust_level, user.trust_level_locked = level, True
    after = {"level": user.trust_level, "locked": user.trust_level_locked}
    if after == before:
        return False
    audit.record(by, "user.trust_level", user, reason=(reason or "").strip() or None, before=before, after=after)
    return True
