"""The activities page (blueprint "activities"): open and recently closed tasks, polls and competitions."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from app.competitions.services import listed_competitions
from app.db import utcnow
from app.polls.services import listed_polls
from app.tasks.services import open_tasks

bp = Blueprint("activities", __name__)


@bp.route("/activities")
def index():
    """Tasks, polls and competitions the member can take part in, soonest first."""
    now = utcnow()
    open_polls, closed_polls = listed_polls(current_user, now, limit=20)
    competitions = listed_competitions(current_user)
    return render_template("activities/index.html", now=now, open_polls=open_polls, closed_polls=closed_polls,
                           competitions=competitions, tasks=open_tasks(current_user, now))
