"""Reads the researchers' pages need: volumes per category, consent counts, exports, codes, polls."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.db import ContentState
from app.extensions import db
from app.forum.models import Category, Post, Thread
from app.members.models import User
from app.members.queries import taking_part_in_research
from app.polls.models import Poll
from app.research.models import Code, CodedExcerpt, ExportRun
from app.research.transcript_filter import HOST_ROLES


def category_volumes() -> list[sa.Row]:
    """Per category: id, name, published threads, published posts, distinct authors, last post time."""
    published = ContentState.PUBLISHED.value
    return db.session.execute(
        sa.select(Category.id, Category.name, sa.func.count(sa.distinct(Thread.id)), sa.func.count(Post.id),
                  sa.func.count(sa.distinct(Post.author_id)), sa.func.max(Post.created_at))
        .select_from(Category)
        .outerjoin(Thread, sa.and_(Thread.category_id == Category.id, Thread.state == published))
        .outerjoin(Post, sa.and_(Post.thread_id == Thread.id, Post.state == published))
        .group_by(Category.id, Category.name).order_by(Category.position, Category.name)
    ).all()


def consenting_count() -> int:
    """Members who consented to research and have not withdrawn."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(User).where(taking_part_in_research()))


def withdrawn_count() -> int:
    """Members who withdrew their consent (their words are left out of exports)."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(User)
                             .where(User.consent_withdrawn_at.is_not(None)))


def recent_exports(limit: int = 50) -> list[ExportRun]:
    return db.session.scalars(sa.select(ExportRun).order_by(ExportRun.created_at.desc()).limit(limit)).all()


def codes_by_name() -> list[Code]:
    return db.session.scalars(sa.select(Code).order_by(Code.name)).all()


def active_codes() -> list[Code]:
    """Codes that are not archived, by name (the ones a researcher can apply)."""
    return db.session.scalars(sa.select(Code).where(Code.archived_at.is_(None)).order_by(Code.name)).all()


def code_book() -> tuple[list[Code], dict[int, int]]:
    """Every code (archived ones last) and how many excerpts each has."""
    codes = db.session.scalars(sa.select(Code).order_by(Code.archived_at.is_not(None), Code.name)).all()
    return codes, excerpt_counts()  # excerpts of members who take no part in research are not counted


def _consenting_authors(select: sa.Select) -> sa.Select:
    """Only excerpts of posts whose author takes part in research (``members.queries.taking_part_in_research``, as
    for exports, terms, KOC and crosstabs), or is a host, or whose account is gone (a select joined to
    ``CodedExcerpt``): a member who withdrew or never consented is not shown."""
    left_out = sa.select(User.id).where(sa.not_(sa.or_(User.role.in_(HOST_ROLES), taking_part_in_research())))
    return select.where(CodedExcerpt.post_id.not_in(sa.select(Post.id).where(Post.author_id.in_(left_out))))


def excerpts_of(code: Code) -> list[CodedExcerpt]:
    """A code's excerpts, newest first, without those of members who take no part in research."""
    return list(db.session.scalars(_consenting_authors(
        sa.select(CodedExcerpt).where(CodedExcerpt.code_id == code.id).order_by(CodedExcerpt.created_at.desc()))))


def excerpt_counts() -> dict[int, int]:
    """Excerpts per code, without those of members who take no part in research."""
    return dict(db.session.execute(_consenting_authors(
        sa.select(CodedExcerpt.code_id, sa.func.count()).group_by(CodedExcerpt.code_id))).all())


def excerpts_of_post(post: Post) -> list[CodedExcerpt]:
    return db.session.scalars(sa.select(CodedExcerpt).where(CodedExcerpt.post_id == post.id)).all()


def published_polls(limit: int = 200) -> list[Poll]:
    """Published polls, newest first, with their threads loaded."""
    return db.session.scalars(sa.select(Poll).where(Poll.is_published.is_(True)).options(selectinload(Poll.thread))
                              .order_by(Poll.created_at.desc(), Poll.id.desc()).limit(limit)).all()
