"""Tasks: create and publish, submit with photos (masked answers), review with points and notifications."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from app.core.exceptions import DomainError
from app.db import utcnow
from app.extensions import db
from app.members.models import User
from app.members.notifications import notify
from app.moderation import audit
from app.security.roles import Permission
from app.tasks.models import SubmissionStatus, Task, TaskSubmission
from app.text.markup import TextError, clean_line, render_markdown
from app.uploads.models import Upload
from app.uploads.services import attach, store_image, upload_dir

SUBMISSION = "task_submission"


def _markdown(text: str, field: str) -> str:
    if not text.strip():
        raise DomainError(_("Please write something."), field)
    try:
        return render_markdown(text.strip())
    except TextError as error:
        raise DomainError(str(error), field) from error


def save_task(task: Task | None, *, by: User, title: str, instructions: str, opens_at: datetime,
              due_at: datetime, min_photos: int, points: int, is_masked: bool) -> Task:
    """Create (task None) or change a task; hosts' tasks are published at once, researchers' are drafts."""
    if not by.can(Permission.CREATE_ACTIVITY):
        raise DomainError(_("You cannot create tasks."))
    try:
        title = clean_line(title)
    except TextError as error:
        raise DomainError(str(error), "title") from error
    if len(title) < 3:
        raise DomainError(_("A title has 3 to 200 characters."), "title")
    if due_at <= opens_at:
        raise DomainError(_("The due time must be after the opening time."), "due_at")
    if not 0 <= min_photos <= 5:
        raise DomainError(_("Between 0 and 5 photos."), "min_photos")
    html = _markdown(instructions, "instructions")
    created = task is None
    if created:
        task = Task(created_by_id=by.id, is_published=by.can(Permission.PUBLISH_ACTIVITY))
        task.published_at = utcnow() if task.is_published else None
        db.session.add(task)
    task.title, task.instructions, task.instructions_html = title, instructions.strip(), html
    task.opens_at, task.due_at, task.min_photos, task.points, task.is_masked = (
        opens_at, due_at, min_photos, max(points, 0), is_masked)
    db.session.flush()
    audit.record(by, "task.create" if created else "task.update", task,
                 after={"title": title, "published": task.is_published})
    return task


def publish_task(task: Task, *, by: User) -> bool:
    """A host publishes a researcher's draft."""
    if not by.can(Permission.PUBLISH_ACTIVITY):
        raise DomainError(_("Only hosts can publish tasks."))
    if task.is_published:
        return False
    task.is_published, task.published_at = True, utcnow()
    audit.record(by, "task.publish", task)
    return True


def submission_of(task: Task, user: User) -> TaskSubmission | None:
    return db.session.scalar(sa.select(TaskSubmission).where(TaskSubmission.task_id == task.id,
                                                             TaskSubmission.user_id == user.id))


def photos_of(submission_ids: list[int]) -> dict[int, list[Upload]]:
    found: dict[int, list[Upload]] = {}
    if not submission_ids:
        return found
    for upload in db.session.scalars(sa.select(Upload).where(Upload.attached_type == SUBMISSION,
                                                             Upload.attached_id.in_(submission_ids))
                                     .order_by(Upload.position)):
        found.setdefault(upload.attached_id, []).append(upload)
    return found


def submit(task: Task, *, user: User, text: str, files: list, now: datetime | None = None) -> TaskSubmission:
    """Submit (or, until due, edit) the member's answer; new photos replace the old ones."""
    now = now or utcnow()
    if not user.can(Permission.POST):
        raise DomainError(_("Researchers observe; they do not answer tasks."))
    if not task.is_open(now):
        raise DomainError(_("This task is not open for answers."))
    files = [f for f in files if f and getattr(f, "filename", "")]
    if len(files) > task.max_photos:
        raise DomainError(_("At most %(n)d photos.", n=task.max_photos), "photos")
    existing = submission_of(task, user)
    keeping = len(photos_of([existing.id]).get(existing.id, [])) if existing and not files else 0
    if len(files) + keeping < task.min_photos:
        raise DomainError(_("This task needs at least %(n)d photos.", n=task.min_photos), "photos")
    html = _markdown(text, "text")
    stored: list[Upload] = []
    try:
        stored = [store_image(f, owner=user) for f in files]
    except DomainError:
        _remove_files(stored)
        raise
    submission = existing or TaskSubmission(task_id=task.id, user_id=user.id, author_name=user.display_name,
                                            created_at=now)
    submission.text, submission.text_html, submission.updated_at = text.strip(), html, now
    if submission.status == SubmissionStatus.NEEDS_MORE:
        submission.status = SubmissionStatus.SUBMITTED
    db.session.add(submission)
    db.session.flush()
    if files and existing:
        # Replaced photos are detached, not deleted: nothing a member sent is lost.
        for old in photos_of([submission.id]).get(submission.id, []):
            old.attached_type = "task_submission_replaced"
    attach(stored, kind=SUBMISSION, target_id=submission.id)
    return submission


