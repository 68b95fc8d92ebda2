"""Jinja globals for points: a member's level (label and number), badges and the leaderboard's mode."""
from __future__ import annotations

from flask import g
from flask_login import current_user

from app.core.babel_internals import current_locale
from app.members.levels import Level, level_for
from app.members.notifications import chrome_state
from app.points.badges import badges_of
from app.points.leaderboard import mode as leaderboard_mode
from app.points.leaderboard import mode_of


def level_label(points: int | None) -> str:
    """A member's level as shown beside their posts, translated once per level and request."""
    level = level_for(points or 0)
    memo = g.get("_th_level_labels")
    if memo is None:
        memo = g._th_level_labels = {}
    key = (level.number, current_locale())
    if key not in memo:
        memo[key] = level.label
    return memo[key]


def level_of(points: int | None) -> Level:
    return level_for(points or 0)


def page_leaderboard_mode() -> str:
    """The leaderboard mode, as the page's chrome read it for a signed-in member (no query of its own)."""
    if current_user.is_authenticated:
        return mode_of(chrome_state(current_user.id)[1])
    return leaderboard_mode()


def jinja_globals() -> dict:
    return {"level_label": level_label, "level_of": level_of, "badges_of": badges_of,
            "leaderboard_mode": page_leaderboard_mode}
