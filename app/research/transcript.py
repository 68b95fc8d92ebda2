"""Transcript rows: one generator over posts, task submissions, poll ballots and competition entries."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased

from app.db import ContentState
from app.extensions import db
from app.forum.models import Category, Post, Thread
from app.members.models import User
from app.research.coding import codes_by_post
from app.research.deidentify import Deidentifier
from app.research.quotes import NOT_A_REPLY
from app.research.transcript_filter import IDENTITIES, TranscriptFilter, pseudonym, restrict_dates, restrict_people
from app.security.roles import Permission, role_has
from app.text.scrub import scrub_contacts

__all__ = ["BASE_COLUMNS", "IDENTITIES", "TranscriptFilter", "count_rows", "iter_transcript", "pseudonym",
           "transcript_columns"]

BASE_COLUMNS = [
    "row_id", "activity_type", "activity_id", "activity_title", "item_id", "thread_id", "thread_title", "category",
    "post_id", "post_number", "parent_post_number", "parent_author", "created_utc", "created_local", "author",
    "author_role", "state", "entry_title", "text", "photos", "reaction_count", "codes", "poll_options", "task_status",
]
SEGMENT_PREFIX = "segment_"
_IMG_SRC_RE = re.compile(r'<img\b[^>]*?\bsrc="([^"]+)"')


def segment_keys() -> list[str]:
    from app.segments.services import attributes

    return [attribute.key for attribute in attributes()]


def transcript_columns(keys: list[str] | None = None) -> list[str]:
    """The base columns, then one column per segment attribute (``segment_<key>``)."""
    return BASE_COLUMNS + [SEGMENT_PREFIX + key for key in (segment_keys() if keys is None else keys)]


class RowContext:
    """Everything a row needs besides its database values: identity, time zone, scrubbing, segments, links."""

    def __init__(self, spec: TranscriptFilter, keys: list[str]) -> None:
        self.zone = ZoneInfo(current_app.config["COMMUNITY_TIMEZONE"])
        self.clean: Callable[[str], str] = scrub_contacts if spec.scrub else (lambda text: text)
        self.identity = Deidentifier(identity=spec.identity if spec.identity in IDENTITIES else "pseudonym",
                                     drop_quotes=spec.quotes == "drop", clean=self.clean)
        self.segment_columns = [(key, SEGMENT_PREFIX + key) for key in keys]
        self._roles: dict[str | None, str] = {}
        self.base_url = (current_app.config.get("PUBLIC_URL") or "").rstrip("/")
        self.row_id = 0
        self._titles: dict[object, str] = {}

    def text(self, html: str | None, quoted_author=NOT_A_REPLY) -> str:
        """Plain text, scrubbed, with members' names and quotes handled in the identity format."""
        return self.identity.post_text(html or "", quoted_author)

    def line(self, text: str | None) -> str:
        """A title, an entry title or a poll option: scrubbed, members' names replaced."""
        return self.identity.line(text)

    def title(self, key: object, title: str | None, author_id: int | None = None) -> str:
        """A title as ``line`` gives it, remembered for the last few threads or activities (rows come grouped);
        empty when its author withdrew consent (a title is their words too)."""
        if key not in self._titles:
            if len(self._titles) >= 64:  # constant memory however many threads an export holds
                self._titles.clear()
            withdrawn = author_id is not None and author_id in self.identity.names.withdrawn
            self._titles[key] = "" if withdrawn else self.line(title)
        return self._titles[key]

    def links(self, urls: Iterable[str]) -> str:
        return "\n".join(self.base_url + url if url.startswith("/") else url for url in urls)

    def row(self, *, user_id: int | None, name: str, role: str | None, created_at, segments: dict[str, str],
            **values) -> dict:
        self.row_id += 1
        row = dict.fromkeys(BASE_COLUMNS)
        row.update(values)
        row.update(
            row_id=self.row_id, created_utc=created_at.isoformat(),
            created_local=created_at.astimezone(self.zone).isoformat(), author=self.identity.author(user_id, name),
            author_role=self._role(role))
        for key, column in self.segment_columns:
            row[column] = segments.get(key)
        return row

    def _role(self, role: str | None) -> str:
        if role not in self._roles:
            self._roles[role] = "host" if role and role_has(role, Permission.MODERATE) else "member"
        return self._roles[role]


