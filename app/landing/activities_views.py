"""The activities page (blueprint "activities"): open and recently closed tasks, polls and competitions."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.competitions.models import competition_phase
from app.competitions.services import listed_competitions
from app.db import utcnow
from app.polls.services import listed_polls
from app.tasks.services import open_tasks

bp = Blueprint("activities", __name__)

# Translated when shown (only the phases on the page), not all on every request.
PHASE_LABELS = {"draft": _l("draft"), "upcoming": _l("opens soon"), "entry": _l("open for entries"),
                "between": _l("voting opens soon"), "voting": _l("voting"), "counting": _l("counting"),
                "closed": _l("closed")}


@bp.route("/activities")
def index():
    """Tasks, polls and competitions the member can take part in, soonest first."""
    now, user = utcnow(), current_user._get_current_object()
    open_polls, closed_polls = listed_polls(user, now, limit=20)
    competitions = [(c, competition_phase(c, now)) for c in listed_competitions(user)]
    return render_template("activities/index.html", open_polls=open_polls, closed_polls=closed_polls,
                           competitions=competitions, phase_labels=PHASE_LABELS, tasks=open_tasks(user, now))
