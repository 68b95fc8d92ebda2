"""Community health for hosts and admins: server-rendered charts over a chosen period, quiet members."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.areas import moderation_area as bp
from app.core.forms import ConfirmForm, attempt
from app.db import utcnow
from app.extensions import db
from app.members.models import User
from app.pulse import queries, services


def _choice(name: str, allowed: tuple[int, ...], default: int) -> int:
    value = request.args.get(name, type=int)
    return value if value in allowed else default


@bp.route("/health")
def health_dashboard():
    """Daily and weekly activity, answers, participation, cohorts and quiet members, from the rollups."""
    period = _choice("period", queries.PERIODS, 30)
    quiet_days = _choice("quiet", queries.QUIET_DAYS, 30)
    data = services.dashboard(utcnow(), period, quiet_days)
    return render_template("pulse/health_dashboard.html", period=period, quiet_days=quiet_days,
                           periods=queries.PERIODS, quiet_choices=queries.QUIET_DAYS, form=ConfirmForm(), **data)


@bp.route("/health/invite-back/<int:user_id>", methods=["POST"])
def health_invite_back(user_id: int):
    """Send one quiet member a "we miss you" email (through the outbox)."""
    member = db.get_or_404(User, user_id)
    back = url_for("moderation.health_dashboard", period=request.args.get("period", type=int),
                   quiet=request.args.get("quiet", type=int))
    if not ConfirmForm().validate_on_submit():
        flash(_("That request was not understood; nothing changed."), "error")
        return redirect(back)
    ok, queued = attempt(lambda: services.invite_back(member, by=current_user, now=utcnow()))
    if ok:
        flash(_("An invitation back is on its way to %(name)s.", name=member.display_name) if queued else
              _("%(name)s was already invited back today.", name=member.display_name), "success" if queued else "info")
    return redirect(back)
