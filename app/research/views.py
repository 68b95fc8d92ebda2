"""The researchers' area (observers): an overview of what the community has said so far."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, jsonify, redirect, render_template, send_file, url_for
from flask_login import current_user

from app.core.exceptions import DomainError
from app.core.forms import choices, show_domain_error
from app.db import ContentState
from app.extensions import db, limiter
from app.forum.models import Category, Post, Thread
from app.members.models import User
from app.research.models import ExportRun
from app.research.transcript import count_rows
from app.security.guards import guard_area
from app.security.roles import Permission

bp = Blueprint("research", __name__, url_prefix="/research")
guard_area(bp, Permission.RESEARCH)


@bp.route("/")
def overview():
    """Per-category volumes and the members who consented to research."""
    published = ContentState.PUBLISHED.value
    rows = db.session.execute(
        sa.select(Category.id, Category.name, sa.func.count(sa.distinct(Thread.id)), sa.func.count(Post.id),
                  sa.func.count(sa.distinct(Post.author_id)), sa.func.max(Post.created_at))
        .select_from(Category)
        .outerjoin(Thread, sa.and_(Thread.category_id == Category.id, Thread.state == published))
        .outerjoin(Post, sa.and_(Post.thread_id == Thread.id, Post.state == published))
        .group_by(Category.id, Category.name).order_by(Category.position, Category.name)
    ).all()
    consenting = db.session.scalar(
        sa.select(sa.func.count()).select_from(User)
        .where(User.consent_at.is_not(None), User.consent_withdrawn_at.is_(None)))
    return render_template("research/overview.html", rows=rows, consenting=consenting)


def _export_form():
    from app.research.forms import ExportForm

    form = ExportForm()
    form.categories.choices = choices((c.id, c.name) for c in db.session.scalars(
        sa.select(Category).order_by(Category.position, Category.name)))
    return form


@bp.route("/exports", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"], key_func=lambda: f"member:{current_user.get_id()}")
def export_list():
    """Start a transcript export and see earlier ones with their status."""
    from app.research import exports
    from app.research.transcript import TranscriptFilter

    form = _export_form()
    if form.validate_on_submit():
        spec = TranscriptFilter(
            category_ids=form.categories.data or [], thread_ids=form.thread_id_list(),
            date_from=form.date_from.data.isoformat() if form.date_from.data else None,
            date_to=form.date_to.data.isoformat() if form.date_to.data else None,
            include_posts=form.include_posts.data, include_tasks=form.include_tasks.data,
            include_hosts=form.include_hosts.data, include_moderated=form.include_moderated.data,
            identity=form.identity.data, scrub=form.scrub.data)
        try:
            run = exports.queue_export(spec, form.format.data, by=current_user)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            if count_rows(spec) <= exports.SMALL_EXPORT_ROWS:
                exports.execute_export(run)  # small: done before the page loads
            return redirect(url_for("research.export_detail", run_id=run.id))
    runs = db.session.scalars(sa.select(ExportRun).order_by(ExportRun.created_at.desc()).limit(50)).all()
    withdrawn = db.session.scalar(sa.select(sa.func.count()).select_from(User)
                                  .where(User.consent_withdrawn_at.is_not(None)))
    return render_template("research/export_list.html", form=form, runs=runs, withdrawn=withdrawn)


@bp.route("/exports/<int:run_id>")
def export_detail(run_id: int):
    """An export's progress (updated live by a small script) and its download link when done."""
    run = db.get_or_404(ExportRun, run_id)
    return render_template("research/export_detail.html", run=run)


@bp.route("/exports/<int:run_id>/status")
def export_status(run_id: int):
    """JSON progress for the live progress bar."""
    run = db.get_or_404(ExportRun, run_id)
    return jsonify(status=run.status, progress=run.progress, rows=run.row_count, total=run.total_rows,
                   download=url_for("research.export_download", run_id=run.id) if run.status == "done" else None)


@bp.route("/exports/<int:run_id>/download")
def export_download(run_id: int):
    """The export file (kept for 7 days)."""
    from app.moderation import audit
    from app.research import exports
    from app.research.writers import FORMATS

    run = db.get_or_404(ExportRun, run_id)
    path = exports.file_path(run)
    if path is None:
        abort(404)
    audit.record(current_user, "export.download", run)
    db.session.commit()
    return send_file(path, mimetype=FORMATS[run.format], as_attachment=True,
                     download_name=f"teahouse-transcript-{run.id}.{run.format}")
