"""Visibility, built once: every list of threads or posts a member sees goes through here.

The statements the busiest pages run on every request are built once, with bound parameters, so a request
only binds values (building a SQLAlchemy statement costs more than SQLite takes to run it).
"""
from __future__ import annotations

import collections
import functools

import sqlalchemy as sa

from app.core.params import bounded_count, in_text, paginate_prebuilt
from app.db import ContentState
from app.extensions import db, read_connection
from app.forum.models import Category, MovedPost, Post, PostRevision, Reaction, Thread, ThreadRead
from app.members.models import User
from app.security import policy
from app.uploads.models import Upload

PUBLISHED = ContentState.PUBLISHED.value
PENDING = ContentState.PENDING.value


def _visibility(model, *, hosting: bool, user_id) -> sa.ColumnElement[bool]:
    """Hosts see everything; members see published content and their own pending content."""
    if hosting:
        return sa.true()
    own_pending = sa.and_(model.state == PENDING, model.author_id == user_id)
    return sa.or_(model.state == PUBLISHED, own_pending)


def _visible(model, user) -> sa.ColumnElement[bool]:
    return _visibility(model, hosting=policy.can_moderate(user), user_id=user.id)


def visible_threads_for(hosting: bool) -> sa.Select:
    """``visible_threads`` with the member as the bound parameter ``user_id``, for statements built once per
    kind of member (``hosting``: ``policy.can_moderate``) rather than per request."""
    return sa.select(Thread).where(_visibility(Thread, hosting=hosting, user_id=sa.bindparam("user_id")))


def visible_threads(user) -> sa.Select:
    """Threads the member may see: published ones, their own pending ones, everything for hosts."""
    return sa.select(Thread).where(_visible(Thread, user))


# What a thread list shows of each thread: read as plain rows (no ORM objects), the table partial needs no more.
LIST_COLUMNS = (Thread.id, Thread.category_id, Thread.title, Thread.author_id, Thread.author_name, Thread.created_at,
                Thread.last_post_at, Thread.last_poster_name, Thread.post_count, Thread.reaction_count, Thread.state,
                Thread.is_pinned, Thread.is_locked)
LISTED = len(LIST_COLUMNS)


def thread_order(sort: str):
    """Ordering for thread lists: pinned first, then by latest activity or by upvotes."""
    if sort == "top":
        return (Thread.is_pinned.desc(), Thread.reaction_count.desc(), Thread.last_post_at.desc())
    return (Thread.is_pinned.desc(), Thread.last_post_at.desc())


def _thread_list_statements(hosting: bool, sort: str, in_category: bool) -> tuple[sa.Select, sa.Select]:
    """The threads of a thread list (``LIST_COLUMNS`` and the member's ``read_mark``), a page of them and their
    bounded count: every thread for hosts, published ones for members.

    A member's own threads awaiting review are listed apart (``awaiting_review``), so the list of published
    threads is read in order straight off an index instead of sorting every visible thread on each request.
    """
    select = sa.select(*LIST_COLUMNS)
    if not hosting:
        select = select.where(Thread.state == in_text("published", PUBLISHED))
    if in_category:
        select = select.where(Thread.category_id == sa.bindparam("category_id"))
    count = bounded_count(select)
    # With each thread the member's read mark (``user_id``), read in the same statement.
    read = sa.and_(ThreadRead.thread_id == Thread.id, ThreadRead.user_id == sa.bindparam("user_id"))
    items = (select.add_columns(ThreadRead.last_read_number.label("read_mark")).outerjoin(ThreadRead, read)
             .order_by(*thread_order(sort)).limit(in_text("limit")).offset(in_text("offset")))
    return items, count


# A thread list's page and its bounded count, built once per kind of list (every thread list runs them).
_THREAD_LISTS = {(hosting, sort, in_category): _thread_list_statements(hosting, sort, in_category)
                 for hosting in (False, True) for sort in ("latest", "top") for in_category in (False, True)}


def thread_list_page(user, sort: str, *, per_page: int, category_id: int | None = None):
    """A page of a thread list (``_thread_list_statements``, in ``thread_order``), of one category or all of them."""
    items, count = _THREAD_LISTS[(policy.can_moderate(user), sort, category_id is not None)]
    params = {"user_id": user.id} if category_id is None else {"user_id": user.id, "category_id": category_id}
    return paginate_prebuilt(items, count, params, per_page=per_page)


