"""Tasks: create and publish (members are told), submit with photos (masked answers), review with points."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from app import audit
from app.core.exceptions import DomainError
from app.db import lock_row, utcnow
from app.extensions import db, read_connection
from app.members.mentions import notify_mentions
from app.members.models import User
from app.members.notifications import Notification, notify
from app.points import badges
from app.points.services import award_points, follow_state
from app.security import activity_policy as rules
from app.security.roles import Permission, Role, role_has
from app.tasks.models import SubmissionStatus, Task, TaskSubmission, TaskSubmissionRevision
from app.text.fields import clean_title, markdown_html
from app.uploads.models import Upload
from app.uploads.services import attach, attached_to, store_images

SUBMISSION = "task_submission"
REVISION = "task_submission_revision"  # photos of an earlier version of an answer
MAX_POINTS = 1000


def _markdown(text: str, field: str) -> str:
    if not (text or "").strip():
        raise DomainError(_("Please write something."), field)
    return markdown_html(text.strip(), field)


def _check_task(title: str, opens_at: datetime, due_at: datetime, min_photos: int, points: int) -> str:
    title = clean_title(title, "title")
    if due_at <= opens_at:
        raise DomainError(_("The due time must be after the opening time."), "due_at")
    if not 0 <= min_photos <= 5:
        raise DomainError(_("Between 0 and 5 photos."), "min_photos")
    if not 0 <= points <= MAX_POINTS:
        raise DomainError(_("Points are 0 to %(n)d.", n=MAX_POINTS), "points")
    return title


def save_task(task: Task | None, *, by: User, title: str, instructions: str, opens_at: datetime,
              due_at: datetime, min_photos: int, points: int, is_masked: bool) -> Task:
    """Create (task None) or change a task; hosts' tasks are published at once, researchers' are drafts."""
    if task is None and not rules.can_create_activity(by):
        raise DomainError(_("You cannot create tasks."))
    if task is not None and not rules.can_edit_task(by, task):
        raise DomainError(_("You cannot change this task."))
    title = _check_task(title, opens_at, due_at, min_photos, points)
    html = _markdown(instructions, "instructions")
    created = task is None
    if created:
        task = Task(created_by_id=by.id, is_published=False)
        db.session.add(task)
    task.title, task.instructions, task.instructions_html = title, instructions.strip(), html
    task.opens_at, task.due_at, task.min_photos, task.points, task.is_masked = (
        opens_at, due_at, min_photos, points, is_masked)
    db.session.flush()
    if created and rules.can_publish_activity(by):
        _publish(task)
    audit.record(by, "task.create" if created else "task.update", task,
                 after={"title": title, "published": task.is_published})
    return task


def publish_task(task: Task, *, by: User) -> bool:
    """A host publishes a researcher's draft; members are told about it. False if it already was."""
    if not rules.can_publish_activity(by):
        raise DomainError(_("Only hosts can publish tasks."))
    if task.is_published:
        return False
    _publish(task)
    audit.record(by, "task.publish", task)
    return True


def _publish(task: Task) -> None:
    task.is_published, task.published_at = True, utcnow()
    notify_members_of_task(task)


def notify_members_of_task(task: Task) -> int:
    """Tell every participating member (not hosts, researchers or suspended accounts) about a new task.

    One notification per member in their own language, written in bulk; returns how many were sent.
    """
    roles = [r.value for r in Role if role_has(r, Permission.POST) and not role_has(r, Permission.MODERATE)]
    now = utcnow()
    active = sa.or_(User.suspended_at.is_(None), sa.and_(User.suspended_until.is_not(None),
                                                         User.suspended_until <= now))
    rows = db.session.execute(sa.select(User.id, User.locale).where(User.role.in_(roles), active)).all()
    by_locale: dict[str, list[int]] = {}
    for user_id, locale in rows:
        by_locale.setdefault(locale or "en", []).append(user_id)
    for locale, user_ids in by_locale.items():
        with force_locale(locale):
            text = _("A new task for you: “%(title)s”.", title=task.title)
        db.session.execute(sa.insert(Notification), [
            {"user_id": user_id, "kind": "task_assigned", "text": text[:1000], "url": f"/tasks/{task.id}",
             "created_at": now} for user_id in user_ids])
    return len(rows)


