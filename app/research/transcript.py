"""Transcript rows: one generator over posts, task submissions, poll ballots and competition entries."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from app.db import ContentState
from app.extensions import db
from app.forum.models import Category, Post, Thread
from app.forum.services import photos_of
from app.members.models import User
from app.research import activity_rows
from app.research.coding import codes_by_post
from app.research.models import CodedExcerpt
from app.research.quotes import NOT_A_REPLY
from app.research.transcript_filter import (
    IDENTITIES,
    TranscriptFilter,
    restrict_dates,
    restrict_people,
)
from app.research.transcript_rows import BASE_COLUMNS, RowContext, segment_keys, segments_of, transcript_columns

__all__ = ["BASE_COLUMNS", "IDENTITIES", "TranscriptFilter", "count_rows", "iter_transcript", "transcript_columns"]
_IMG_SRC_RE = re.compile(r'<img\b[^>]*?\bsrc="([^"]+)"')


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
        coded = sa.select(CodedExcerpt.post_id).where(CodedExcerpt.code_id.in_(spec.code_ids))
        select = select.where(Post.id.in_(coded))
    return select


def post_rows(chunk, ctx: RowContext) -> Iterator[dict]:
    """Rows for a batch of posts, with their codes, their author's segments and the photos in their text."""
    codes = codes_by_post([row.id for row in chunk])
    attached = photos_of([row.id for row in chunk])  # shown as links to our copies: never a file's own name
    segments = segments_of(chunk)
    # Unpacked once per row: attribute access on a Row costs more than the rest of the row at a million posts.
    for (post_id, thread_id, number, quoted_id, quoted_number, quoted_author, quoted_name, created_at, author_id,
         author_name, body_html, reactions, state, title, thread_author, category, role) in chunk:
        body_html = body_html or ""
        replying = quoted_id is not None
        yield ctx.row(
            user_id=author_id, name=author_name, role=role, created_at=created_at,
            segments=segments.get(author_id, {}), activity_type="post", item_id=ctx.ref("post", post_id),
            thread_id=ctx.ref("thread", thread_id), thread_title=ctx.title(("thread", thread_id), title, thread_author),
            category=category, post_id=ctx.ref("post", post_id), post_number=number,
            parent_post_number=quoted_number if replying else None,
            parent_author=ctx.identity.quoted(quoted_author, quoted_name) if replying else None, state=state,
            text=ctx.text(body_html, quoted_author if replying else NOT_A_REPLY, author_id),
            photos=ctx.links([*(_IMG_SRC_RE.findall(body_html) if "<img" in body_html else ()),
                              *(upload.url for upload in attached.get(post_id, ()))]),
            reaction_count=reactions, codes="; ".join(codes.get(post_id, ())))


def transcript_sources(spec: TranscriptFilter) -> list[tuple[Callable, Callable]]:
    """The (select, rows) pairs of the sources the filter includes, in export order."""
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
               for select, _rows in transcript_sources(spec))


def iter_transcript(spec: TranscriptFilter, *, batch: int = 2000, keys: list[str] | None = None) -> Iterator[dict]:
    """Yield transcript rows in constant memory (server-side batches): posts, tasks, ballots, then entries."""
    ctx = RowContext(spec, segment_keys() if keys is None else keys)
    for select, build in transcript_sources(spec):
        result = db.session.execute(select(spec).execution_options(yield_per=batch))
        for chunk in result.partitions():
            yield from build(chunk, ctx)