def _remove_files(uploads: list[Upload]) -> None:
    for upload in uploads:
        (upload_dir() / upload.name).unlink(missing_ok=True)


def review(submission: TaskSubmission, action: str, *, by: User, note: str | None = None) -> bool:
    """Accept (points awarded) or ask for more (the member can resubmit); the member is notified."""
    if not by.can(Permission.PUBLISH_ACTIVITY):
        raise DomainError(_("Only hosts review submissions."))
    target = {"accept": SubmissionStatus.ACCEPTED, "needs_more": SubmissionStatus.NEEDS_MORE}.get(action)
    if target is None:
        raise DomainError(_("Unknown action."))
    if action == "needs_more" and not (note or "").strip():
        raise DomainError(_("Tell the member what is missing."), "note")
    if submission.status == target:
        return False
    before = submission.status
    submission.status, submission.reviewed_by_id, submission.reviewed_at = target, by.id, utcnow()
    submission.review_note = (note or "").strip() or None
    task = submission.task
    if target == SubmissionStatus.ACCEPTED:
        _award_task_points(submission, task)
        text = _("Your answer to “%(title)s” was accepted.", title=task.title)
    else:
        text = _("The hosts ask for a little more on “%(title)s”: %(note)s", title=task.title, note=submission.review_note)
    if submission.user_id:
        notify(submission.user_id, "task_review", text, url=f"/tasks/{task.id}", actor=by)
    audit.record(by, f"task_submission.{action}", submission, reason=submission.review_note,
                 before={"status": before}, after={"status": target})
    return True


def _award_task_points(submission: TaskSubmission, task: Task) -> None:
    """Points go through the ledger once it exists; the reference makes the award idempotent."""
    try:
        from app.points import services as points
    except ImportError:
        return
    user = db.session.get(User, submission.user_id) if submission.user_id else None
    if user is not None and hasattr(points, "award_points"):
        points.award_points(user, task.points, "task_accepted", ref_type="task_submission", ref_id=submission.id)


def can_see_submission(user: User, submission: TaskSubmission) -> bool:
    """Own answers always; others' only after answering a masked task (hosts and researchers: always)."""
    if submission.user_id == user.id or user.can(Permission.MODERATE) or user.can(Permission.RESEARCH):
        return True
    task = submission.task
    if not task.is_published:
        return False
    return not task.is_masked or submission_of(task, user) is not None


def visible_submissions(task: Task, user: User) -> tuple[list[TaskSubmission], bool]:
    """The submissions this member may read, and whether masking is hiding others from them."""
    select = sa.select(TaskSubmission).where(TaskSubmission.task_id == task.id).order_by(TaskSubmission.created_at)
    everyone = user.can(Permission.MODERATE) or user.can(Permission.RESEARCH)
    if everyone or not task.is_masked or submission_of(task, user) is not None:
        return list(db.session.scalars(select)), False
    return list(db.session.scalars(select.where(TaskSubmission.user_id == user.id))), True


def my_tasks(user: User, now: datetime) -> dict[str, list]:
    """Published tasks for a member, grouped: open, due soon (48 h), done, closed."""
    from datetime import timedelta

    tasks = db.session.scalars(sa.select(Task).where(Task.is_published.is_(True), Task.opens_at <= now)
                               .order_by(Task.due_at)).all()
    mine = {s.task_id: s for s in db.session.scalars(
        sa.select(TaskSubmission).where(TaskSubmission.user_id == user.id))}
    groups: dict[str, list] = {"due_soon": [], "open": [], "done": [], "closed": []}
    for task in tasks:
        submission = mine.get(task.id)
        if submission and submission.status != SubmissionStatus.NEEDS_MORE:
            groups["done"].append((task, submission))
        elif task.due_at <= now:
            groups["closed"].append((task, submission))
        elif task.due_at - now <= timedelta(hours=48):
            groups["due_soon"].append((task, submission))
        else:
            groups["open"].append((task, submission))
    return groups