def read_marks_of(threads: list[sa.Row]) -> dict[int, int]:
    """How far the member has read each thread of a list page (thread id -> last read post number)."""
    return {thread.id: thread.read_mark for thread in threads if thread.read_mark is not None}


# Built once (the thread lists ask on every first page); the rows carry what the box shows.
_AWAITING = {
    in_category: sa.select(Thread.id, Thread.title, Thread.created_at)
    .where(Thread.state == in_text("pending", PENDING), Thread.author_id == sa.bindparam("user_id"),
           Thread.category_id == sa.bindparam("category_id") if in_category else sa.true())
    .order_by(Thread.created_at.desc()).limit(in_text("limit"))
    for in_category in (False, True)
}


def awaiting_review(user, category_id: int | None = None, *, limit: int = 20) -> list:
    """The member's own threads that hosts have not yet approved (hosts see those in the lists themselves)."""
    if policy.can_moderate(user) or not getattr(user, "is_authenticated", False):
        return []
    params = {"user_id": user.id, "limit": limit}
    if category_id is not None:
        params["category_id"] = category_id
    return read_connection().execute(_AWAITING[category_id is not None], params).all()


# What the post partial shows of each post and its author (``SHOWN``: the kept HTML's key).
PAGE_POST_SHOWN = (
    Post.id, Post.number, Post.state, Post.moderation_version, Post.author_id, Post.author_name,
    Post.quoted_post_id, Post.created_at, Post.edit_count, Post.reaction_count, Post.body_html,
    User.role.label("author_role"), User.host_persona.label("author_persona"), User.points.label("author_points"),
    User.is_vip.label("author_is_vip"), User.created_at.label("author_joined_at"),
    User.avatar_name.label("author_avatar"),
)
SHOWN = len(PAGE_POST_SHOWN)
# What a thread page shows of its thread (and the policy reads), with its category's name.
PAGE_THREAD = (
    Thread.id, Thread.category_id, Category.name.label("category_name"), Thread.title, Thread.author_id,
    Thread.author_name, Thread.created_at, Thread.post_count, Thread.reaction_count, Thread.state, Thread.hide_reason,
    Thread.is_pinned, Thread.is_locked, Thread.is_pinned_globally, Thread.is_featured, Thread.merged_into_id,
)

# Domains above the forum add their own facts about the thread (polls: whether it has any, ``add_thread_fact``)
# and about the member's view of a post (moderation: whether they flagged it, ``add_flagged_check``).
_thread_facts: dict[str, object] = {}
_flag_checks: list = []


def add_thread_fact(name: str, fact) -> None:
    """Register ``fact(thread_id) -> column`` (``thread_id``: a column or a bound parameter), read as ``name`` on
    the thread page's thread."""
    if _thread_facts.get(name) is not fact:
        _thread_facts[name] = fact
        _thread_page.cache_clear()


def add_flagged_check(check) -> None:
    """Register ``check(post_id_column) -> condition``: the member (``:user_id``) has flagged that post."""
    if check not in _flag_checks:
        _flag_checks.append(check)
        _thread_page.cache_clear()


