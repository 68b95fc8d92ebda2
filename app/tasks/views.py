"""Tasks for members (My tasks, answering) and for hosts (creating, publishing, reviewing)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core.forms import ConfirmForm, attempt
from app.core.loading import get_loaded
from app.core.times import to_local, to_utc
from app.db import utcnow
from app.extensions import db, limiter, member_key
from app.security import activity_policy as rules
from app.security.guards import ensure, require
from app.security.roles import Permission
from app.tasks import queries, rendering, services
from app.tasks.forms import ReviewForm, SubmissionForm, TaskForm
from app.tasks.models import SubmissionStatus, Task, TaskSubmission
from app.uploads.views import register_attachment_policy

bp = Blueprint("tasks", __name__, url_prefix="/tasks")
# Translated when shown, one per answer, not three per answer on every request.
STATUS_LABELS = {SubmissionStatus.SUBMITTED: _l("submitted"), SubmissionStatus.ACCEPTED: _l("accepted"),
                 SubmissionStatus.NEEDS_MORE: _l("needs more")}


def _can_see_attached(user, submission_id: int) -> bool:
    submission = db.session.get(TaskSubmission, submission_id)
    return submission is not None and services.can_see_submission(user, submission)


register_attachment_policy(services.SUBMISSION, _can_see_attached)
# Earlier versions' photos: the owner and the hosts only (can_view_upload lets them through before any policy).
register_attachment_policy(services.REVISION, lambda user, revision_id: False)


def _task_or_404(task_id: int) -> Task:
    task = get_loaded(Task, task_id)  # session.get through a prebuilt select: the task page loads it every time
    if task is None:
        abort(404)
    ensure(rules.can_view_task(current_user, task), hidden=True)
    return task


@bp.route("/")
def task_list():
    """My tasks: open, due soon, done; hosts and researchers also see every task with its answers count."""
    groups = services.my_tasks(current_user, utcnow()) if current_user.can(Permission.POST) else None
    all_tasks = counts = None
    if current_user.can(Permission.CREATE_ACTIVITY):
        all_tasks, counts = queries.all_tasks(), queries.submission_counts()
    return render_template("tasks/task_list.html", groups=groups, all_tasks=all_tasks, counts=counts, now=utcnow())


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:task_id>/edit", methods=["GET", "POST"])
@require(Permission.CREATE_ACTIVITY)
def task_edit(task_id: int | None = None):
    """Create or change a task (researchers' tasks stay drafts until a host publishes them)."""
    task = db.get_or_404(Task, task_id) if task_id else None
    if task is not None:
        ensure(rules.can_edit_task(current_user, task))
    form = TaskForm(obj=task)
    if request.method == "GET" and task:
        form.opens_at.data, form.due_at.data = to_local(task.opens_at), to_local(task.due_at)
    if form.validate_on_submit():
        ok, saved = attempt(lambda: services.save_task(
            task, by=current_user, title=form.title.data, instructions=form.instructions.data,
            opens_at=to_utc(form.opens_at.data), due_at=to_utc(form.due_at.data),
            min_photos=form.min_photos.data, points=form.points.data, is_masked=form.is_masked.data), form)
        if ok:
            flash(_("Task saved.") if saved.is_published else _("Draft saved; a host will publish it."), "success")
            return redirect(url_for("tasks.task_detail", task_id=saved.id))
    return render_template("tasks/task_edit.html", form=form, task=task)


@bp.route("/<int:task_id>/publish", methods=["POST"])
@require(Permission.PUBLISH_ACTIVITY)
def task_publish(task_id: int):
    """Publish a draft task."""
    task = db.get_or_404(Task, task_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if services.publish_task(task, by=current_user):
        db.session.commit()
        flash(_("Task published; members are told about it."), "success")
    return redirect(url_for("tasks.task_detail", task_id=task.id))


@bp.route("/<int:task_id>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"], key_func=member_key)
def task_detail(task_id: int):
    """A task: instructions, the member's answer form, and the answers masking lets them see."""
    task = _task_or_404(task_id)
    user = current_user._get_current_object()
    answers = services.answers_for(task, user)
    mine, submissions = answers.mine, answers.shown
    form = None
    if request.method == "POST":
        ensure(user.can(Permission.POST))
        form = SubmissionForm()
        if form.validate_on_submit() and attempt(lambda: services.submit(
                task, user=user, text=form.text.data, files=request.files.getlist("photos")), form):
            flash(_("Thank you! Your answer is saved."), "success")
            return redirect(url_for("tasks.task_detail", task_id=task.id))
    photos = services.photos_of(answers.with_photos)
    reviewed = [s.id for s in submissions if rules.can_review_submission(user, s)]
    versions = services.earlier_versions(reviewed)  # the hosts see what an edited answer replaced
    version_photos = services.revision_photos([v.id for kept in versions.values() for v in kept])
    return render_template("tasks/task_detail.html", task=task, form=form, mine=mine, submissions=submissions,
                           masked=answers.masked, photos=photos, now=utcnow(),
                           answer_form=rendering.answer_form(mine) if form is None else None,
                           review_form=ReviewForm(formdata=None) if reviewed else None, versions=versions,
                           version_photos=version_photos, status_labels=STATUS_LABELS)


@bp.route("/submissions/<int:submission_id>/review", methods=["POST"])
@require(Permission.PUBLISH_ACTIVITY)
def submission_review(submission_id: int):
    """Accept a submission or ask the member for more."""
    submission = db.get_or_404(TaskSubmission, submission_id)
    ensure(rules.can_review_submission(current_user, submission))
    form = ReviewForm()
    if not form.validate_on_submit():
        abort(400)
    action = "accept" if form.accept.data else "needs_more"
    ok, changed = attempt(lambda: services.review(submission, action, by=current_user, note=form.note.data))
    if ok and changed:
        flash(_("Review saved; the member is notified."), "success")
    return redirect(url_for("tasks.task_detail", task_id=submission.task_id, _anchor=f"submission-{submission.id}"))
