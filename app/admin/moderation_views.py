"""Admin tools for moderation: the audit log, job runs, spam settings and purge, canned replies."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.admin import queries, services
from app.admin.forms import ModerationSettingsForm
from app.audit import queries as audit_queries
from app.audit.filters import chosen_filter
from app.core.areas import admin_area as bp
from app.core.forms import ConfirmForm, attempt
from app.core.params import paginate
from app.db import utcnow
from app.extensions import db
from app.jobs.lease import current
from app.jobs.registry import JOBS
from app.jobs.schedule import next_runs
from app.moderation import canned
from app.moderation.forms import CannedReplyForm
from app.moderation.models import CannedReply
from app.moderation.services import purge_spam

AUDIT_PER_PAGE = 50
RUNS_PER_JOB = 10
# Form field -> setting key, for the fields that hold the value as it is stored (not blocked words: lines of text).
SETTING_FIELDS = {field: key for key, field in services.MODERATION_SETTINGS.items() if key != "spam.blocked_words"}


@bp.route("/audit")
def audit_log():
    """Every audited action, newest first, filterable by actor, verb, target type and dates."""
    chosen, problems = chosen_filter()
    page = paginate(audit_queries.audit_events(**chosen), exact=True, per_page=AUDIT_PER_PAGE,
                    max_per_page=AUDIT_PER_PAGE, error_out=False)
    return render_template("admin/audit_log.html", page=page, targets=audit_queries.audit_target_types(),
                           problems=problems)


@bp.route("/jobs")
def job_runs():
    """Each scheduled job with its interval and its latest runs (status, items, duration, error)."""
    runs = {spec.id: queries.latest_job_runs(spec.id, RUNS_PER_JOB) for spec in JOBS}
    intervals = {spec.id: spec.interval_seconds(current_app) for spec in JOBS}
    now = utcnow()
    return render_template("admin/job_runs.html", jobs=JOBS, runs=runs, intervals=intervals, lease=current(),
                           now=now, next_runs=next_runs(current_app, JOBS, now))


@bp.route("/moderation", methods=["GET", "POST"])
def moderation_settings():
    """Spam and flag thresholds, blocked words and spam retention, with the purge button."""
    current = services.current_moderation_settings()
    data = {field: current[key] for field, key in SETTING_FIELDS.items()}
    form = ModerationSettingsForm(data={**data, "blocked_words": "\n".join(current["spam.blocked_words"])}
                                  if request.method == "GET" else None)
    if form.validate_on_submit():
        def save() -> bool:
            values = {key: getattr(form, field).data for field, key in SETTING_FIELDS.items()}
            values["spam.blocked_words"] = services.blocked_words_from(form.blocked_words.data)
            return services.save_moderation_settings(values, by=current_user)

        ok, changed = attempt(save, form)
        if ok:
            flash(_("Settings saved.") if changed else _("Nothing to change."), "success" if changed else "info")
            return redirect(url_for("admin.moderation_settings"))
    return render_template("admin/moderation_settings.html", form=form,
                           retention_days=current["spam.retention_days"])


@bp.route("/moderation/purge", methods=["POST"])
def spam_purge():
    """Delete posts quarantined as spam for longer than the retention period (each leaves a tombstone)."""
    if ConfirmForm().validate_on_submit():
        deleted = purge_spam(utcnow(), by=current_user)
        db.session.commit()
        days = services.current_moderation_settings()["spam.retention_days"]
        flash(ngettext("%(num)d spam post older than %(days)d days deleted.",
                       "%(num)d spam posts older than %(days)d days deleted.", deleted, days=days), "success")
    return redirect(url_for("admin.moderation_settings"))


@bp.route("/canned", methods=["GET", "POST"])
@bp.route("/canned/<int:reply_id>", methods=["GET", "POST"])
def canned_replies(reply_id: int | None = None):
    """Canned replies hosts insert when replying, in English and Chinese: list, create and edit."""
    reply = db.get_or_404(CannedReply, reply_id) if reply_id else None
    form = CannedReplyForm(obj=reply if request.method == "GET" else None)
    if form.validate_on_submit():
        ok, saved = attempt(lambda: canned.save_canned_reply(
            reply, by=current_user, title=form.title.data, body_en=form.body_en.data, body_zh=form.body_zh.data,
            shared=reply.is_shared if reply else True), form)  # an admin's replies are for every host
        if ok:
            flash(_("Canned reply saved.") if saved else _("Nothing to change."), "success" if saved else "info")
            return redirect(url_for("admin.canned_replies"))
    return render_template("admin/canned_replies.html", form=form, replies=queries.all_canned_replies(), reply=reply)


@bp.route("/canned/<int:reply_id>/archive", methods=["POST"])
def canned_archive(reply_id: int):
    """Archive a canned reply: kept, no longer offered."""
    reply = db.get_or_404(CannedReply, reply_id)
    if ConfirmForm().validate_on_submit() and canned.archive_canned_reply(reply, by=current_user):
        db.session.commit()
        flash(_("Canned reply archived."), "success")
    return redirect(url_for("admin.canned_replies"))


@bp.route("/canned/<int:reply_id>/restore", methods=["POST"])
def canned_restore(reply_id: int):
    """Offer an archived canned reply again."""
    reply = db.get_or_404(CannedReply, reply_id)
    if ConfirmForm().validate_on_submit() and canned.restore_canned_reply(reply, by=current_user):
        db.session.commit()
        flash(_("Canned reply restored."), "success")
    return redirect(url_for("admin.canned_replies"))
