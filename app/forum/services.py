"""Forum actions: start a thread, reply, quote, edit with revisions, react, mark as read."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from app.core.exceptions import DomainError
from app.db import upsert_insert, utcnow
from app.extensions import db, read_connection
from app.forum.models import Category, Post, PostRevision, Reaction, Thread, ThreadRead
from app.forum.notify import notify_new_post
from app.members.mentions import link_mentions
from app.members.models import User
from app.security import policy
from app.text.fields import clean_title, render_body
from app.uploads.models import Upload
from app.uploads.services import attach, attached_to, discard, store_images

POST_PHOTOS = "post"  # the attachment kind of photos in posts
MAX_POST_PHOTOS = 6

# What runs on every new post before it is counted: moderation's spam rules, added by its wiring (add_post_check),
# may hold the post for review.
_POST_CHECKS: list[Callable[..., None]] = []


def add_post_check(check: Callable[..., None]) -> None:
    """Run ``check(post, author, now=..., title=...)`` on every new post (once, however many apps are built)."""
    if check not in _POST_CHECKS:
        _POST_CHECKS.append(check)


def render_post_body(body: str | None, field: str = "body") -> str:
    """A post's safe HTML: the markdown with each @mention linked to the member's profile."""
    return render_body(link_mentions((body or "").strip(), profile_url=lambda user_id: f"/u/{user_id}"), field)


def _store_photos(files: list | None, author: User, now: datetime) -> list[Upload]:
    files = [f for f in files or [] if f and getattr(f, "filename", "")]
    if len(files) > MAX_POST_PHOTOS:
        raise DomainError(ngettext("At most %(num)d photo in a post.", "At most %(num)d photos in a post.",
                                   MAX_POST_PHOTOS), "photos")
    return store_images(files, owner=author, now=now)


def _with_photos(files: list | None, author: User, now: datetime, write: Callable[[], Post]) -> Post:
    """Store the photos, write the post, attach them; when anything is refused, the new files go again."""
    stored = _store_photos(files, author, now)
    try:
        post = write()
    except Exception:
        discard(stored)
        raise
    attach(stored, kind=POST_PHOTOS, target_id=post.id)
    return post


def photos_of(post_ids: list[int]) -> dict[int, list[Upload]]:
    """The photos of each of these posts, per post id, in the order they were sent."""
    return attached_to(POST_PHOTOS, post_ids)


def start_thread(category: Category, *, author: User, title: str, body: str, files: list | None = None,
                 now: datetime | None = None) -> Thread:
    """Open a thread in a category with its first post (and its photos)."""
    if not policy.can_start_thread(author, category):
        raise DomainError(_("You cannot start threads."))
    now = now or utcnow()
    thread = Thread(category=category, title=clean_title(title, "title"), author_id=author.id,
                    author_name=author.display_name, created_at=now, last_post_at=now, post_count=0)
    html = render_post_body(body)

    def write() -> Post:
        db.session.add(thread)
        db.session.flush()
        return _add_post(thread, author=author, body=body.strip(), html=html, now=now)

    opening = _with_photos(files, author, now, write)
    notify_new_post(opening, thread, author=author, quoted=None)
    thread.opening_post = opening  # for the page to say what the post's notifications left out
    category.thread_count += 1
    author.thread_count += 1
    return thread


def _add_post(thread: Thread, *, author: User, body: str, html: str, now: datetime,
              quoted: Post | None = None) -> Post:
    # Post numbers come from the thread's counter; the row lock serialises concurrent replies on PostgreSQL.
    number = db.session.execute(
        sa.update(Thread).where(Thread.id == thread.id).values(post_count=Thread.post_count + 1)
        .returning(Thread.post_count)
    ).scalar_one()
    post = Post(thread_id=thread.id, number=number, author_id=author.id, author_name=author.display_name,
                body=body, body_html=html, created_at=now, quoted_post_id=quoted.id if quoted else None)
    db.session.add(post)
    db.session.flush()
    db.session.refresh(thread, ["post_count"])
    for check in _POST_CHECKS:
        check(post, author, now=now, title=thread.title if number == 1 else None)
    thread.last_post_at = now
    thread.last_poster_name = author.display_name
    thread.category.post_count += 1
    thread.category.last_post_at = now
    author.post_count += 1
    return post


def reply(thread: Thread, *, author: User, body: str, quoted: Post | None = None, files: list | None = None,
          now: datetime | None = None) -> Post:
    """Add a reply to a thread (with its photos), optionally quoting one of its posts."""
    if not policy.can_reply(author, thread):
        raise DomainError(_("This thread is locked.") if thread.is_locked else _("You cannot reply here."))
    if quoted is not None and (quoted.thread_id != thread.id or not policy.can_view_post(author, quoted)):
        quoted = None
    now = now or utcnow()
    html = render_post_body(body)
    post = _with_photos(files, author, now, lambda: _add_post(thread, author=author, body=body.strip(), html=html,
                                                               now=now, quoted=quoted))
    notify_new_post(post, thread, author=author, quoted=quoted)
    return post


def quote_source(post: Post) -> str:
    """Markdown that quotes a post, for prefilling a reply."""
    lines = post.body.strip().splitlines() or [""]
    quoted = "\n".join("> " + line for line in lines)
    return _("%(name)s wrote:", name=post.author_name) + "\n" + quoted + "\n\n"


def edit_post(post: Post, *, editor: User, body: str, title: str | None = None) -> bool:
    """Change a post's text, keeping the earlier text as a revision; returns False when nothing changed."""
    if not policy.can_edit_post(editor, post):
        raise DomainError(_("You cannot edit this post."))
    new_title = clean_title(title, "title") if (title is not None and post.is_opening) else None
    body = body.strip()
    html = render_post_body(body)
    title_changed = new_title is not None and new_title != post.thread.title
    if body == post.body and not title_changed:
        return False
    previous_count = db.session.scalar(
        sa.select(sa.func.count()).select_from(PostRevision).where(PostRevision.post_id == post.id))
    db.session.add(PostRevision(
        post_id=post.id, number=previous_count + 1, title=post.thread.title if post.is_opening else None,
        body=post.body, body_html=post.body_html, created_at=post.edited_at or post.created_at,
        replaced_by_id=editor.id,
    ))
    post.body, post.body_html = body, html
    post.edited_at = utcnow()
    post.edit_count += 1
    if title_changed:
        post.thread.title = new_title
    db.session.flush()
    return True


