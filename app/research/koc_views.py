"""The KOC shortlist for hosts (routes on the moderation blueprint): the same ranking, with VIP grants.

Researchers see the shortlist in their own area but only observe; granting VIP is a host's act
(``can_adjust_points``), done through ``points.services.set_vip``, which audits it.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.areas import moderation_area as bp
from app.core.forms import attempt
from app.db import utcnow
from app.extensions import db
from app.members.models import User
from app.points.services import set_vip
from app.research.forms import KocVipForm
from app.research.influence import PERIODS, koc_shortlist, period_days
from app.security import activity_policy
from app.security.guards import ensure


def _vip_form(member: User, *, blank: bool = False) -> KocVipForm:
    """The row's form: blank ones offer the opposite of the member's status; submitted ones keep what was sent."""
    form = KocVipForm(prefix=f"vip-{member.id}", formdata=None) if blank else KocVipForm(prefix=f"vip-{member.id}")
    if blank:
        form.make_vip.data = "0" if member.is_vip else "1"
    form.submit.label.text = _("Remove VIP") if member.is_vip else _("Make VIP")
    return form


def _render(days: int, failed: KocVipForm | None = None, failed_id: int | None = None) -> str:
    ranking = koc_shortlist(utcnow(), days=days)
    forms = {item.user.id: _vip_form(item.user, blank=True) for item in ranking
             if activity_policy.can_adjust_points(current_user, item.user)}
    if failed is not None:
        forms[failed_id] = failed
    return render_template("research/koc_hosts.html", ranking=ranking, days=days, periods=PERIODS,
                           vip_forms=forms, koc_endpoint="moderation.koc")


@bp.route("/koc")
def koc():
    """The KOC shortlist with a VIP button (and a reason) on each member's row."""
    return _render(period_days(request.args.get("days", type=int)))


@bp.route("/koc/<int:user_id>/vip", methods=["POST"])
def koc_vip(user_id: int):
    """Grant or remove VIP for a shortlisted member, with a reason (audited by the points service)."""
    member = db.get_or_404(User, user_id)
    ensure(activity_policy.can_adjust_points(current_user, member))
    days = period_days(request.args.get("days", type=int))
    form = _vip_form(member)
    if not form.validate_on_submit():
        return _render(days, form, member.id)
    ok, changed = attempt(lambda: set_vip(member, form.make_vip.data == "1", by=current_user,
                                          reason=form.reason.data or ""), form)
    if not ok:
        return _render(days, form, member.id)
    if not changed:
        flash(_("%(name)s already had that status.", name=member.display_name), "info")
    else:
        flash(_("%(name)s is now a VIP.", name=member.display_name) if member.is_vip
              else _("%(name)s is no longer a VIP.", name=member.display_name), "success")
    return redirect(url_for("moderation.koc", days=days))
