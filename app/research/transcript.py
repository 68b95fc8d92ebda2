"""Transcript rows: one generator over posts (and task answers) with identity, segments and scrubbing."""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from typing import Iterator
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from app.db import ContentState
from app.extensions import db
from app.forum.models import Category, Post, Thread
from app.members.models import User
from app.research.coding import codes_by_post
from app.security.roles import Permission, role_has
from app.text.markup import html_to_text
from app.text.scrub import scrub_contacts

IDENTITIES = ("pseudonym", "display_name", "none")
BASE_COLUMNS = [
    "row_id", "activity_type", "thread_id", "thread_title", "category", "post_id", "post_number", "parent_post_id",
    "created_utc", "created_local", "author", "author_role", "text", "reaction_count", "codes", "poll_options",
    "task_status",
]


@dataclass
class TranscriptFilter:
    """What to export; every field is JSON-friendly so an ExportRun can store it."""

    category_ids: list[int] = field(default_factory=list)
    thread_ids: list[int] = field(default_factory=list)
    date_from: str | None = None  # YYYY-MM-DD, inclusive, UTC
    date_to: str | None = None
    include_posts: bool = True
    include_tasks: bool = False
    include_hosts: bool = True
    include_moderated: bool = False
    identity: str = "pseudonym"
    scrub: bool = True
    code_ids: list[int] = field(default_factory=list)

    @classmethod
    def from_params(cls, params: dict) -> TranscriptFilter:
        known = {k: v for k, v in (params or {}).items() if k in cls.__dataclass_fields__}
        return cls(**known)


def pseudonym(user_id: int | None) -> str:
    """A stable pseudonym per community: P- and six characters of an HMAC of the user id."""
    if user_id is None:
        return "P-000000"
    key = current_app.config["SECRET_KEY"].encode()
    return "P-" + hmac.new(key, f"member:{user_id}".encode(), hashlib.sha256).hexdigest()[:6].upper()


def _day(value: str | None, *, end: bool) -> datetime | None:
    if not value:
        return None
    day = date.fromisoformat(value)
    return datetime.combine(day, time.max if end else time.min, tzinfo=timezone.utc)


def _post_select(spec: TranscriptFilter) -> sa.Select:
    published = ContentState.PUBLISHED.value
    select = (
        sa.select(Post.id, Post.thread_id, Post.number, Post.quoted_post_id, Post.created_at, Post.author_id,
                  Post.author_name, Post.body_html, Post.reaction_count, Post.state, Thread.title, Category.name,
                  User.role)
        .join(Thread, Post.thread_id == Thread.id).join(Category, Thread.category_id == Category.id)
        .outerjoin(User, Post.author_id == User.id)
        .where(User.consent_withdrawn_at.is_(None))
        .order_by(Post.thread_id, Post.number)
    )
    if not spec.include_moderated:
        select = select.where(Post.state == published, Thread.state == published)
    if spec.category_ids:
        select = select.where(Thread.category_id.in_(spec.category_ids))
    if spec.thread_ids:
        select = select.where(Post.thread_id.in_(spec.thread_ids))
    if (start := _day(spec.date_from, end=False)):
        select = select.where(Post.created_at >= start)
    if (end := _day(spec.date_to, end=True)):
        select = select.where(Post.created_at <= end)
    if not spec.include_hosts:
        select = select.where(User.role.not_in(["moderator", "admin"]))
    if spec.code_ids:
        from app.research.models import CodedExcerpt

        coded = sa.select(CodedExcerpt.post_id).where(CodedExcerpt.code_id.in_(spec.code_ids))
        select = select.where(Post.id.in_(coded))
    return select


def count_rows(spec: TranscriptFilter) -> int:
    """How many rows the export will have (for progress)."""
    total = 0
    if spec.include_posts:
        total += db.session.scalar(sa.select(sa.func.count()).select_from(_post_select(spec).order_by(None).subquery()))
    if spec.include_tasks:
        total += db.session.scalar(sa.select(sa.func.count()).select_from(_task_select(spec).order_by(None).subquery()))
    return total


def _task_select(spec: TranscriptFilter) -> sa.Select:
    from app.tasks.models import Task, TaskSubmission

    select = (sa.select(TaskSubmission.id, TaskSubmission.task_id, TaskSubmission.created_at, TaskSubmission.user_id,
                        TaskSubmission.author_name, TaskSubmission.text_html, TaskSubmission.status, Task.title)
              .join(Task, TaskSubmission.task_id == Task.id).outerjoin(User, TaskSubmission.user_id == User.id)
              .where(User.consent_withdrawn_at.is_(None)).order_by(TaskSubmission.task_id, TaskSubmission.id))
    if (start := _day(spec.date_from, end=False)):
        select = select.where(TaskSubmission.created_at >= start)
    if (end := _day(spec.date_to, end=True)):
        select = select.where(TaskSubmission.created_at <= end)
    return select


class _Identity:
    def __init__(self, spec: TranscriptFilter) -> None:
        self.mode = spec.identity if spec.identity in IDENTITIES else "pseudonym"
        self.cache: dict[int | None, str] = {}

    def __call__(self, user_id: int | None, display_name: str) -> str:
        if self.mode == "none":
            return ""
        if self.mode == "display_name":
            return display_name
        if user_id not in self.cache:
            self.cache[user_id] = pseudonym(user_id)
        return self.cache[user_id]


def iter_transcript(spec: TranscriptFilter, *, batch: int = 2000) -> Iterator[dict]:
    """Yield transcript rows in constant memory (server-side batches), posts first, then task answers."""
    zone = ZoneInfo(current_app.config["COMMUNITY_TIMEZONE"])
    identity = _Identity(spec)
    clean = scrub_contacts if spec.scrub else (lambda text: text)
    row_id = 0
    if spec.include_posts:
        result = db.session.execute(_post_select(spec).execution_options(yield_per=batch))
        for chunk in result.partitions():
            codes = codes_by_post([row.id for row in chunk])
            for row in chunk:
                row_id += 1
                yield {
                    "row_id": row_id, "activity_type": "post", "thread_id": row.thread_id, "thread_title": row.title,
                    "category": row.name, "post_id": row.id, "post_number": row.number,
                    "parent_post_id": row.quoted_post_id, "created_utc": row.created_at.isoformat(),
                    "created_local": row.created_at.astimezone(zone).isoformat(),
                    "author": identity(row.author_id, row.author_name),
                    "author_role": "host" if row.role and role_has(row.role, Permission.MODERATE) else "member",
                    "text": clean(html_to_text(row.body_html)), "reaction_count": row.reaction_count,
                    "codes": "; ".join(codes.get(row.id, [])), "poll_options": "", "task_status": "",
                }
    if spec.include_tasks:
        for row in db.session.execute(_task_select(spec).execution_options(yield_per=batch)):
            row_id += 1
            yield {
                "row_id": row_id, "activity_type": "task", "thread_id": None, "thread_title": row.title,
                "category": "", "post_id": None, "post_number": None, "parent_post_id": None,
                "created_utc": row.created_at.isoformat(), "created_local": row.created_at.astimezone(zone).isoformat(),
                "author": identity(row.user_id, row.author_name), "author_role": "member",
                "text": clean(html_to_text(row.text_html)), "reaction_count": 0, "codes": "", "poll_options": "",
                "task_status": row.status,
            }