def segments_of(chunk, column: str = "author_id") -> dict[int, dict[str, str]]:
    """Segment values of the members behind a batch of rows (one query per batch)."""
    from app.segments.services import segments_for

    return segments_for(sorted({getattr(row, column) for row in chunk if getattr(row, column) is not None}))


# --- forum posts -------------------------------------------------------------------------------------------

def post_select(spec: TranscriptFilter) -> sa.Select:
    """Forum posts in thread order, narrowed by every filter."""
    published = ContentState.PUBLISHED.value
    quoted = aliased(Post)
    select = (
        sa.select(Post.id, Post.thread_id, Post.number, Post.quoted_post_id, quoted.number.label("quoted_number"),
                  quoted.author_id.label("quoted_author_id"), quoted.author_name.label("quoted_author_name"),
                  Post.created_at, Post.author_id, Post.author_name, Post.body_html, Post.reaction_count, Post.state,
                  Thread.title, Thread.author_id.label("thread_author_id"), Category.name, User.role)
        .join(Thread, Post.thread_id == Thread.id).join(Category, Thread.category_id == Category.id)
        .outerjoin(User, Post.author_id == User.id).outerjoin(quoted, Post.quoted_post_id == quoted.id)
        .order_by(Post.thread_id, Post.number)
    )
    select = restrict_dates(restrict_people(select, Post.author_id, spec), Post.created_at, spec)
    if not spec.include_moderated:
        select = select.where(Post.state == published, Thread.state == published)
    if spec.category_ids:
        select = select.where(Thread.category_id.in_(spec.category_ids))
    if spec.thread_ids:
        select = select.where(Post.thread_id.in_(spec.thread_ids))
    if spec.code_ids:
        from app.research.models import CodedExcerpt

        coded = sa.select(CodedExcerpt.post_id).where(CodedExcerpt.code_id.in_(spec.code_ids))
        select = select.where(Post.id.in_(coded))
    return select


def post_rows(chunk, ctx: RowContext) -> Iterator[dict]:
    """Rows for a batch of posts, with their codes, their author's segments and the photos in their text."""
    codes = codes_by_post([row.id for row in chunk])
    segments = segments_of(chunk)
    # Unpacked once per row: attribute access on a Row costs more than the rest of the row at a million posts.
    for (post_id, thread_id, number, quoted_id, quoted_number, quoted_author, quoted_name, created_at, author_id,
         author_name, body_html, reactions, state, title, thread_author, category, role) in chunk:
        body_html = body_html or ""
        replying = quoted_id is not None
        yield ctx.row(
            user_id=author_id, name=author_name, role=role, created_at=created_at,
            segments=segments.get(author_id, {}), activity_type="post", item_id=post_id,
            thread_id=thread_id, thread_title=ctx.title(("thread", thread_id), title, thread_author),
            category=category, post_id=post_id, post_number=number,
            parent_post_number=quoted_number if replying else None,
            parent_author=ctx.identity.quoted(quoted_author, quoted_name) if replying else None, state=state,
            text=ctx.text(body_html, quoted_author if replying else NOT_A_REPLY),
            photos=ctx.links(_IMG_SRC_RE.findall(body_html)) if "<img" in body_html else "",
            reaction_count=reactions, codes="; ".join(codes.get(post_id, ())))


def _sources(spec: TranscriptFilter) -> list[tuple[Callable, Callable]]:
    from app.research import activity_rows

    available = {
        "include_posts": (post_select, post_rows),
        "include_tasks": (activity_rows.task_select, activity_rows.task_rows),
        "include_polls": (activity_rows.ballot_select, activity_rows.ballot_rows),
        "include_competitions": (activity_rows.entry_select, activity_rows.entry_rows),
    }
    return [pair for flag, pair in available.items() if getattr(spec, flag)]


def count_rows(spec: TranscriptFilter) -> int:
    """How many rows the export will have (for progress)."""
    return sum(db.session.scalar(sa.select(sa.func.count()).select_from(select(spec).order_by(None).subquery()))
               for select, _rows in _sources(spec))


def iter_transcript(spec: TranscriptFilter, *, batch: int = 2000, keys: list[str] | None = None) -> Iterator[dict]:
    """Yield transcript rows in constant memory (server-side batches): posts, tasks, ballots, then entries."""
    ctx = RowContext(spec, segment_keys() if keys is None else keys)
    for select, build in _sources(spec):
        result = db.session.execute(select(spec).execution_options(yield_per=batch))
        for chunk in result.partitions():
            yield from build(chunk, ctx)
