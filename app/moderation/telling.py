"""Authors are told when their post is hidden, quarantined, restored or approved, whoever did it.

A host's action, the flag threshold and the spam sweep all change ``Post.state``; rather than trusting every
path (present and future) to remember, one flush hook looks at each post whose state changed in the flush and
writes the author an in-app notification in their own language, with the reason and where to ask a host.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import has_app_context
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.db import ContentState
from app.forum.models import Category, Post, Thread
from app.members.models import User
from app.members.notifications import notify

PUBLISHED, PENDING, HIDDEN, SPAM = (s.value for s in ContentState)
KINDS = {HIDDEN: "post_hidden", SPAM: "post_quarantined"}


def _reason_text(post: Post) -> str:
    """The reason in words: host-typed reasons as typed, the machine's own markers explained."""
    reason = (post.hide_reason or "").strip()
    return {"": _("no reason was given"), "hide": _("a host hid it"), "spam": _("a host judged it to be spam"),
            "clear_spam": _("the spam filter judged it to be advertising")}.get(reason, reason)


def _ask_a_host(session: Session) -> tuple[str, str | None]:
    """How to ask a host about it: the first "ask the hosts" category when there is one."""
    place = session.execute(sa.select(Category.id, Category.name).where(Category.is_inquiry.is_(True))
                            .order_by(Category.position, Category.id).limit(1)).first()
    if place is None:
        return _("If you think this is a mistake, ask a host: mention one by name (@name) in a reply."), None
    return (_("If you think this is a mistake, ask a host in “%(place)s”.", place=place.name),
            f"/c/{place.id}/new")


def _text(post: Post, old: str, new: str, title: str, session: Session) -> tuple[str, str | None]:
    if new in (HIDDEN, SPAM):
        ask, url = _ask_a_host(session)
        said = (_("A host hid your post in “%(title)s”. Reason: %(reason)s.", title=title, reason=_reason_text(post))
                if new == HIDDEN else
                _("Your post in “%(title)s” was quarantined as possible spam. Reason: %(reason)s.",
                  title=title, reason=_reason_text(post)))
        return f"{said} {ask}", url
    if old == PENDING:
        return _("Your post in “%(title)s” was approved and is now visible.", title=title), f"/p/{post.id}"
    return _("Your post in “%(title)s” is visible again.", title=title), f"/p/{post.id}"


def _changed_state(post: Post) -> tuple[str, str] | None:
    history = inspect(post).attrs.state.history
    if not history.added or not history.deleted:
        return None
    old, new = history.deleted[0], history.added[0]
    if old == new or not (new in (HIDDEN, SPAM) or (new == PUBLISHED and old in (HIDDEN, SPAM, PENDING))):
        return None
    if new in (HIDDEN, SPAM) and old in (HIDDEN, SPAM):
        return None  # already out of sight: the author was told when it went
    return old, new


def tell_authors(session: Session, flush_context, instances) -> None:
    """Before a flush: a notification for the author of each post whose state moved out of or back into sight."""
    if not has_app_context():
        return
    for post in [obj for obj in session.dirty if isinstance(obj, Post)]:
        change = _changed_state(post)
        if change is None or post.author_id is None or post.author_id == post.hidden_by_id:
            continue
        author = session.get(User, post.author_id)
        if author is None:
            continue
        title = session.scalar(sa.select(Thread.title).where(Thread.id == post.thread_id)) or ""
        with force_locale(author.locale or "en"):
            text, url = _text(post, *change, title, session)
        notify(author.id, KINDS.get(change[1], "post_restored"), text, url=url,
               actor=session.get(User, post.hidden_by_id) if post.hidden_by_id else None)


def listen() -> None:
    """Install the flush hook once per process (every app shares SQLAlchemy's Session class)."""
    if not event.contains(Session, "before_flush", tell_authors):
        event.listen(Session, "before_flush", tell_authors)
