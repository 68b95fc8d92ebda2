"""The KOC shortlist: members ranked by the conversation they start and carry (hosts and members who withdrew
consent excluded, as candidates and as the repliers, quoters and reactors counted)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from app.db import ContentState
from app.extensions import db
from app.forum.models import Post, Reaction, Thread
from app.members.models import User
from app.members.queries import members_only, taking_part_in_research
from app.research.pseudonyms import pseudonym

TRENDING_REPLIERS = 5  # a thread "trended" when at least this many distinct members replied in the window
WEIGHTS = {"repliers": 3.0, "quoters": 2.0, "reactors": 1.0, "trending_threads": 5.0}
PERIODS = (7, 30, 90, 365)  # days the shortlist can look back


def period_days(days: int | None) -> int:
    """One of the offered look-back periods (90 days unless another was asked for)."""
    return days if days in PERIODS else 90


@dataclass
class Influence:
    user: User
    repliers: int = 0
    quoters: int = 0
    reactors: int = 0
    trending_threads: int = 0

    @property
    def score(self) -> float:
        return sum(getattr(self, key) * weight for key, weight in WEIGHTS.items())

    @property
    def pseudonym(self) -> str:
        """The member's export pseudonym: what viewers who may not see identities are shown."""
        return pseudonym(self.user.id)


def _published(*models):
    return [m.state == ContentState.PUBLISHED.value for m in models]


def _consenting(column) -> sa.ColumnElement:
    """The member in ``column`` has not withdrawn consent."""
    return column.not_in(sa.select(User.id).where(User.consent_withdrawn_at.is_not(None)))


def koc_shortlist(now: datetime, *, days: int = 90, limit: int = 30) -> list[Influence]:
    """Members ranked by distinct repliers to their threads, distinct quoters, distinct reactors, trending threads."""
    since = now - timedelta(days=days)
    reply = aliased(Post)
    repliers = dict(db.session.execute(
        sa.select(Thread.author_id, sa.func.count(sa.distinct(reply.author_id)))
        .join(reply, reply.thread_id == Thread.id)
        .where(reply.number > 1, reply.author_id != Thread.author_id, reply.created_at >= since,
               _consenting(reply.author_id), *_published(reply, Thread))
        .group_by(Thread.author_id)).all())
    quoted = aliased(Post)
    quoters = dict(db.session.execute(
        sa.select(quoted.author_id, sa.func.count(sa.distinct(Post.author_id)))
        .join(quoted, Post.quoted_post_id == quoted.id)
        .where(Post.author_id != quoted.author_id, Post.created_at >= since, _consenting(Post.author_id),
               *_published(Post))
        .group_by(quoted.author_id)).all())
    reactors = dict(db.session.execute(
        sa.select(Post.author_id, sa.func.count(sa.distinct(Reaction.user_id)))
        .join(Reaction, Reaction.post_id == Post.id)
        .where(Reaction.created_at >= since, _consenting(Reaction.user_id), *_published(Post))
        .group_by(Post.author_id)).all())
    per_thread = (sa.select(Thread.author_id.label("author_id"))
                  .join(reply, reply.thread_id == Thread.id)
                  .where(Thread.created_at >= since, reply.number > 1, reply.author_id != Thread.author_id,
                         _consenting(reply.author_id), *_published(reply, Thread))
                  .group_by(Thread.id, Thread.author_id)
                  .having(sa.func.count(sa.distinct(reply.author_id)) >= TRENDING_REPLIERS).subquery())
    trending = dict(db.session.execute(
        sa.select(per_thread.c.author_id, sa.func.count()).group_by(per_thread.c.author_id)).all())
    ids = {i for i in (*repliers, *quoters, *reactors, *trending) if i is not None}
    members = db.session.scalars(sa.select(User).where(User.id.in_(ids), members_only(),
                                                       taking_part_in_research())).all()
    ranked = [Influence(user=u, repliers=repliers.get(u.id, 0), quoters=quoters.get(u.id, 0),
                        reactors=reactors.get(u.id, 0), trending_threads=trending.get(u.id, 0)) for u in members]
    ranked.sort(key=lambda item: (-item.score, item.user.id))
    return ranked[:limit]
