"""Points, levels and badges declared in one place: amounts, daily caps, level thresholds, badge rules."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.settings import get_setting

# Admin-adjustable amounts and caps (admin > Points and leaderboard), with their defaults.
DEFAULTS: dict[str, int | str] = {
    "points.post": 1,  # a reply
    "points.thread": 2,  # starting a thread
    "points.post_daily_cap": 10,  # posting earns at most this much per UTC day, so spam cannot farm points
    "points.reply_received": 1,  # per distinct member replying to (or quoting) you, once per thread
    "points.reply_received_daily_cap": 10,
    "points.poll_vote": 2,
    "leaderboard.mode": "on",  # on | own_rank | off
}


def setting(key: str):
    return get_setting(key, DEFAULTS[key])


REASON_LABELS = {
    "post": _l("Reply"),
    "thread": _l("New thread"),
    "post_removed": _l("Post removed by the hosts"),
    "post_restored": _l("Post restored"),
    "reply_received": _l("Reply from another member"),
    "reply_removed": _l("A reply to you was removed by the hosts"),
    "reply_restored": _l("A reply to you was restored"),
    "poll_vote": _l("Poll answered"),
    "competition_entry": _l("Competition entry"),
    "entry_removed": _l("Competition entry removed by the hosts"),
    "entry_restored": _l("Competition entry restored"),
    "competition_win": _l("Competition win"),
    "task_accepted": _l("Task answer accepted"),
    "task_returned": _l("Task answer sent back for more"),
    "task_reaccepted": _l("Task answer accepted again"),
    "moderator_grant": _l("Granted by a host"),
    "moderator_revoke": _l("Taken back by a host"),
}


UPVOTES_FOR_BADGE = 100
ACCEPTED_TASKS_FOR_BADGE = 10

# Badge code -> (name, how it is earned). The rules that award them live in app/points/badges.py.
BADGES = {
    "first_post": (_l("First post"), _l("Wrote a first post.")),
    "competition_winner": (_l("Competition winner"), _l("Won a community competition.")),
    "upvotes_100": (_l("Appreciated"), _l("Received %(n)d upvotes.", n=UPVOTES_FOR_BADGE)),
    "tasks_10": (_l("Task champion"), _l("Had %(n)d task answers accepted.", n=ACCEPTED_TASKS_FOR_BADGE)),
}
