"""A member's own data as a zip: one JSON file per kind of content, plus the photos they uploaded."""
from __future__ import annotations

import json
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from app.auth.models import ConsentEvent
from app.competitions.models import Competition, CompetitionEntry
from app.extensions import db
from app.forum.models import Post, PostRevision, Thread
from app.members.models import User
from app.points.models import PointEvent
from app.polls.models import Ballot, BallotChoice, Poll, PollOption
from app.segments.models import MemberSegment, SegmentAttribute, SegmentValue
from app.tasks.models import Task, TaskSubmission
from app.uploads.models import Upload
from app.uploads.services import attached_to, stored_path

PHOTO_FOLDER = "photos"


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def profile(user: User) -> dict[str, Any]:
    """The account as the member and the hosts know it, with the member's segment answers."""
    segments = db.session.execute(
        sa.select(SegmentAttribute.label, SegmentValue.value)
        .join(MemberSegment, MemberSegment.attribute_id == SegmentAttribute.id)
        .join(SegmentValue, SegmentValue.id == MemberSegment.value_id)
        .where(MemberSegment.user_id == user.id).order_by(SegmentAttribute.position)).all()
    return {"id": user.id, "email": user.email, "display_name": user.display_name, "real_name": user.real_name,
            "role": user.role, "host_persona": user.host_persona, "language": user.locale, "timezone": user.timezone,
            "joined_at": _when(user.created_at), "last_seen_at": _when(user.last_seen_at), "is_vip": user.is_vip,
            "points": user.points, "consent_version": user.consent_version, "consent_at": _when(user.consent_at),
            "consent_withdrawn_at": _when(user.consent_withdrawn_at),
            "segments": {label: value for label, value in segments}}


def posts(user: User) -> list[dict[str, Any]]:
    """Every post the member wrote, in any state, with the earlier versions of its text."""
    rows = db.session.execute(sa.select(Post, Thread.title).join(Thread, Thread.id == Post.thread_id)
                              .where(Post.author_id == user.id).order_by(Post.created_at, Post.id)).all()
    revisions: dict[int, list[dict]] = {}
    for revision in db.session.scalars(sa.select(PostRevision).join(Post, Post.id == PostRevision.post_id)
                                       .where(Post.author_id == user.id).order_by(PostRevision.number)):
        revisions.setdefault(revision.post_id, []).append(
            {"text": revision.body, "title": revision.title, "written_at": _when(revision.created_at)})
    return [{"id": post.id, "thread_id": post.thread_id, "thread_title": title, "number": post.number,
             "text": post.body, "state": post.state, "written_at": _when(post.created_at),
             "edited_at": _when(post.edited_at), "earlier_versions": revisions.get(post.id, [])}
            for post, title in rows]


def _photo_names(kind: str, ids: list[int]) -> dict[int, list[str]]:
    return {row_id: [f"{PHOTO_FOLDER}/{u.name}" for u in uploads] for row_id, uploads in attached_to(kind, ids).items()}


def task_answers(user: User) -> list[dict[str, Any]]:
    """The member's answers to community tasks, with the names of their photos in the zip."""
    rows = db.session.execute(sa.select(TaskSubmission, Task.title).join(Task, Task.id == TaskSubmission.task_id)
                              .where(TaskSubmission.user_id == user.id).order_by(TaskSubmission.id)).all()
    photos = _photo_names("task_submission", [submission.id for submission, _title in rows])
    return [{"task": title, "text": submission.text, "status": submission.status,
             "submitted_at": _when(submission.created_at), "updated_at": _when(submission.updated_at),
             "host_note": submission.review_note, "photos": photos.get(submission.id, [])}
            for submission, title in rows]


def poll_ballots(user: User) -> list[dict[str, Any]]:
    """The member's poll ballots: the question and the options they chose."""
    ballots = db.session.execute(sa.select(Ballot, Poll.question).join(Poll, Poll.id == Ballot.poll_id)
                                 .where(Ballot.user_id == user.id).order_by(Ballot.id)).all()
    chosen: dict[int, list[str]] = {}
    for ballot_id, text in db.session.execute(
            sa.select(BallotChoice.ballot_id, PollOption.text).join(PollOption, PollOption.id == BallotChoice.option_id)
            .join(Ballot, Ballot.id == BallotChoice.ballot_id).where(Ballot.user_id == user.id)
            .order_by(PollOption.position)):
        chosen.setdefault(ballot_id, []).append(text)
    return [{"poll": question, "choices": chosen.get(ballot.id, []), "voted_at": _when(ballot.created_at),
             "changed_at": _when(ballot.updated_at)} for ballot, question in ballots]


def competition_entries(user: User) -> list[dict[str, Any]]:
    """The member's competition entries with their results and photos."""
    rows = db.session.execute(sa.select(CompetitionEntry, Competition.title)
                              .join(Competition, Competition.id == CompetitionEntry.competition_id)
                              .where(CompetitionEntry.user_id == user.id).order_by(CompetitionEntry.id)).all()
    photos = _photo_names("competition_entry", [entry.id for entry, _title in rows])
    return [{"competition": title, "title": entry.title, "text": entry.body, "state": entry.state,
             "entered_at": _when(entry.created_at), "rank": entry.rank, "is_winner": entry.is_winner,
             "photos": photos.get(entry.id, [])} for entry, title in rows]


def points(user: User) -> list[dict[str, Any]]:
    """The member's points ledger."""
    events = db.session.scalars(sa.select(PointEvent).where(PointEvent.user_id == user.id)
                                .order_by(PointEvent.created_at, PointEvent.id))
    return [{"amount": e.amount, "reason": e.reason, "note": e.note, "at": _when(e.created_at)} for e in events]


def consent_history(user: User) -> list[dict[str, Any]]:
    events = db.session.scalars(sa.select(ConsentEvent).where(ConsentEvent.user_id == user.id)
                                .order_by(ConsentEvent.created_at, ConsentEvent.id))
    return [{"event": e.kind, "consent_version": e.consent_version, "at": _when(e.created_at)} for e in events]


def uploads_of(user: User) -> list[Upload]:
    return list(db.session.scalars(sa.select(Upload).where(Upload.owner_id == user.id).order_by(Upload.id)))


SECTIONS = {"profile.json": profile, "posts.json": posts, "task_answers.json": task_answers,
            "poll_ballots.json": poll_ballots, "competition_entries.json": competition_entries,
            "points.json": points, "consent_history.json": consent_history}


def write_member_archive(user: User, path: Path) -> int:
    """Write the member's zip to ``path`` (JSON per section, photos as stored) and return its size in bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, section in SECTIONS.items():
            archive.writestr(name, json.dumps(section(user), ensure_ascii=False, indent=2))
        photos = [{"file": f"{PHOTO_FOLDER}/{u.name}", "original_name": u.original_name,
                   "uploaded_at": _when(u.created_at)} for u in uploads_of(user)]
        archive.writestr("photos.json", json.dumps(photos, ensure_ascii=False, indent=2))
        for upload in uploads_of(user):
            source = stored_path(upload)
            if source.is_file():  # images are already compressed: stored as they are
                archive.write(source, f"{PHOTO_FOLDER}/{upload.name}", compress_type=zipfile.ZIP_STORED)
    return path.stat().st_size
