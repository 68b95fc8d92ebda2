"""The admins' view of members' rights: deletion requests (cancel or run now), data downloads, withdrawals and
the erasure settings. Routes hang on the admin blueprint (guarded there)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.areas import admin_area as bp
from app.core.forms import ConfirmForm, attempt
from app.extensions import db
from app.rights import erasure, queries
from app.rights.forms import RightsSettingsForm
from app.rights.models import ErasureRequest

LISTED = 50


@bp.route("/member-rights", methods=["GET", "POST"])
def member_rights():
    """Members' deletion requests, data downloads and research withdrawals, with the erasure settings."""
    form = RightsSettingsForm(data={"grace_days": erasure.grace_days(), "erased_posts": erasure.erased_posts_policy()}
                              if request.method == "GET" else None)
    if form.validate_on_submit():
        ok, changed = attempt(lambda: erasure.set_rights_settings(grace=form.grace_days.data,
                                                                  posts=form.erased_posts.data, by=current_user), form)
        if ok:
            flash(_("Settings saved.") if changed else _("Nothing to change."), "success" if changed else "info")
            return redirect(url_for("admin.member_rights"))
    return render_template("admin/member_rights.html", form=form, confirm=ConfirmForm(), **queries.admin_lists(LISTED))


@bp.route("/member-rights/erasures/<int:request_id>/cancel", methods=["POST"])
def erasure_cancel(request_id: int):
    """Cancel a member's pending account deletion."""
    pending = db.get_or_404(ErasureRequest, request_id)
    if ConfirmForm().validate_on_submit() and attempt(lambda: erasure.cancel_erasure(pending, by=current_user)):
        flash(_("The deletion of %(name)s's account is cancelled.", name=pending.user.display_name), "success")
    return redirect(url_for("admin.member_rights"))


@bp.route("/member-rights/erasures/<int:request_id>/run", methods=["POST"])
def erasure_run(request_id: int):
    """Erase a member's account now instead of at the end of the grace period."""
    pending = db.get_or_404(ErasureRequest, request_id)
    if ConfirmForm().validate_on_submit() and attempt(lambda: erasure.erase_now(pending, by=current_user)):
        flash(_("The account is erased."), "success")
    return redirect(url_for("admin.member_rights"))
