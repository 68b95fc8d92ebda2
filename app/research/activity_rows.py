"""Transcript rows for activities: task submissions, poll ballots and competition entries."""
from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa

from app.competitions.models import Competition, CompetitionEntry
from app.competitions.services import ENTRY as ENTRY_PHOTOS
from app.db import ContentState
from app.extensions import db
from app.forum.models import Category, Thread
from app.members.models import User
from app.polls.models import Ballot, BallotChoice, Poll, PollOption
from app.research.transcript_filter import TranscriptFilter, restrict_dates, restrict_people
from app.research.transcript_rows import RowContext, segments_of
from app.tasks.models import Task, TaskSubmission
from app.tasks.services import SUBMISSION as SUBMISSION_PHOTOS
from app.uploads.services import attached_to


def _only_posts_are_coded(select: sa.Select, spec: TranscriptFilter) -> sa.Select:
    # Codes are applied to forum posts; a code filter therefore leaves out every other kind of row.
    return select.where(sa.false()) if spec.code_ids else select


# --- task submissions --------------------------------------------------------------------------------------

def task_select(spec: TranscriptFilter) -> sa.Select:
    """Submissions of tasks (tasks belong to no category or thread, so those filters do not narrow them)."""
    select = (sa.select(TaskSubmission.id, TaskSubmission.task_id, TaskSubmission.created_at, TaskSubmission.user_id,
                        TaskSubmission.author_name, TaskSubmission.text_html, TaskSubmission.status, Task.title,
                        User.role)
              .join(Task, TaskSubmission.task_id == Task.id).outerjoin(User, TaskSubmission.user_id == User.id)
              .order_by(TaskSubmission.task_id, TaskSubmission.id))
    select = restrict_dates(restrict_people(select, TaskSubmission.user_id, spec), TaskSubmission.created_at, spec)
    return _only_posts_are_coded(select, spec)


def task_rows(chunk, ctx: RowContext) -> Iterator[dict]:
    """Rows for a batch of submissions: the answer's text, its status and its photos."""
    segments = segments_of(chunk, "user_id")
    photos = attached_to(SUBMISSION_PHOTOS, [row.id for row in chunk])
    for row in chunk:
        yield ctx.row(
            user_id=row.user_id, name=row.author_name, role=row.role, created_at=row.created_at,
            segments=segments.get(row.user_id, {}), activity_type="task", activity_id=ctx.ref("task", row.task_id),
            activity_title=ctx.title(("task", row.task_id), row.title), item_id=ctx.ref("submission", row.id), text=ctx.text(row.text_html, author=row.user_id),
            photos=ctx.links(upload.url for upload in photos.get(row.id, [])), task_status=row.status)


# --- poll ballots ------------------------------------------------------------------------------------------

def ballot_select(spec: TranscriptFilter) -> sa.Select:
    """Ballots of published polls, with the poll's thread and category."""
    select = (sa.select(Ballot.id, Ballot.poll_id, Ballot.created_at, Ballot.user_id, Poll.question, Poll.thread_id,
                        Thread.title, Thread.author_id.label("thread_author_id"), Thread.state, Category.name,
                        User.role, User.display_name)
              .join(Poll, Ballot.poll_id == Poll.id).join(Thread, Poll.thread_id == Thread.id)
              .join(Category, Thread.category_id == Category.id).outerjoin(User, Ballot.user_id == User.id)
              .where(Poll.is_published.is_(True))
              .order_by(Ballot.poll_id, Ballot.id))
    select = restrict_dates(restrict_people(select, Ballot.user_id, spec), Ballot.created_at, spec)
    if not spec.include_moderated:
        select = select.where(Thread.state == ContentState.PUBLISHED.value)
    if spec.category_ids:
        select = select.where(Thread.category_id.in_(spec.category_ids))
    if spec.thread_ids:
        select = select.where(Poll.thread_id.in_(spec.thread_ids))
    return _only_posts_are_coded(select, spec)


