"""Hosts' canned replies: list, write and edit their own and the shared ones (admins: every one)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.areas import moderation_area as bp
from app.core.forms import ConfirmForm, attempt
from app.extensions import db
from app.moderation import canned, queries
from app.moderation.forms import CannedReplyForm
from app.moderation.models import CannedReply
from app.security import policy
from app.security.guards import ensure


def _reply_or_none(reply_id: int | None) -> CannedReply | None:
    if reply_id is None:
        return None
    reply = db.get_or_404(CannedReply, reply_id)
    ensure(policy.can_edit_canned_reply(current_user, reply))
    return reply


@bp.route("/canned", methods=["GET", "POST"])
@bp.route("/canned/<int:reply_id>", methods=["GET", "POST"])
def canned_replies(reply_id: int | None = None):
    """The canned replies a host may use and edit, with a form to write one or change the chosen one."""
    reply = _reply_or_none(reply_id)
    form = CannedReplyForm(obj=reply if request.method == "GET" else None)
    if form.validate_on_submit():
        ok, saved = attempt(lambda: canned.save_canned_reply(
            reply, by=current_user, title=form.title.data, body_en=form.body_en.data, body_zh=form.body_zh.data,
            shared=form.is_shared.data), form)
        if ok:
            flash(_("Canned reply saved.") if saved else _("Nothing to change."), "success" if saved else "info")
            return redirect(url_for("moderation.canned_replies"))
    replies = queries.manageable_canned_replies(current_user.id, every=policy.can_manage_community(current_user))
    return render_template("moderation/canned_replies.html", form=form, replies=replies, reply=reply)


@bp.route("/canned/<int:reply_id>/<any(archive, restore):action>", methods=["POST"])
def canned_reply_state(reply_id: int, action: str):
    """Archive a canned reply (kept, no longer offered) or offer it again."""
    reply = _reply_or_none(reply_id)
    if not ConfirmForm().validate_on_submit():
        flash(_("That request was not understood; nothing changed."), "error")
    else:
        change = canned.archive_canned_reply if action == "archive" else canned.restore_canned_reply
        ok, changed = attempt(lambda: change(reply, by=current_user))
        if ok and changed:
            flash(_("Canned reply archived.") if action == "archive" else _("Canned reply restored."), "success")
    return redirect(url_for("moderation.canned_replies"))
