"""Jinja globals for activities, points and segments (registered once in app.core.templating)."""
from __future__ import annotations

from app.points.badges import badges_of
from app.points.leaderboard import mode as leaderboard_mode
from app.points.rules import level_for
from app.polls.views import poll_panels
from app.security import activity_policy
from app.segments.views import my_segment_form


def jinja_globals() -> dict:
    return {"activity": activity_policy, "poll_panels": poll_panels, "my_segment_form": my_segment_form,
            "leaderboard_mode": leaderboard_mode, "level_of": lambda points: level_for(points or 0),
            "badges_of": badges_of}