_SUBMISSION_OF = sa.select(TaskSubmission).where(TaskSubmission.task_id == sa.bindparam("task_id"),
                                                 TaskSubmission.user_id == sa.bindparam("user_id"))


def submission_of(task: Task, user: User) -> TaskSubmission | None:
    return db.session.scalar(_SUBMISSION_OF, {"task_id": task.id, "user_id": user.id})


def photos_of(submission_ids: list[int]) -> dict[int, list[Upload]]:
    """The photos of each of these submissions, per submission id, in the order they were sent."""
    return attached_to(SUBMISSION, submission_ids)


def _store_all(files: list, user: User) -> list[Upload]:
    """Store every photo, or none (within the member's daily quota)."""
    return store_images(files, owner=user)


def submit(task: Task, *, user: User, text: str, files: list, now: datetime | None = None) -> TaskSubmission:
    """Submit (or, until due, edit) the member's answer; new photos replace the old ones."""
    now = now or utcnow()
    if not rules.can_answer_task(user, task, now):
        if not user.can(Permission.POST):
            raise DomainError(_("Researchers observe; they do not answer tasks."))
        raise DomainError(_("This task is not open for answers."))
    files = [f for f in files if f and getattr(f, "filename", "")]
    if len(files) > task.max_photos:
        raise DomainError(ngettext("At most %(num)d photo.", "At most %(num)d photos.", task.max_photos), "photos")
    existing = submission_of(task, user)
    keeping = len(photos_of([existing.id]).get(existing.id, [])) if existing and not files else 0
    if len(files) + keeping < task.min_photos:
        raise DomainError(ngettext("This task needs at least %(num)d photo.", "This task needs at least %(num)d photos.", task.min_photos), "photos")
    html = _markdown(text, "text")
    if existing is not None and not files and existing.text == text.strip():
        return existing  # nothing changed: no new version, and a reviewed answer keeps its review
    stored = _store_all(files, user)
    if existing is None:
        submission, existing = _claim_submission(task, user, text.strip(), html, now)
    else:
        submission = existing
    if existing is not None:
        # Edits of one answer take turns (a double click, two tabs): each keeps the version the one before left.
        lock_row(db.session, TaskSubmission, submission.id)
        db.session.refresh(submission)
    revision = _keep_version(submission, now) if existing is not None else None
    was_accepted = submission.status == SubmissionStatus.ACCEPTED
    submission.text, submission.text_html, submission.updated_at = text.strip(), html, now
    # An edited answer goes back to the hosts for review, whatever its status was; its review went with the
    # earlier version it was about.
    submission.status = SubmissionStatus.SUBMITTED
    submission.reviewed_by_id = submission.reviewed_at = submission.review_note = None
    db.session.add(submission)
    db.session.flush()
    if files and revision is not None:
        # Replaced photos go with the version they belonged to: nothing a member sent is lost.
        attach(photos_of([submission.id]).get(submission.id, []), kind=REVISION, target_id=revision.id)
    attach(stored, kind=SUBMISSION, target_id=submission.id)
    if was_accepted and user is not None:
        _follow_review(user, submission, task)  # the points wait for the new review
    if existing is None:
        _notify_mentions(submission, task, user)
    return submission


def _notify_mentions(submission: TaskSubmission, task: Task, author: User) -> None:
    """Members an answer @mentions hear of it once (edits say nothing again), only where they may read it: a masked
    task's answers mention nobody, since telling would reveal an answer before the member has given theirs."""
    if task.is_masked:
        return

    def message(member: User) -> str:
        with force_locale(member.locale or "en"):
            return _("%(name)s mentioned you in an answer to “%(title)s”", name=author.display_name,
                     title=task.title)

    notify_mentions(submission.text, author=author, url=f"/tasks/{task.id}#submission-{submission.id}",
                    message=message, can_see=lambda member: rules.can_view_task(member, task)
                    and rules.can_see_submission(member, submission, has_answered=has_answered(task, member)))


