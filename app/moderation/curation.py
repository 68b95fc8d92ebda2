"""Curation: pin, lock, feature, move, merge, split, hide/restore threads, host edits, suspensions.

Every service takes the acting host, returns False (or nothing moved) when there is nothing to do, writes an
audit event when something changes, and only flushes.
"""
from __future__ import annotations

from bisect import bisect_right
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from app import audit
from app.core.exceptions import DomainError
from app.db import ContentState, utcnow
from app.extensions import db
from app.forum.models import Category, MovedPost, Post, Thread, ThreadRead
from app.forum.services import edit_post
from app.members.models import User
from app.members.notifications import notify
from app.members.services import suspend, unsuspend
from app.moderation.services import moderate_post
from app.search.index import document_for, write_entry
from app.security import policy
from app.security.roles import Permission, role_has
from app.text.fields import clean_title
from app.text.markup import TextError, clean_line

PUBLISHED, HIDDEN = ContentState.PUBLISHED.value, ContentState.HIDDEN.value
PIN_COLUMNS = {"category": "is_pinned", "landing": "is_pinned_globally"}
MAX_SUSPENSION_DAYS = 3650


def _require_host(by: User) -> None:
    if not policy.can_moderate(by):
        raise DomainError(_("Only hosts can curate threads."))


def _reason(reason: str | None, *, required: bool, limit: int = 500) -> str | None:
    try:
        reason = clean_line(reason or "")
    except TextError as error:
        raise DomainError(str(error), "reason") from error
    if required and not reason:
        raise DomainError(_("Give a reason."), "reason")
    if len(reason) > limit:
        raise DomainError(_("A reason has at most %(n)d characters.", n=limit), "reason")
    return reason or None


def _set_flag(thread: Thread, column: str, value: bool, *, by: User, verb: str) -> bool:
    _require_host(by)
    if getattr(thread, column) == value:
        return False
    setattr(thread, column, value)
    db.session.flush()
    audit.record(by, verb, thread, before={column: not value}, after={column: value})
    return True


def _pin_column(to: str) -> str:
    if to not in PIN_COLUMNS:
        raise DomainError(_("Pin to the category or to the landing page."), "to")
    return PIN_COLUMNS[to]


def pin_thread(thread: Thread, *, by: User, to: str = "category") -> bool:
    """Pin a thread to the top of its category (``to="category"``) or to the landing page (``to="landing"``)."""
    verb = "thread.pin" if to == "category" else "thread.pin_landing"
    return _set_flag(thread, _pin_column(to), True, by=by, verb=verb)


def unpin_thread(thread: Thread, *, by: User, to: str = "category") -> bool:
    """Take a thread's pin off its category (``to="category"``) or off the landing page (``to="landing"``)."""
    verb = "thread.unpin" if to == "category" else "thread.unpin_landing"
    return _set_flag(thread, _pin_column(to), False, by=by, verb=verb)


def lock_thread(thread: Thread, *, by: User) -> bool:
    """Lock a thread so members can no longer reply (hosts still can)."""
    return _set_flag(thread, "is_locked", True, by=by, verb="thread.lock")


def unlock_thread(thread: Thread, *, by: User) -> bool:
    """Open a locked thread for replies again."""
    return _set_flag(thread, "is_locked", False, by=by, verb="thread.unlock")


def feature_thread(thread: Thread, *, by: User) -> bool:
    """Feature a thread on the landing page."""
    return _set_flag(thread, "is_featured", True, by=by, verb="thread.feature")


def unfeature_thread(thread: Thread, *, by: User) -> bool:
    """Stop featuring a thread on the landing page."""
    return _set_flag(thread, "is_featured", False, by=by, verb="thread.unfeature")


def hide_thread(thread: Thread, *, by: User, reason: str, now: datetime | None = None) -> bool:
    """Hide a thread from members, recording who hid it, when and why."""
    _require_host(by)
    reason = _reason(reason, required=True)
    if thread.state == HIDDEN:
        return False
    before = thread.state
    thread.state, thread.hidden_at, thread.hidden_by_id, thread.hide_reason = HIDDEN, now or utcnow(), by.id, reason
    db.session.flush()
    audit.record(by, "thread.hide", thread, reason=reason, before={"state": before}, after={"state": HIDDEN})
    return True


