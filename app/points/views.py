"""The leaderboard, a member's points history, and hosts' grants, revokes and VIP changes."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.forms import attempt
from app.db import utcnow
from app.extensions import db
from app.members.levels import level_for, next_level
from app.members.models import User
from app.points import leaderboard as ranking
from app.points import services
from app.points.badges import badges_of
from app.points.forms import AdjustPointsForm, VipForm
from app.points.rules import REASON_LABELS
from app.security import activity_policy as rules
from app.security.guards import ensure

bp = Blueprint("points", __name__)


@bp.route("/leaderboard")
def leaderboard():
    """Members ranked by points in the last 7 days, 30 days or all time (admins may limit or switch it off)."""
    mode = ranking.mode()
    ensure(rules.can_see_leaderboard(current_user, mode), hidden=True)
    period = request.args.get("period", "week")
    if period not in ranking.PERIODS:
        period = "week"
    now = utcnow()
    full = rules.can_see_full_leaderboard(current_user, mode)
    return render_template("points/leaderboard.html", period=period, periods=ranking.PERIODS, mode=mode,
                           standings=ranking.board(period, now) if full else [],
                           mine=ranking.standing_of(current_user, period, now), full=full,
                           earns=rules.earns_points(current_user))


@bp.route("/u/<int:user_id>/points", methods=["GET", "POST"])
def member_points(user_id: int):
    """A member's points, level, badges and ledger (the member and hosts); hosts grant, take back, set VIP."""
    member = db.get_or_404(User, user_id)
    ensure(rules.can_see_points_history(current_user, member))
    form, vip_form = AdjustPointsForm(), VipForm()
    if request.method == "POST":
        ensure(rules.can_adjust_points(current_user, member))
        done = _adjust(member, form) if form.submit_points.data else _vip(member, vip_form)
        if done:
            return redirect(url_for("points.member_points", user_id=member.id))
    level = level_for(member.points)
    return render_template("points/member_points.html", member=member, level=level, next=next_level(level),
                           events=services.history(member), labels=REASON_LABELS, badges=badges_of(member.id),
                           form=form, vip_form=vip_form)


def _adjust(member: User, form: AdjustPointsForm) -> bool:
    if not form.validate_on_submit():
        return False
    amount = form.amount.data if form.direction.data == "grant" else -form.amount.data
    if not attempt(lambda: services.adjust_points(member, amount, by=current_user, reason=form.reason.data), form):
        return False
    flash(_("Points saved; the member is notified."), "success")
    return True


def _vip(member: User, form: VipForm) -> bool:
    if not form.validate_on_submit():
        return False
    ok, changed = attempt(lambda: services.set_vip(member, not member.is_vip, by=current_user,
                                                   reason=form.vip_reason.data), form)
    if not ok:
        return False
    if changed:
        flash(_("%(name)s is now a VIP.", name=member.display_name) if member.is_vip
              else _("%(name)s is no longer a VIP.", name=member.display_name), "success")
    return True
