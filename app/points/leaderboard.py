"""The leaderboard: members ranked by points over the last 7 days, 30 days or all time."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.members.models import User
from app.points.models import PointEvent
from app.points.rules import setting
from app.security.roles import Permission, Role, role_has

PERIODS = {"week": (_l("Last 7 days"), 7), "month": (_l("Last 30 days"), 30), "all": (_l("All time"), None)}
MODES = {"on": _l("Everyone sees the leaderboard"), "own_rank": _l("Members see only their own rank"),
         "off": _l("Switched off")}
# Roles that collect points: participants who are not hosts.
EARNING_ROLES = [r.value for r in Role if role_has(r, Permission.POST) and not role_has(r, Permission.MODERATE)]


@dataclass(frozen=True)
class Standing:
    rank: int
    user_id: int
    display_name: str
    points: int
    is_vip: bool


def mode() -> str:
    return mode_of(setting("leaderboard.mode"))


def mode_of(value) -> str:
    """The leaderboard mode a stored setting value means (unset or unknown: "on")."""
    return value if value in MODES else "on"


def _ranked(period: str, now: datetime) -> sa.Subquery:
    days = PERIODS[period][1]
    if days is None:
        total = User.points
        select = sa.select(User.id.label("user_id"), total.label("points"))
    else:
        total = sa.func.sum(PointEvent.amount)
        select = (sa.select(PointEvent.user_id.label("user_id"), total.label("points"))
                  .where(PointEvent.created_at >= now - timedelta(days=days)).group_by(PointEvent.user_id))
    totals = select.subquery()
    return (sa.select(User.id.label("user_id"), User.display_name, User.is_vip, totals.c.points,
                      sa.func.rank().over(order_by=totals.c.points.desc()).label("rank"))
            .join(totals, totals.c.user_id == User.id)
            .where(User.role.in_(EARNING_ROLES), totals.c.points > 0)).subquery()


def board(period: str, now: datetime, *, limit: int = 50) -> list[Standing]:
    """The top members (equal points share a rank), best first."""
    ranked = _ranked(period, now)
    rows = db.session.execute(sa.select(ranked).order_by(ranked.c.rank, ranked.c.display_name).limit(limit))
    return [Standing(r.rank, r.user_id, r.display_name, int(r.points), r.is_vip) for r in rows]


def standing_of(user: User, period: str, now: datetime) -> Standing | None:
    ranked = _ranked(period, now)
    row = db.session.execute(sa.select(ranked).where(ranked.c.user_id == user.id)).first()
    return Standing(row.rank, row.user_id, row.display_name, int(row.points), row.is_vip) if row else None