def restore_thread(thread: Thread, *, by: User) -> bool:
    """Publish a hidden thread again; a hidden opening post comes back with it."""
    _require_host(by)
    if thread.state == PUBLISHED:
        return False
    opening = db.session.scalar(sa.select(Post).where(Post.thread_id == thread.id, Post.number == 1))
    if opening is None:
        raise DomainError(_("This thread has no posts left (they were merged or purged); it stays hidden."))
    before = {"state": thread.state, "hide_reason": thread.hide_reason}
    if opening.state != PUBLISHED:
        moderate_post(opening, "restore", by=by)  # audited there; it publishes the thread too
    thread.state, thread.hidden_at, thread.hidden_by_id, thread.hide_reason = PUBLISHED, None, None, None
    db.session.flush()
    audit.record(by, "thread.restore", thread, before=before, after={"state": PUBLISHED})
    return True


def _refresh_last_post(category: Category) -> None:
    category.last_post_at = db.session.scalar(
        sa.select(sa.func.max(Thread.last_post_at)).where(Thread.category_id == category.id))


def move_thread(thread: Thread, category: Category, *, by: User) -> bool:
    """Move a thread to another category, carrying its thread and post counts along."""
    _require_host(by)
    if thread.category_id == category.id:
        return False
    source = db.session.get(Category, thread.category_id)
    source.thread_count -= 1
    source.post_count -= thread.post_count
    category.thread_count += 1
    category.post_count += thread.post_count
    thread.category_id = category.id
    db.session.flush()
    db.session.expire(thread, ["category"])
    _refresh_last_post(source)
    _refresh_last_post(category)
    audit.record(by, "thread.move", thread, before={"category_id": source.id, "category": source.name},
                 after={"category_id": category.id, "category": category.name})
    return True


# --- merge and split ------------------------------------------------------------------------------------

def _expire_posts() -> None:
    """Bulk statements bypass the identity map: make loaded posts reload their thread and number."""
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, Post):
            db.session.expire(obj)


def _old_numbers(thread_id: int) -> dict[int, int]:
    return dict(db.session.execute(sa.select(Post.id, Post.number).where(Post.thread_id == thread_id)).all())


def _renumber(thread: Thread, *, opening_id: int) -> list[int]:
    """Number a thread's posts 1..N: the opening post first, the rest by time; refresh the thread's counters."""
    rows = db.session.execute(sa.select(Post.id, Post.created_at, Post.author_name, Post.reaction_count)
                              .where(Post.thread_id == thread.id).order_by(Post.created_at, Post.id)).all()
    order = [opening_id] + [r.id for r in rows if r.id != opening_id]
    # Two passes: negative numbers first, so the unique (thread, number) constraint never sees a clash.
    db.session.execute(sa.update(Post).where(Post.thread_id == thread.id).values(number=-Post.id),
                       execution_options={"synchronize_session": False})
    db.session.execute(sa.update(Post), [{"id": pid, "number": n} for n, pid in enumerate(order, start=1)],
                       execution_options={"synchronize_session": False})
    _expire_posts()
    last = rows[-1]
    thread.post_count, thread.reaction_count = len(rows), sum(r.reaction_count for r in rows)
    thread.last_post_at, thread.last_poster_name = last.created_at, last.author_name
    return order


def _remap_reads(thread_id: int, old: dict[int, int], order: list[int]) -> None:
    """Move readers' marks so no post they have not read counts as read (they resume at the first such post)."""
    ceilings: list[float] = []  # ceilings[n-1]: the old mark needed to have read the new posts 1..n
    ceiling = 0.0
    for post_id in order:
        ceiling = max(ceiling, old.get(post_id, float("inf")))
        ceilings.append(ceiling)
    marks = db.session.scalars(sa.select(ThreadRead.last_read_number).distinct()
                               .where(ThreadRead.thread_id == thread_id)).all()
    for mark in sorted(marks):  # new marks never exceed old ones, so ascending updates cannot chain
        new = bisect_right(ceilings, mark)
        if new != mark:
            db.session.execute(sa.update(ThreadRead).where(ThreadRead.thread_id == thread_id,
                                                           ThreadRead.last_read_number == mark)
                               .values(last_read_number=new), execution_options={"synchronize_session": False})


