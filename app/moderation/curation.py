"""Curation: pin, lock, feature, move, merge, split, hide/restore threads, edit a member's post, suspend."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from app.core.exceptions import DomainError
from app.db import ContentState, utcnow
from app.extensions import db
from app.forum.models import Category, Post, Thread, ThreadRead
from app.members.models import User
from app.members.notifications import notify
from app.moderation import audit
from app.security import policy

FLAGS = {"pin": ("is_pinned", True), "unpin": ("is_pinned", False),
         "pin_landing": ("is_pinned_globally", True), "unpin_landing": ("is_pinned_globally", False),
         "lock": ("is_locked", True), "unlock": ("is_locked", False),
         "feature": ("is_featured", True), "unfeature": ("is_featured", False)}


def _require_host(by: User) -> None:
    if not policy.can_moderate(by):
        raise DomainError(_("Only hosts can curate threads."))


def set_thread_flag(thread: Thread, action: str, *, by: User) -> bool:
    """pin / unpin (category), pin_landing / unpin_landing, lock / unlock, feature / unfeature."""
    _require_host(by)
    if action not in FLAGS:
        raise DomainError(_("Unknown action."))
    column, value = FLAGS[action]
    if getattr(thread, column) == value:
        return False
    setattr(thread, column, value)
    audit.record(by, f"thread.{action}", thread, before={column: not value}, after={column: value})
    return True


def hide_thread(thread: Thread, *, by: User, reason: str, now: datetime | None = None) -> bool:
    _require_host(by)
    if not (reason or "").strip():
        raise DomainError(_("Give a reason for hiding."), "reason")
    if thread.state == ContentState.HIDDEN.value:
        return False
    before = thread.state
    thread.state, thread.hidden_at, thread.hidden_by_id, thread.hide_reason = (
        ContentState.HIDDEN.value, now or utcnow(), by.id, reason.strip())
    audit.record(by, "thread.hide", thread, reason=reason.strip(), before={"state": before},
                 after={"state": thread.state})
    return True


def restore_thread(thread: Thread, *, by: User) -> bool:
    _require_host(by)
    if thread.state == ContentState.PUBLISHED.value:
        return False
    before = thread.state
    thread.state, thread.hidden_at, thread.hidden_by_id, thread.hide_reason = ContentState.PUBLISHED.value, None, None, None
    audit.record(by, "thread.restore", thread, before={"state": before}, after={"state": thread.state})
    return True


def move_thread(thread: Thread, category: Category, *, by: User) -> bool:
    """Move a thread to another category, carrying its counts along."""
    _require_host(by)
    if thread.category_id == category.id:
        return False
    source = db.session.get(Category, thread.category_id)
    source.thread_count -= 1
    source.post_count -= thread.post_count
    category.thread_count += 1
    category.post_count += thread.post_count
    category.last_post_at = max(filter(None, [category.last_post_at, thread.last_post_at]))
    audit.record(by, "thread.move", thread, before={"category_id": source.id}, after={"category_id": category.id})
    thread.category_id = category.id
    db.session.flush()
    db.session.expire(thread, ["category"])
    return True


def _renumber(thread_id: int) -> int:
    """Number a thread's posts 1..N by time (two passes keep the unique (thread, number) constraint happy)."""
    posts = db.session.scalars(sa.select(Post).where(Post.thread_id == thread_id)
                               .order_by(Post.created_at, Post.id)).all()
    for post in posts:
        post.number = -post.id
    db.session.flush()
    for number, post in enumerate(posts, start=1):
        post.number = number
    db.session.flush()
    thread = db.session.get(Thread, thread_id)
    thread.post_count = len(posts)
    thread.reaction_count = sum(p.reaction_count for p in posts)
    if posts:
        thread.last_post_at, thread.last_poster_name = posts[-1].created_at, posts[-1].author_name
    return len(posts)


def merge_threads(source: Thread, target: Thread, *, by: User) -> int:
    """Move every post of ``source`` into ``target`` (authors and times kept); the source stays, hidden."""
    _require_host(by)
    if source.id == target.id:
        raise DomainError(_("A thread cannot be merged into itself."), "target_id")
    moved = db.session.execute(sa.update(Post).where(Post.thread_id == source.id)
                               .values(thread_id=target.id, number=-Post.id)).rowcount
    db.session.flush()
    db.session.expire_all()
    _renumber(target.id)
    # Readers' marks point at old numbers; reset them to "read up to the start" so nothing is skipped.
    db.session.execute(sa.update(ThreadRead).where(ThreadRead.thread_id == target.id).values(last_read_number=0))
    source = db.session.get(Thread, source.id)
    source.post_count, source.reaction_count = 0, 0
    source.state, source.hidden_at, source.hidden_by_id = ContentState.HIDDEN.value, utcnow(), by.id
    source.hide_reason = _("Merged into thread #%(id)d", id=target.id)
    if source.category_id != target.category_id:
        db.session.get(Category, source.category_id).post_count -= moved
        db.session.get(Category, target.category_id).post_count += moved
    db.session.get(Category, source.category_id).thread_count -= 1
    audit.record(by, "thread.merge", target, after={"source_id": source.id, "posts": moved})
    return moved


def split_thread(thread: Thread, post_ids: list[int], *, title: str, category: Category, by: User) -> Thread:
    """Chosen replies (never the opening post) become a new thread; both threads are renumbered."""
    from app.forum.services import _clean_title

    _require_host(by)
    posts = db.session.scalars(sa.select(Post).where(Post.thread_id == thread.id, Post.id.in_(post_ids))
                               .order_by(Post.created_at, Post.id)).all()
    if not posts:
        raise DomainError(_("Tick at least one reply to split off."), "post_ids")
    if any(p.number == 1 for p in posts):
        raise DomainError(_("The opening post stays with its thread."), "post_ids")
    first = posts[0]
    new = Thread(category_id=category.id, title=_clean_title(title), author_id=first.author_id,
                 author_name=first.author_name, created_at=first.created_at, last_post_at=first.created_at)
    db.session.add(new)
    db.session.flush()
    for post in posts:
        post.thread_id, post.number = new.id, -post.id
    db.session.flush()
    _renumber(new.id)
    _renumber(thread.id)
    source_category = db.session.get(Category, thread.category_id)
    source_category.post_count -= len(posts)
    category.thread_count += 1
    category.post_count += len(posts)
    audit.record(by, "thread.split", thread, after={"new_thread_id": new.id, "posts": [p.id for p in posts]})
    return new


def edit_member_post(post: Post, *, by: User, body: str, reason: str | None = None) -> bool:
    """A host edits a member's post: the revision is kept and the member is told."""
    from app.forum.services import edit_post

    _require_host(by)
    changed = edit_post(post, editor=by, body=body)
    if changed:
        if post.author_id and post.author_id != by.id:
            notify(post.author_id, "post_edited",
                   _("A host edited your post in “%(title)s”.", title=post.thread.title), url=f"/p/{post.id}",
                   actor=by)
        audit.record(by, "post.edit", post, reason=reason)
    return changed
