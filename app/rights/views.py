"""The member's own privacy page in Settings: research consent, a copy of their data, deleting the account."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.services import current_consent
from app.core.dates import format_moment
from app.core.forms import ConfirmForm, attempt
from app.db import utcnow
from app.extensions import db, limiter, member_key
from app.rights import consent, data_export, erasure
from app.rights.forms import EraseAccountForm, ReconsentForm
from app.rights.models import DataExportRequest

bp = Blueprint("rights", __name__, url_prefix="/settings/privacy")


def _render(reconsent_form: ReconsentForm | None = None, erase_form: EraseAccountForm | None = None, status=200):
    document = current_consent()
    reconsent_form = reconsent_form or ReconsentForm(data={"version": document.version if document else ""})
    return render_template("rights/privacy.html", document=document, taking_part=consent.is_taking_part(current_user),
                           history=consent.consent_history(current_user), reconsent_form=reconsent_form,
                           erase_form=erase_form or EraseAccountForm(), confirm=ConfirmForm(),
                           downloads=data_export.member_requests(current_user), now=utcnow(),
                           is_downloadable=data_export.is_downloadable,
                           erasure=erasure.pending_erasure(current_user), grace_days=erasure.grace_days()), status


@bp.route("/")
def privacy():
    """The member's research consent and its history, their data downloads and the account deletion form."""
    return _render()


@bp.route("/withdraw", methods=["POST"])
def consent_withdraw():
    """Withdraw from research: the member's content leaves every research view from now on."""
    if ConfirmForm().validate_on_submit() and attempt(lambda: consent.withdraw_consent(current_user)):
        flash(_("You have withdrawn from research. Researchers no longer see what you write."), "success")
    return redirect(url_for("rights.privacy"))


@bp.route("/consent", methods=["POST"])
def consent_give():
    """Agree to the current consent text (again), so the member's content returns to research views."""
    form = ReconsentForm()
    if form.validate_on_submit():
        version = int(form.version.data) if form.version.data.isdigit() else -1
        if attempt(lambda: consent.give_consent_again(current_user, version), form):
            flash(_("Thank you: you are taking part in research again."), "success")
            return redirect(url_for("rights.privacy"))
    return _render(reconsent_form=form, status=400)


@bp.route("/download", methods=["POST"])
def data_export_request():
    """Ask for a copy of one's data; a job prepares it within minutes."""
    if ConfirmForm().validate_on_submit() and attempt(lambda: data_export.request_data_export(current_user)):
        flash(_("We are preparing a copy of your data. It will be offered here for download within a few minutes."),
              "success")
    return redirect(url_for("rights.privacy"))


@bp.route("/download/<int:request_id>")
def data_export_download(request_id: int):
    """The member's own zip, while it lasts; nobody else's (404), never cached."""
    download = db.session.get(DataExportRequest, request_id)
    if download is None or download.user_id != current_user.id:
        abort(404)
    if not data_export.is_downloadable(download, now=utcnow()) or not data_export.file_path(download).is_file():
        flash(_("This download has expired. Ask for a new copy of your data."), "error")
        return redirect(url_for("rights.privacy"))
    response = send_file(data_export.file_path(download), mimetype="application/zip", as_attachment=True,
                         download_name=f"teahouse-my-data-{download.ready_at:%Y%m%d}.zip", max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response


def _password_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]  # the form checks the password: as many tries as at login


@bp.route("/delete", methods=["POST"])
@limiter.limit(_password_limit, key_func=member_key)
def erasure_request():
    """Ask for the account to be deleted after the grace period (password and a tick confirm it)."""
    form = EraseAccountForm()
    if form.validate_on_submit():
        ok, pending = attempt(lambda: erasure.request_erasure(current_user, form.password.data), form)
        if ok:
            flash(_("Your account will be deleted on %(when)s. Until then you can cancel here.",
                    when=format_moment(pending.due_at)), "success")
            return redirect(url_for("rights.privacy"))
    return _render(erase_form=form, status=400)


@bp.route("/delete/cancel", methods=["POST"])
def erasure_cancel():
    """Cancel one's own pending account deletion."""
    pending = erasure.pending_erasure(current_user)
    if pending is not None and ConfirmForm().validate_on_submit() and attempt(
            lambda: erasure.cancel_erasure(pending, by=current_user)):
        flash(_("Your account will not be deleted."), "success")
    return redirect(url_for("rights.privacy"))