def _reindex_opening(post_id: int, title: str | None) -> None:
    """The search document of an opening post carries its thread's title; keep that true after a renumbering."""
    body_html = db.session.scalar(sa.select(Post.body_html).where(Post.id == post_id))
    write_entry(db.session.connection(), post_id, document_for(title, body_html))


def merge_threads(source: Thread, target: Thread, *, by: User, now: datetime | None = None) -> int:
    """Move every post of ``source`` into ``target`` with authors and times kept; the source stays, hidden.

    Returns how many posts moved (0 when the source has none left).
    """
    _require_host(by)
    if source.id == target.id:
        raise DomainError(_("A thread cannot be merged into itself."), "target")
    if target.state != PUBLISHED:
        raise DomainError(_("Merge into a visible thread; this one is hidden."), "target")
    db.session.flush()
    moved = db.session.scalars(sa.select(Post.id).where(Post.thread_id == source.id)).all()
    if not moved:
        return 0
    old = _old_numbers(target.id)
    target_opening = min(old, key=old.get)  # post 1, unless a purge took it
    source_opening = db.session.scalar(sa.select(Post.id).where(Post.thread_id == source.id, Post.number == 1))
    before = {"source_posts": source.post_count, "target_posts": target.post_count}
    # The source's old numbers, so its addresses (page and anchor) keep leading to these posts.
    db.session.execute(sa.insert(MovedPost).from_select(
        ["thread_id", "number", "post_id"],
        sa.select(sa.literal(source.id), Post.number, Post.id).where(Post.thread_id == source.id)))
    db.session.execute(sa.update(Post).where(Post.thread_id == source.id).values(thread_id=target.id, number=-Post.id),
                       execution_options={"synchronize_session": False})
    order = _renumber(target, opening_id=target_opening)
    _remap_reads(target.id, old, order)
    if source_opening:
        _reindex_opening(source_opening, None)
    source.post_count, source.reaction_count = 0, 0
    source.state, source.hidden_at, source.hidden_by_id = HIDDEN, now or utcnow(), by.id
    source.hide_reason = _("Merged into thread #%(id)d", id=target.id)
    source.merged_into_id = target.id
    # The source row stays (hidden), so the thread counts keep counting it, as for any hidden thread.
    db.session.get(Category, source.category_id).post_count -= len(moved)
    target_category = db.session.get(Category, target.category_id)
    target_category.post_count += len(moved)
    db.session.flush()
    _refresh_last_post(target_category)
    audit.record(by, "thread.merge", target, reason=source.hide_reason, before=before,
                 after={"source_id": source.id, "moved_post_ids": list(moved), "target_posts": target.post_count})
    return len(moved)


def _chosen_replies(thread: Thread, post_ids: list[int]) -> list[Post]:
    wanted = {int(pid) for pid in post_ids}
    if not wanted:
        raise DomainError(_("Tick at least one reply to split off."), "post_ids")
    posts = db.session.scalars(sa.select(Post).where(Post.thread_id == thread.id, Post.id.in_(wanted))
                               .order_by(Post.created_at, Post.id)).all()
    if len(posts) != len(wanted):
        raise DomainError(_("Some of the ticked replies are not in this thread."), "post_ids")
    if any(post.number == 1 for post in posts):
        raise DomainError(_("The opening post stays with its thread."), "post_ids")
    return posts


