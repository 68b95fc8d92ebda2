"""Admin tools for moderation: the audit log, job runs, spam settings and purge, canned replies."""
from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import FloatField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.admin.views import bp
from app.core.forms import ConfirmForm
from app.core.params import day_arg
from app.core.settings import set_setting
from app.db import utcnow
from app.extensions import db
from app.jobs.models import JobRun
from app.jobs.registry import JOBS
from app.moderation import audit
from app.moderation.models import AuditEvent, CannedReply
from app.moderation.services import purge_spam
from app.moderation.spam import setting


class ModerationSettingsForm(FlaskForm):
    hold_threshold = FloatField(_l("Hold for review at spam score"), validators=[NumberRange(min=1, max=100)])
    quarantine_threshold = FloatField(_l("Quarantine as spam at score"), validators=[NumberRange(min=1, max=100)])
    flag_threshold = IntegerField(_l("Hide a post when flag weight reaches"), validators=[NumberRange(min=1, max=50)])
    retention_days = IntegerField(_l("Purge confirmed spam after (days)"), validators=[NumberRange(min=7, max=3650)])
    blocked_words = TextAreaField(_l("Blocked words (one per line)"), validators=[Optional(), Length(max=20_000)])
    submit = SubmitField(_l("Save settings"))


class CannedReplyForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=80)])
    body_en = TextAreaField(_l("English text"), validators=[Optional(), Length(max=5000)])
    body_zh = TextAreaField(_l("Chinese text"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save canned reply"))


@bp.route("/audit")
def audit_log():
    """Every audited action, filterable by actor, verb, target type and dates."""
    select = sa.select(AuditEvent).order_by(AuditEvent.id.desc())
    if (actor := (request.args.get("actor") or "").strip()):
        select = select.where(AuditEvent.actor_name.ilike(f"%{actor}%"))
    if (verb := (request.args.get("verb") or "").strip()):
        select = select.where(AuditEvent.verb.ilike(f"{verb}%"))
    if (target := (request.args.get("target") or "").strip()):
        select = select.where(AuditEvent.target_type == target)
    if (start := day_arg("from")):
        select = select.where(AuditEvent.created_at >= start)
    if (end := day_arg("to", end=True)):
        select = select.where(AuditEvent.created_at <= end)
    page = db.paginate(select, per_page=50, error_out=False)
    targets = db.session.scalars(sa.select(AuditEvent.target_type).distinct().where(
        AuditEvent.target_type.is_not(None))).all()
    return render_template("admin/audit_log.html", page=page, targets=sorted(targets))


@bp.route("/jobs")
def job_runs():
    """Scheduled jobs with their interval and recent runs."""
    from app.jobs.lease import current

    runs = {spec.id: db.session.scalars(sa.select(JobRun).where(JobRun.job_id == spec.id)
                                        .order_by(JobRun.started_at.desc()).limit(10)).all() for spec in JOBS}
    return render_template("admin/job_runs.html", jobs=JOBS, runs=runs, lease=current(), now=utcnow())


@bp.route("/moderation", methods=["GET", "POST"])
def moderation_settings():
    """Spam and flag thresholds, blocked words and spam retention."""
    current = {"hold_threshold": setting("spam.hold_threshold"),
               "quarantine_threshold": setting("spam.quarantine_threshold"),
               "flag_threshold": setting("flags.hide_threshold"), "retention_days": setting("spam.retention_days"),
               "blocked_words": "\n".join(setting("spam.blocked_words"))}
    form = ModerationSettingsForm(data=current if request.method == "GET" else None)
    if form.validate_on_submit():
        words = sorted({w.strip() for w in (form.blocked_words.data or "").splitlines() if w.strip()})
        values = {"spam.hold_threshold": form.hold_threshold.data,
                  "spam.quarantine_threshold": form.quarantine_threshold.data,
                  "flags.hide_threshold": form.flag_threshold.data, "spam.retention_days": form.retention_days.data,
                  "spam.blocked_words": words}
        for key, value in values.items():
            set_setting(key, value, by=current_user)
        audit.record(current_user, "settings.moderation", None, before=current, after=values)
        db.session.commit()
        flash(_("Settings saved."), "success")
        return redirect(url_for("admin.moderation_settings"))
    return render_template("admin/moderation_settings.html", form=form, confirm=ConfirmForm())


@bp.route("/moderation/purge", methods=["POST"])
def spam_purge():
    """Delete spam older than the retention period (audited, with counts)."""
    if ConfirmForm().validate_on_submit():
        deleted = purge_spam(utcnow(), by=current_user)
        db.session.commit()
        flash(_("%(n)d spam posts deleted.", n=deleted), "success")
    return redirect(url_for("admin.moderation_settings"))


@bp.route("/canned", methods=["GET", "POST"])
@bp.route("/canned/<int:reply_id>", methods=["GET", "POST"])
def canned_replies(reply_id: int | None = None):
    """Canned replies hosts can insert when replying, in English and Chinese."""
    reply = db.get_or_404(CannedReply, reply_id) if reply_id else None
    form = CannedReplyForm(obj=reply)
    if form.validate_on_submit():
        if not (form.body_en.data or form.body_zh.data):
            form.body_en.errors = [_("Write the reply in at least one language.")]
        else:
            created = reply is None
            reply = reply or CannedReply()
            form.populate_obj(reply)
            db.session.add(reply)
            db.session.flush()
            audit.record(current_user, "canned.create" if created else "canned.update", reply,
                         after={"title": reply.title})
            db.session.commit()
            flash(_("Canned reply saved."), "success")
            return redirect(url_for("admin.canned_replies"))
    replies = db.session.scalars(sa.select(CannedReply).order_by(CannedReply.archived_at.is_not(None),
                                                                 CannedReply.title)).all()
    return render_template("admin/canned_replies.html", form=form, replies=replies, reply=reply)


@bp.route("/canned/<int:reply_id>/archive", methods=["POST"])
def canned_archive(reply_id: int):
    """Archive a canned reply (kept, no longer offered)."""
    reply = db.get_or_404(CannedReply, reply_id)
    if ConfirmForm().validate_on_submit() and reply.archived_at is None:
        reply.archived_at = utcnow()
        audit.record(current_user, "canned.archive", reply)
        db.session.commit()
    return redirect(url_for("admin.canned_replies"))
