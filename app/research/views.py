"""The researchers' area (observers): an overview of what the community has said so far."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template

from app.db import ContentState
from app.extensions import db
from app.forum.models import Category, Post, Thread
from app.members.models import User
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