def _keep_version(submission: TaskSubmission, now: datetime) -> TaskSubmissionRevision:
    """Keep the answer as it is now (text, status, review) before the member's edit replaces it."""
    number = (db.session.scalar(sa.select(sa.func.max(TaskSubmissionRevision.number))
                                .where(TaskSubmissionRevision.submission_id == submission.id)) or 0) + 1
    revision = TaskSubmissionRevision(
        submission_id=submission.id, number=number, text=submission.text, text_html=submission.text_html,
        status=submission.status, review_note=submission.review_note, reviewed_by_id=submission.reviewed_by_id,
        reviewed_at=submission.reviewed_at, written_at=submission.updated_at, replaced_at=now)
    db.session.add(revision)
    db.session.flush()
    return revision


def earlier_versions(submission_ids: list[int]) -> dict[int, list[TaskSubmissionRevision]]:
    """The kept versions of these answers, newest first, per submission id (for the hosts)."""
    found: dict[int, list[TaskSubmissionRevision]] = {}
    if submission_ids:
        for revision in db.session.scalars(sa.select(TaskSubmissionRevision)
                                           .where(TaskSubmissionRevision.submission_id.in_(submission_ids))
                                           .order_by(TaskSubmissionRevision.number.desc())):
            found.setdefault(revision.submission_id, []).append(revision)
    return found


def revision_photos(revision_ids: list[int]) -> dict[int, list[Upload]]:
    return attached_to(REVISION, revision_ids)


