"""Session events that keep points and badges current; ``listen`` is called from ``points.wiring.init_app``.

After each flush we note new posts, posts whose state changed and new upvotes; just before the transaction
commits (when spam checks and moderation have settled each post's state) we reconcile their points and
check the upvote badge, in the same transaction.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_sqlalchemy.session import Session

from app.forum.models import Post, Reaction
from app.members.models import User
from app.points import badges
from app.points.posting import reconcile_post

PENDING = "points.pending"


def _after_flush(session, _flush_context) -> None:
    posts, upvoted = set(), set()
    for obj in session.new:
        if isinstance(obj, Post):
            posts.add(obj.id)
        elif isinstance(obj, Reaction):
            upvoted.add(obj.post_id)
    for obj in session.dirty:
        if isinstance(obj, Post) and sa.inspect(obj).attrs.state.history.has_changes():
            posts.add(obj.id)
    if posts or upvoted:
        pending = session.info.setdefault(PENDING, {"posts": set(), "upvoted": set()})
        pending["posts"] |= posts
        pending["upvoted"] |= upvoted


def _before_commit(session) -> None:
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    for post_id in sorted(pending["posts"]):
        post = session.get(Post, post_id)
        if post is not None:
            reconcile_post(post)
    if pending["upvoted"]:
        authors = session.scalars(sa.select(Post.author_id).where(Post.id.in_(pending["upvoted"])).distinct())
        for author_id in sorted(a for a in authors if a):
            badges.check_upvotes(session.get(User, author_id))


def _after_soft_rollback(session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction is gone, not just a savepoint
        session.info.pop(PENDING, None)


_LISTENERS = (("after_flush", _after_flush), ("before_commit", _before_commit),
              ("after_soft_rollback", _after_soft_rollback))


def listen() -> None:
    """Attach the listeners to every Flask-SQLAlchemy session (once, however many apps the process builds)."""
    for name, handler in _LISTENERS:
        if not sa.event.contains(Session, name, handler):
            sa.event.listen(Session, name, handler)
