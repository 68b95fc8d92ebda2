"""Badge rules, each awarded at most once per member (the unique constraint decides), with a notification."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from app.db import ContentState, utcnow
from app.extensions import db
from app.forum.models import Post
from app.members.models import User
from app.members.notifications import notify
from app.points.models import BadgeAward, PointEvent
from app.points.rules import ACCEPTED_TASKS_FOR_BADGE, BADGES, UPVOTES_FOR_BADGE
from app.security.activity_policy import earns_points


def grant_badge(user: User, code: str, *, now: datetime | None = None) -> bool:
    """Give a member a badge unless they hold it; returns whether it was new."""
    if code not in BADGES or not earns_points(user):
        return False
    if db.session.scalar(sa.select(BadgeAward.id).where(BadgeAward.user_id == user.id, BadgeAward.badge == code)):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(BadgeAward(user_id=user.id, badge=code, awarded_at=now or utcnow()))
    except sa.exc.IntegrityError:
        return False
    with force_locale(user.locale or "en"):
        notify(user.id, "badge", _("You earned the badge “%(name)s”.", name=str(BADGES[code][0])),
               url=f"/u/{user.id}")
    return True


def check_after_points(user: User, reason: str) -> None:
    """Rules that follow from the ledger itself: a task answer's acceptance counts toward the task badge."""
    if reason == "task_accepted":
        check_accepted_tasks(user, set())


def check_accepted_tasks(user: User, accepted_ids: set[int]) -> None:
    """Ten accepted task answers: ``accepted_ids`` (the answers accepted now, from the tasks domain) and those whose
    acceptance earned points (tasks worth 0 points leave no ledger row, so both are counted)."""
    ledger = set(db.session.scalars(sa.select(PointEvent.ref_id).where(
        PointEvent.user_id == user.id, PointEvent.reason == "task_accepted")))
    if len(ledger | accepted_ids) >= ACCEPTED_TASKS_FOR_BADGE:
        grant_badge(user, "tasks_10")


def check_first_post(user: User) -> None:
    if user.post_count >= 1:
        grant_badge(user, "first_post")


def check_upvotes(user: User) -> None:
    received = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(Post.reaction_count), 0)).where(
        Post.author_id == user.id, Post.state == ContentState.PUBLISHED.value)) or 0
    if received >= UPVOTES_FOR_BADGE:
        grant_badge(user, "upvotes_100")


def badges_of(user_id: int) -> list[dict]:
    """The member's badges, oldest first, with their translated names."""
    rows = db.session.scalars(sa.select(BadgeAward).where(BadgeAward.user_id == user_id)
                              .order_by(BadgeAward.awarded_at, BadgeAward.id))
    return [{"code": row.badge, "name": str(BADGES[row.badge][0]), "description": str(BADGES[row.badge][1]),
             "awarded_at": row.awarded_at} for row in rows if row.badge in BADGES]