def split_thread(thread: Thread, post_ids: list[int], *, title: str, category: Category, by: User) -> Thread:
    """Turn chosen replies (never the opening post) into a new thread; both threads are renumbered."""
    _require_host(by)
    title = clean_title(title, "title")
    posts = _chosen_replies(thread, post_ids)
    first = posts[0]
    old = _old_numbers(thread.id)
    if len(posts) == len(old):
        raise DomainError(_("Leave at least one post in the thread."), "post_ids")
    new = Thread(category_id=category.id, title=title, author_id=first.author_id, author_name=first.author_name,
                 created_at=first.created_at, last_post_at=first.created_at, post_count=0,
                 state=first.state, hidden_at=first.hidden_at, hidden_by_id=first.hidden_by_id,
                 hide_reason=first.hide_reason)  # a thread's state follows its opening post's
    db.session.add(new)
    db.session.flush()
    moved = [post.id for post in posts]
    db.session.execute(sa.update(Post).where(Post.id.in_(moved)).values(thread_id=new.id, number=-Post.id),
                       execution_options={"synchronize_session": False})
    _renumber(new, opening_id=first.id)
    remaining = {pid: number for pid, number in old.items() if pid not in set(moved)}
    order = _renumber(thread, opening_id=min(remaining, key=remaining.get))
    _remap_reads(thread.id, old, order)
    _reindex_opening(first.id, title)
    source_category = db.session.get(Category, thread.category_id)
    source_category.post_count -= len(moved)
    category.thread_count += 1
    category.post_count += len(moved)
    if first.author_id and (author := db.session.get(User, first.author_id)):
        author.thread_count += 1
    db.session.flush()
    _refresh_last_post(source_category)
    _refresh_last_post(category)
    audit.record(by, "thread.split", thread, before={"posts": len(old)},
                 after={"posts": thread.post_count, "new_thread_id": new.id, "moved_post_ids": moved})
    return new


# --- posts and members -----------------------------------------------------------------------------------

def edit_member_post(post: Post, *, by: User, body: str, reason: str | None = None) -> bool:
    """A host edits a member's post: the earlier text is kept as a revision and the member is told."""
    _require_host(by)
    reason = _reason(reason, required=False)
    before = post.body
    if not edit_post(post, editor=by, body=body):
        return False
    if post.author_id and post.author_id != by.id:
        notify(post.author_id, "post_edited",
               _("A host edited your post in “%(title)s”.", title=post.thread.title), url=f"/p/{post.id}", actor=by)
    audit.record(by, "post.edit", post, reason=reason, before={"body": before[:500]},
                 after={"body": post.body[:500], "edit_count": post.edit_count})
    return True


def _may_suspend(by: User, user: User) -> None:
    _require_host(by)
    if user.id == by.id:
        raise DomainError(_("You cannot suspend yourself."))
    # The role, not user.can(): a suspended host's permissions are off, yet they stay staff.
    is_staff = role_has(user.role, Permission.MODERATE) or role_has(user.role, Permission.RESEARCH)
    if is_staff and not by.can(Permission.MANAGE_ROLES):
        raise DomainError(_("Only admins can suspend hosts and researchers."))


def suspend_member(user: User, *, by: User, days: int | None, reason: str, now: datetime | None = None) -> bool:
    """Suspend a member for ``days`` (None: until lifted) with a reason; they are logged out and notified."""
    _may_suspend(by, user)
    reason = _reason(reason, required=True)
    if days is not None and not 1 <= days <= MAX_SUSPENSION_DAYS:
        raise DomainError(_("Suspend for 1 to %(n)d days, or leave it empty.", n=MAX_SUSPENSION_DAYS), "days")
    suspend(user, by=by, reason=reason, days=days, now=now)  # audited there
    text = (ngettext("You are suspended for %(num)d day: %(reason)s", "You are suspended for %(num)d days: %(reason)s",
                     days, reason=reason) if days
            else _("You are suspended until a host lifts it: %(reason)s", reason=reason))
    notify(user.id, "suspended", text, actor=by)
    return True


def unsuspend_member(user: User, *, by: User) -> bool:
    """Lift a member's suspension and tell them."""
    _may_suspend(by, user)
    if not unsuspend(user, by=by):  # audited there
        return False
    notify(user.id, "unsuspended", _("Your suspension has been lifted; welcome back."), actor=by)
    return True