def _chosen(ballot_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if ballot_ids:
        for ballot_id, text in db.session.execute(
                sa.select(BallotChoice.ballot_id, PollOption.text)
                .join(PollOption, PollOption.id == BallotChoice.option_id)
                .where(BallotChoice.ballot_id.in_(ballot_ids)).order_by(BallotChoice.ballot_id, PollOption.position)):
            found.setdefault(ballot_id, []).append(text)
    return found


def ballot_rows(chunk, ctx: RowContext) -> Iterator[dict]:
    """Rows for a batch of ballots: the options chosen, in the poll's order."""
    segments = segments_of(chunk, "user_id")
    chosen = _chosen([row.id for row in chunk])
    for row in chunk:
        options = "; ".join(chosen.get(row.id, []))
        yield ctx.row(
            user_id=row.user_id, name=row.display_name, role=row.role, created_at=row.created_at,
            segments=segments.get(row.user_id, {}), activity_type="poll", activity_id=ctx.ref("poll", row.poll_id),
            activity_title=ctx.title(("poll", row.poll_id), row.question), item_id=ctx.ref("ballot", row.id),
            thread_id=ctx.ref("thread", row.thread_id),
            thread_title=ctx.title(("thread", row.thread_id), row.title, row.thread_author_id), category=row.name,
            state=row.state,
            text="", poll_options=ctx.title(("choice", options), options))


# --- competition entries -----------------------------------------------------------------------------------

def entry_select(spec: TranscriptFilter) -> sa.Select:
    """Entries of published competitions; hidden entries only with "include moderated content"."""
    select = (sa.select(CompetitionEntry.id, CompetitionEntry.competition_id, CompetitionEntry.created_at,
                        CompetitionEntry.user_id, CompetitionEntry.author_name, CompetitionEntry.title.label("entry"),
                        CompetitionEntry.body_html, CompetitionEntry.state, Competition.title, Competition.thread_id,
                        Thread.title.label("thread_title"), Category.name, User.role)
              .join(Competition, CompetitionEntry.competition_id == Competition.id)
              .join(Category, Competition.category_id == Category.id)
              .outerjoin(Thread, Competition.thread_id == Thread.id)
              .outerjoin(User, CompetitionEntry.user_id == User.id)
              .where(Competition.is_published.is_(True))
              .order_by(CompetitionEntry.competition_id, CompetitionEntry.id))
    select = restrict_dates(restrict_people(select, CompetitionEntry.user_id, spec), CompetitionEntry.created_at, spec)
    if not spec.include_moderated:
        select = select.where(CompetitionEntry.state == ContentState.PUBLISHED.value)
    if spec.category_ids:
        select = select.where(Competition.category_id.in_(spec.category_ids))
    if spec.thread_ids:
        select = select.where(Competition.thread_id.in_(spec.thread_ids))
    return _only_posts_are_coded(select, spec)


def entry_rows(chunk, ctx: RowContext) -> Iterator[dict]:
    """Rows for a batch of entries: title, text and photo links."""
    segments = segments_of(chunk, "user_id")
    photos = attached_to(ENTRY_PHOTOS, [row.id for row in chunk])
    for row in chunk:
        yield ctx.row(
            user_id=row.user_id, name=row.author_name, role=row.role, created_at=row.created_at,
            segments=segments.get(row.user_id, {}), activity_type="competition",
            activity_id=ctx.ref("competition", row.competition_id),
            activity_title=ctx.title(("competition", row.competition_id), row.title), item_id=ctx.ref("entry", row.id),
            thread_id=ctx.ref("thread", row.thread_id),
            thread_title=ctx.title(("thread", row.thread_id), row.thread_title) if row.thread_id else None,
            category=row.name, state=row.state, entry_title=ctx.line(row.entry), text=ctx.text(row.body_html, author=row.user_id),
            photos=ctx.links(upload.url for upload in photos.get(row.id, [])))
