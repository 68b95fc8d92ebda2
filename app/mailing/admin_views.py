"""Admin: the outbox (queued, sent, failed with the server's error; retry) and the inquiry promise."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.areas import admin_area as bp
from app.core.forms import ConfirmForm, attempt
from app.extensions import db
from app.mailing import alerts, queries, services
from app.mailing.forms import PromiseForm
from app.mailing.models import OutboxMessage, OutboxStatus

STATUSES = (OutboxStatus.QUEUED, OutboxStatus.FAILED, OutboxStatus.SENT)


@bp.route("/mail", methods=["GET", "POST"])
def mail_outbox():
    """The outbox by status, newest first, and the community's answer promise for inquiries."""
    status = request.args.get("status", OutboxStatus.QUEUED)
    status = status if status in STATUSES else OutboxStatus.QUEUED
    form = PromiseForm(data=None if request.method == "POST" else {"hours": alerts.promise_hours()})
    if form.validate_on_submit() and attempt(lambda: alerts.set_promise_hours(form.hours.data, by=current_user),
                                             form):
        flash(_("The promise is saved."), "success")
        return redirect(url_for("admin.mail_outbox", status=status))
    return render_template("admin/mail_outbox.html", status=status, statuses=STATUSES,
                           counts=queries.outbox_counts(), page=queries.outbox_page(status, request.args.get(
                               "page", 1, type=int)), form=form, confirm=ConfirmForm())


@bp.route("/mail/<int:message_id>/retry", methods=["POST"])
def mail_retry(message_id: int):
    """Queue a failed email again; audited."""
    message = db.get_or_404(OutboxMessage, message_id)
    if not ConfirmForm().validate_on_submit():
        flash(_("That request was not understood; nothing changed."), "error")
    elif attempt(lambda: services.retry_message(message, by=current_user)).result:
        flash(_("The email to %(email)s is queued again.", email=message.recipient), "success")
    else:
        flash(_("That email was already sent."), "info")
    return redirect(url_for("admin.mail_outbox", status=OutboxStatus.FAILED))