def _claim_submission(task: Task, user: User, text: str, html: str,
                      now: datetime) -> tuple[TaskSubmission, TaskSubmission | None]:
    """Insert the member's submission, or take the one a parallel request has just inserted.

    Returns (submission, the existing row or None); the unique constraint decides who inserts.
    """
    submission = TaskSubmission(task_id=task.id, user_id=user.id, author_name=user.display_name, text=text,
                                text_html=html, created_at=now, updated_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(submission)
    except sa.exc.IntegrityError:  # a double click or a second tab won the race: edit that submission
        found = submission_of(task, user)
        return found, found
    return submission, None


def review(submission: TaskSubmission, action: str, *, by: User, note: str | None = None) -> bool:
    """Accept (points awarded) or ask for more (the member can resubmit); the member is notified."""
    if not rules.can_review_submission(by, submission):
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
    submission.review_note = (note or "").strip()[:1000] or None
    task = submission.task
    member = db.session.get(User, submission.user_id) if submission.user_id else None
    if member is not None:
        _follow_review(member, submission, task)
        with force_locale(member.locale or "en"):
            text = (_("Your answer to “%(title)s” was accepted.", title=task.title) if action == "accept" else
                    _("The hosts ask for a little more on “%(title)s”: %(note)s", title=task.title,
                      note=submission.review_note))
        notify(member.id, "task_review", text, url=f"/tasks/{task.id}", actor=by)
    audit.record(by, f"task_submission.{action}", submission, reason=submission.review_note,
                 before={"status": before}, after={"status": target})
    return True


def _follow_review(member: User, submission: TaskSubmission, task: Task) -> None:
    """The ledger follows the answer's status: points while accepted, taken back while the hosts ask for more."""
    accepted = submission.status == SubmissionStatus.ACCEPTED
    earned = follow_state(member, ref_type=SUBMISSION, ref_id=submission.id, live=accepted,
                          removed="task_returned", restored="task_reaccepted")
    if accepted and not earned:
        award_points(member, task.points, "task_accepted", ref_type=SUBMISSION, ref_id=submission.id)
    if accepted:
        badges.check_accepted_tasks(member, _accepted_submission_ids(member))


def _accepted_submission_ids(member: User) -> set[int]:
    return set(db.session.scalars(sa.select(TaskSubmission.id).where(
        TaskSubmission.user_id == member.id, TaskSubmission.status == SubmissionStatus.ACCEPTED)))


def has_answered(task: Task, user: User) -> bool:
    return submission_of(task, user) is not None


def can_see_submission(user: User, submission: TaskSubmission) -> bool:
    """Whether the member may read this answer (and its photos): the policy, given whether they answered."""
    return rules.can_see_submission(user, submission, has_answered=has_answered(submission.task, user))


# Built once (the task page asks on every request): a task's submissions, everyone's or only the member's own.
_TASK_SUBMISSIONS = {
    everyone: sa.select(TaskSubmission).where(
        TaskSubmission.task_id == sa.bindparam("task_id"),
        sa.true() if everyone else TaskSubmission.user_id == sa.bindparam("user_id"),
    ).order_by(TaskSubmission.created_at)
    for everyone in (True, False)
}


def visible_submissions(task: Task, user: User, *,
                        answered: bool | None = None) -> tuple[list[TaskSubmission], bool]:
    """The submissions this member may read, and whether masking is hiding others from them (``answered``:
    whether the member has answered, when the caller already knows)."""
    if answered is None:
        answered = has_answered(task, user)
    everyone = rules.can_see_all_submissions(user) or (task.is_published and (not task.is_masked or answered))
    if everyone:
        return list(db.session.scalars(_TASK_SUBMISSIONS[True], {"task_id": task.id})), False
    return list(db.session.scalars(_TASK_SUBMISSIONS[False], {"task_id": task.id, "user_id": user.id})), True


@dataclass(frozen=True)
class Answers:
    """What the task page shows of the answers: the member's own, those they may read, whether masking hides
    others, and which of the shown ones have photos."""

    mine: TaskSubmission | None
    shown: list[TaskSubmission]
    masked: bool
    with_photos: list[int]


# Every answer of a task with whether it has photos (most have none: then no photo query at all).
_ANSWERS_WITH_PHOTO_FLAGS = sa.select(
    TaskSubmission, sa.exists().where(Upload.attached_type == SUBMISSION, Upload.attached_id == TaskSubmission.id)
).where(TaskSubmission.task_id == sa.bindparam("task_id")).order_by(TaskSubmission.created_at)


def answers_for(task: Task, user: User) -> Answers:
    """The task page's answers. An unmasked task (or a member who sees every answer) shows them all: one query
    finds the member's among them and which have photos. A masked one asks for the member's answer first, as
    ``visible_submissions`` does."""
    if rules.can_see_all_submissions(user) or (task.is_published and not task.is_masked):
        rows = db.session.execute(_ANSWERS_WITH_PHOTO_FLAGS, {"task_id": task.id}).all()
        shown = [submission for submission, _has_photos in rows]
        return Answers(next((s for s in shown if s.user_id == user.id), None), shown, False,
                       [submission.id for submission, has_photos in rows if has_photos])
    mine = submission_of(task, user)
    shown, masked = visible_submissions(task, user, answered=mine is not None)
    return Answers(mine, shown, masked, [s.id for s in shown])


def my_tasks(user: User, now: datetime) -> dict[str, list]:
    """Published tasks for a member, grouped: due soon (48 h), open, done, closed."""
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


def open_tasks(user: User, now: datetime, *, limit: int = 20) -> list[sa.Row]:
    """Published tasks open now, due soonest first (the activities page), as rows (id, title, due_at, points)."""
    return read_connection().execute(_open_tasks_statement(limit), {"now": now}).all()


@functools.cache
def _open_tasks_statement(limit: int) -> sa.Select:
    """Built once per limit (the activities page asks on every request); the time is bound as ``now``."""
    now = sa.bindparam("now")
    return (sa.select(Task.id, Task.title, Task.due_at, Task.points)
            .where(Task.is_published.is_(True), Task.opens_at <= now, Task.due_at > now).order_by(Task.due_at).limit(limit))
