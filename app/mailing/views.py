"""Members' email preferences, one-click unsubscribe (no login), and hosts' invitations to activities."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.forms import attempt
from app.extensions import csrf, db
from app.mailing import invitations, preferences, services
from app.mailing.forms import InviteForm, UnsubscribeForm, chosen_modes, preferences_form
from app.security.guards import require
from app.security.roles import Permission

bp = Blueprint("mailing", __name__, url_prefix="/mail")


@bp.route("/preferences", methods=["GET", "POST"])
def preferences_page():
    """Choose, per kind of news, email at once / in the digest / never, and how often the digest comes."""
    form = preferences_form(current_user.is_host, preferences.choices(current_user.id))
    if form.validate_on_submit() and attempt(lambda: services.save_preferences(current_user, chosen_modes(form)),
                                             form):
        flash(_("Your email preferences are saved."), "success")
        return redirect(url_for("mailing.preferences_page"))
    return render_template("mailing/preferences.html", form=form)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no session; the signed token is proof
def unsubscribe(token: str):
    """Turn one kind of email off from a link in that email, without logging in."""
    target = services.unsubscribe_target(token)
    if target is None:
        return render_template("mailing/unsubscribe.html", invalid=True, form=None), 404
    user, category = target
    form = UnsubscribeForm()
    if request.method == "POST":
        services.unsubscribe(user, category)
        db.session.commit()
        return render_template("mailing/unsubscribe.html", done=True, label=services.category_label(category),
                               form=None)
    return render_template("mailing/unsubscribe.html", label=services.category_label(category), form=form)


@bp.route("/invite/<any(poll, task, competition):kind>/<int:activity_id>", methods=["GET", "POST"])
@require(Permission.PUBLISH_ACTIVITY)
def activity_invite(kind: str, activity_id: int):
    """Invite all members or a segment to an open activity, after seeing how many members it reaches."""
    activity = invitations.load_activity(kind, activity_id)
    if activity is None:
        abort(404)
    form = InviteForm()
    form.segment.choices = services.segment_choices()
    reach = None
    if form.validate_on_submit():
        segment = int(form.segment.data) if form.segment.data else None
        reach = invitations.reach(segment)
        if form.send.data:
            ok, sent = attempt(lambda: invitations.invite(activity, segment_value_id=segment, by=current_user), form)
            if ok:
                flash(_("Invitations sent to %(n)d members.", n=sent.reach), "success")
                return redirect(activity.url)
    return render_template("mailing/activity_invite.html", form=form, activity=activity, reach=reach)