def toggle_reaction(post: Post, *, user: User) -> bool:
    """Upvote a post, or take the upvote back; returns whether the member now upvotes it."""
    if not policy.can_react(user, post):
        raise DomainError(_("You cannot upvote this post."))
    # A double click sends two requests at once: the counts move only by the row that was really added or removed.
    upvoted = db.session.scalar(sa.select(sa.func.count()).select_from(Reaction)
                                .where(Reaction.post_id == post.id, Reaction.user_id == user.id))
    if upvoted:
        delta = -db.session.execute(sa.delete(Reaction).where(Reaction.post_id == post.id,
                                                              Reaction.user_id == user.id)).rowcount
    else:
        try:
            with db.session.begin_nested():  # an ORM add, so the points hooks see the new upvote
                db.session.add(Reaction(post_id=post.id, user_id=user.id))
            delta = 1
        except sa.exc.IntegrityError:  # the other click added it first
            delta = 0
    if delta:
        db.session.execute(sa.update(Post).where(Post.id == post.id)
                           .values(reaction_count=Post.reaction_count + delta))
        db.session.execute(sa.update(Thread).where(Thread.id == post.thread_id)
                           .values(reaction_count=Thread.reaction_count + delta))
    db.session.flush()
    return not upvoted


def mark_read(user: User, thread: Thread, up_to_number: int, *, now: datetime | None = None) -> bool:
    """Advance how far a member has read a thread; a re-read that advances nothing writes nothing."""
    now = now or utcnow()
    # One upsert: two tabs opening a thread at once both try to write the first mark, and only an advance writes.
    insert = upsert_insert(db.session, ThreadRead).values(user_id=user.id, thread_id=thread.id,
                                                          last_read_number=up_to_number, first_read_at=now,
                                                          last_read_at=now)
    advanced = insert.on_conflict_do_update(
        index_elements=["user_id", "thread_id"],
        set_={"last_read_number": insert.excluded.last_read_number, "last_read_at": insert.excluded.last_read_at},
        where=ThreadRead.last_read_number < insert.excluded.last_read_number)
    return db.session.execute(advanced.returning(ThreadRead.id)).first() is not None


def read_marks(user: User, thread_ids: list[int]) -> dict[int, int]:
    """How far the member has read each of these threads (thread id -> last read post number)."""
    if not thread_ids:
        return {}
    return dict(read_connection().execute(_READ_MARKS, {"user_id": user.id, "thread_ids": thread_ids}).all())


# Built once: every thread list asks it.
_READ_MARKS = sa.select(ThreadRead.thread_id, ThreadRead.last_read_number).where(
    ThreadRead.user_id == sa.bindparam("user_id"), ThreadRead.thread_id.in_(sa.bindparam("thread_ids", expanding=True)))