@functools.cache
def _thread_page(hosting: bool, photo_kind: str) -> tuple[sa.Select, type]:
    """A thread page in one statement, built once per kind of member: the posts ``first``..``last`` of
    ``thread_id`` the member (``user_id``) may see with what is theirs of each (upvoted, flagged, photos, read
    mark), then the thread's columns (``thread_…``); one row with no post when none is there to see. Also the
    named tuple the thread's columns are read into."""
    user_id, thread_id = sa.bindparam("user_id"), sa.bindparam("thread_id")
    upvoted = sa.select(Reaction.id).where(Reaction.post_id == Post.id, Reaction.user_id == user_id).exists()
    flagged = sa.or_(*(check(Post.id) for check in _flag_checks)) if _flag_checks else sa.false()
    photos = sa.select(Upload.id).where(Upload.attached_type == photo_kind, Upload.attached_id == Post.id).exists()
    # The thread's own facts name it by the parameter, not the joined column: the database then reads them once,
    # not once per post row.
    read_mark = sa.select(ThreadRead.last_read_number).where(
        ThreadRead.user_id == user_id, ThreadRead.thread_id == thread_id).scalar_subquery()
    thread = [*PAGE_THREAD, *(fact(thread_id).label(name) for name, fact in sorted(_thread_facts.items()))]
    shown = sa.and_(Post.thread_id == Thread.id, Post.number.between(sa.bindparam("first"), sa.bindparam("last")),
                    _visibility(Post, hosting=hosting, user_id=user_id))
    statement = (
        sa.select(*PAGE_POST_SHOWN, upvoted.label("upvoted"), flagged.label("flagged"), photos.label("has_photos"),
                  read_mark.label("read_mark"), *(column.label(f"thread_{column.key}") for column in thread))
        .select_from(Thread).join(Category, Category.id == Thread.category_id).outerjoin(Post, shown)
        .outerjoin(User, User.id == Post.author_id).where(Thread.id == thread_id).order_by(Post.number))
    return statement, collections.namedtuple("PageThread", [column.key for column in thread])


def thread_page(user, thread_id: int, first: int, last: int, photo_kind: str) -> tuple[tuple | None, list[sa.Row]]:
    """A thread page's thread (a named tuple of ``PAGE_THREAD`` and the facts; None when there is no such
    thread) and the posts numbered first..last of it that the member may see, as plain rows (``_thread_page``)."""
    statement, named = _thread_page(policy.can_moderate(user), photo_kind)
    rows = read_connection().execute(statement, {"thread_id": thread_id, "first": first, "last": last,
                                                 "user_id": user.id}).all()
    if not rows:
        return None, []
    at = len(rows[0]) - len(named._fields)
    return named._make(rows[0][at:]), [row for row in rows if row.id is not None]


def visible_posts_by(user, author) -> sa.Select:
    """An author's posts the member may see, in threads the member may see."""
    return (
        sa.select(Post).join(Thread, Post.thread_id == Thread.id)
        .where(Post.author_id == author.id, _visible(Post, user), _visible(Thread, user))
    )


def categories_in_order() -> list[Category]:
    """Every category in the order the forum lists them (for filter menus)."""
    return db.session.scalars(sa.select(Category).order_by(Category.position, Category.name)).all()


def revisions_of(post: Post) -> list[PostRevision]:
    """A post's earlier versions, oldest first."""
    return db.session.scalars(
        sa.select(PostRevision).where(PostRevision.post_id == post.id).order_by(PostRevision.number)).all()


def recent_posts_by(viewer, author, *, limit: int = 15) -> list[Post]:
    """The author's latest posts that the viewer may see."""
    return db.session.scalars(visible_posts_by(viewer, author).order_by(Post.created_at.desc()).limit(limit)).all()


# What the forum's category list shows of each category, as plain rows; built once (every thread list asks it).
_CATEGORY_LIST = sa.select(Category.id, Category.name, Category.description, Category.thread_count,
                           Category.post_count).order_by(Category.position, Category.name)


def category_list() -> list[sa.Row]:
    """Every category in the forum's order with what the thread list's side panel shows of it."""
    return read_connection().execute(_CATEGORY_LIST).all()


# Only what a filter's <select> shows: rows, not ORM objects; built once.
_CATEGORY_NAMES = sa.select(Category.id, Category.name).order_by(Category.position, Category.name)


def category_names() -> list[sa.Row]:
    """(id, name) of every category in the forum's order, for filter menus read on every request."""
    return read_connection().execute(_CATEGORY_NAMES).all()


def merged_destination(thread: Thread, first_number: int) -> Post | None:
    """Where a merged thread's post number ``first_number`` (or the next one that still exists) went; failing
    that, the last of its posts that still exists; None when none does."""
    moved = sa.select(Post).join(MovedPost, MovedPost.post_id == Post.id).where(MovedPost.thread_id == thread.id)
    return (db.session.scalar(moved.where(MovedPost.number >= first_number).order_by(MovedPost.number).limit(1))
            or db.session.scalar(moved.order_by(MovedPost.number.desc()).limit(1)))
