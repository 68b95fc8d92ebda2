"""A thread page's posts and a thread list's rows, rendered once per everything they show and then reused.

A page of posts is kept in a per-process LRU under a key made of every value it shows, read in the same request
(the thread's and the posts' rows, the authors' shown details, the viewer's policy answers, language, time zone,
URL root), so any change, on this node or another, makes a new key and nothing is invalidated. What differs per
member and request (relative times, the CSRF input, new posts, their upvotes and flags) is rendered as random
per-process markers, filled in afterwards. The reply box under the posts is kept the same way.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from types import SimpleNamespace

from flask import current_app, request, url_for
from flask_babel import ngettext
from markupsafe import Markup

from app.core.babel_internals import current_locale, current_timezone
from app.core.dates import time_ago
from app.core.fragments import LRU
from app.core.templating import csrf_field, url_maker
from app.db import ContentState, utcnow
from app.forum.forms import ReplyForm
from app.forum.queries import LISTED, SHOWN
from app.security import policy
from app.security.roles import Permission, role_has

TEMPLATE = "_partials/post.html"
_MARK = secrets.token_hex(12)
_AGO, _CSRF = f"time-ago-{_MARK}", f"csrf-input-{_MARK}"
_REPLY = f"reply-box-{_MARK}"
_SLOT = re.compile(f"slot-{_MARK}-([a-z]+)-([0-9]+)-")
_pages = LRU(256)  # pages of posts: tens of kilobytes each
_reply_boxes = LRU(512)
_rows = LRU(1024)
_badges = LRU(4096)


class _Slots:
    """The kept render's markers around post ``index``'s parts that differ per member (read by ``_Kept.variant``)."""

    def __init__(self, index: int) -> None:
        self.index, self.close = index, Markup(f"slot-{_MARK}-end-{index}-")

    def open(self, name: str) -> Markup:
        return Markup(f"slot-{_MARK}-{name}-{self.index}-")


class _Shown:
    """A post row as the post partial and the policy read it: its columns, its thread and its author."""

    def __init__(self, row, thread) -> None:
        self.__dict__.update(row._mapping)
        self.thread = thread
        self.author = None if row.author_role is None else SimpleNamespace(
            id=row.author_id, is_host=role_has(row.author_role, Permission.MODERATE), host_persona=row.author_persona,
            points=row.author_points, is_vip=row.author_is_vip, created_at=row.author_joined_at,
            avatar_name=row.author_avatar)


class _Probe:
    """What the post predicates read of a post: its state, its author and its thread."""

    def __init__(self, state: str, author_id, thread) -> None:
        self.state, self.author_id, self.thread = state, author_id, thread


def _viewer_answers(viewer, post) -> tuple[bool, ...]:
    """The policy's answers about this post for the viewer: may see revisions, react, edit, flag."""
    return (policy.can_see_revisions(viewer, post), policy.can_react(viewer, post),
            policy.can_edit_post(viewer, post), policy.can_flag(viewer, post))


@dataclass
class ThreadPage:
    """A thread page's kept parts for one member: the heading and the posts with what follows them."""

    head: Markup
    posts: Markup


class _Kept:
    """One page of posts rendered for everything its key holds: the heading, and the posts block as text with
    each post's per-member parts between markers; each post's variants are put together on first use."""

    def __init__(self, head: str, block: str) -> None:
        self.head = Markup(head)
        self.pieces = _SLOT.split(block)  # text, name, index, text, ...
        self.variants: dict[tuple, tuple[str, str]] = {}
        self.before, self.posts = self.pieces[0], {}
        for at in range(1, len(self.pieces) - 1, 3):
            self.posts.setdefault(int(self.pieces[at + 1]), []).append(at)

    def variant(self, index: int, new: bool, up: bool, flagged: bool) -> tuple[str, str]:
        """Post ``index`` as this member sees it, split at its relative time (the text after the post's last
        marker up to the next post's first marker included)."""
        key = (index, new, up, flagged)
        found = self.variants.get(key)
        if found is None:
            keep = {"new": new, "up": up, "down": not up, "unflagged": not flagged}
            out, skip = [], False
            for at in self.posts[index]:
                name = self.pieces[at]
                if name == "end":
                    skip = False
                elif name == "ago":
                    out.append(_AGO)
                else:
                    skip = not keep[name]
                if not skip:
                    out.append(self.pieces[at + 2])
            found = self.variants[key] = tuple("".join(out).split(_AGO, 1))
        return found


def _render_page(viewer, thread, rows, photos: dict, page: int, last_page: int, context: dict) -> _Kept:
    """The page's heading and posts block as every member alike sees it, with markers where members differ."""
    env = current_app.jinja_env
    head = env.get_template("forum/_thread_head.html").render(thread=thread)
    template = env.get_template(TEMPLATE)
    posts_html = [Markup(template.render({
        **context, "post": _Shown(row, thread), "viewer": viewer, "is_new": True, "upvoted": True, "flagged": False,
        "photos": photos.get(row.id, []), "slots": _Slots(i), "ago": Markup(f"slot-{_MARK}-ago-{i}-"),
        "csrf": Markup(_CSRF)})) for i, row in enumerate(rows)]
    block = env.get_template("forum/_thread_posts.html").render(
        posts_html=posts_html, page=page, last_page=last_page, replying=context["replying"], thread=thread,
        reply_box=Markup(_REPLY))
    return _Kept(head, block)


def thread_page(viewer, thread, rows: list, *, page: int, last_page: int, photos: dict, now=None) -> ThreadPage:
    """A thread page's heading and posts (``rows`` of ``queries.thread_page``) as this member sees them now.

    The page is rendered once per everything it shows, the same for every member alike in role and policy
    answers: its key holds the thread's and the posts' shown values (the rows themselves, read in this request),
    the policy's answers for each kind of post on it, which posts are the member's own, the page, the language,
    time zone and URL root. What differs per member (new since their read mark, their upvotes and flags, the
    relative times, the CSRF token, the reply box) is put into the kept text per request.
    """
    now = now or utcnow()
    context = page_answers(viewer, thread)
    answers: dict[tuple, tuple] = {}
    kinds = tuple((row.state, row.author_id == viewer.id) for row in rows)
    for kind in kinds:
        if kind not in answers:
            answers[kind] = _viewer_answers(viewer, _Probe(kind[0], viewer.id if kind[1] else None, thread))
    key = (current_locale(), current_timezone(), request.script_root,
           tuple(item for item in request.args.items(multi=True) if item[0] != "page"),
           tuple(thread), page, last_page, context["hosting"], context["researching"], context["replying"],
           kinds, tuple(sorted(answers.items())), tuple(row[:SHOWN] for row in rows),
           tuple((post_id, tuple((p.name, p.width, p.height) for p in shown)) for post_id, shown in photos.items()))
    kept = _pages.get(key)
    if kept is None:
        kept = _render_page(viewer, thread, rows, photos, page, last_page, page_context(viewer, thread))
        _pages.put(key, kept)
    read_before = rows[0].read_mark or 0 if rows else 0
    out = [kept.before]
    for index, row in enumerate(rows):
        before, after = kept.variant(index, row.number > read_before > 0, row.upvoted, row.flagged)
        out += (before, str(Markup.escape(time_ago(row.created_at, now))), after)
    html = "".join(out)
    if context["replying"]:
        html = html.replace(_REPLY, reply_box(viewer, thread))
    return ThreadPage(kept.head, Markup(html.replace(_CSRF, str(csrf_field()))))


def _list_context() -> dict:
    return {"thread_url": url_maker("forum.thread_detail", "thread_id"),
            "category_url": url_maker("forum.category_detail", "category_id"),
            "avatar_url": url_maker("members.avatar", "user_id", v="g"),
            "posts_per_page": current_app.config["POSTS_PER_PAGE"]}


def _read_state(thread, read: int | None) -> str:
    """How the member stands with a thread of a list: never opened it, has new posts to read, or neither."""
    return "unread" if read is None else "has-new" if read < thread.post_count else ""


def _read_badge(thread, read: int | None, shared: tuple) -> str:
    """The row's "new" or "3 unread" badge for the member, kept per language, URL root, thread, count and read
    mark (one for every thread never opened)."""
    key = (shared, None) if read is None else (shared, thread.id, thread.post_count, read)
    html = _badges.get(key)
    if html is None:
        html = current_app.jinja_env.get_template("_partials/thread_row_badge.html").render(
            {**_list_context(), "thread": thread, "read": read})
        _badges.put(key, html)
    return html


def thread_rows(threads, marks: dict, show_category: bool, category_names: dict | None = None) -> list[Markup]:
    """The rows of a thread table (one Markup, or none), rendered once per everything they show, for every
    member alike (as the posts of a thread page).

    ``threads`` are rows of ``queries.LIST_COLUMNS`` (and maybe more, not shown); ``category_names`` maps
    category ids to names when the category is shown. The key holds every value the row partial reads: the threads' shown columns, their
    categories' names, language, time zone and URL root. The member's read state of each thread (its class and
    badge) and the two relative times go in afterwards.
    """
    if not threads:
        return []
    locale, root = current_locale(), request.script_root
    names = tuple(category_names.get(t.category_id) for t in threads) if show_category and category_names else ()
    key = (locale, current_timezone(), root, show_category, tuple(t[:LISTED] for t in threads), names)
    pieces = _rows.get(key)
    if pieces is None:
        template = current_app.jinja_env.get_template("_partials/thread_row.html")
        context = _list_context()
        pieces = _SLOT.split("".join(template.render({
            **context, "thread": thread, "show_category": show_category,
            "category_name": names[i] if names else None, "read_class": Markup(f"slot-{_MARK}-class-{i}-"),
            "read_badge": Markup(f"slot-{_MARK}-badge-{i}-"), "created_ago": Markup(f"slot-{_MARK}-created-{i}-"),
            "last_ago": Markup(f"slot-{_MARK}-last-{i}-")}) for i, thread in enumerate(threads)))
        _rows.put(key, pieces)
    return [Markup(_fill_rows(pieces, threads, marks, (locale, root)))]


def _fill_rows(pieces: list[str], threads, marks: dict, shared: tuple) -> str:
    """Kept thread rows with the member's read state of each thread and the relative times of now put in."""
    now = utcnow()
    reads = [marks.get(thread.id) for thread in threads]
    states = [_read_state(thread, read) for thread, read in zip(threads, reads, strict=True)]
    out, badges = [pieces[0]], {}
    for at in range(1, len(pieces), 3):
        name, index = pieces[at], int(pieces[at + 1])
        thread = threads[index]
        if name == "class":
            out.append(states[index])
        elif name == "badge":
            if states[index]:
                badge_key = None if reads[index] is None else (thread.id, thread.post_count, reads[index])
                if badge_key not in badges:
                    badges[badge_key] = _read_badge(thread, reads[index], shared)
                out.append(badges[badge_key])
        else:
            out.append(str(Markup.escape(time_ago(thread.created_at if name == "created" else thread.last_post_at,
                                                  now))))
        out.append(pieces[at + 2])
    return "".join(out)


def upvote_label(count: int) -> str:
    """The upvote button's accessible name, e.g. "Upvote, 3 votes"."""
    return ngettext("Upvote, %(num)d vote", "Upvote, %(num)d votes", count)


def page_answers(viewer, thread) -> dict:
    """The policy's answers that are the same for every post of the page: may the viewer host, research, reply."""
    return {"hosting": policy.can_moderate(viewer), "researching": viewer.can(Permission.RESEARCH),
            "replying": policy.can_reply(viewer, thread)}


def page_context(viewer, thread) -> dict:
    """The partial's values that are the same for every post of the page."""
    return {
        **page_answers(viewer, thread),
        "PUBLISHED": ContentState.PUBLISHED.value, "PENDING": ContentState.PENDING.value,
        "profile_url": url_maker("members.profile", "user_id"), "goto_url": url_maker("forum.post_goto", "post_id"),
        "revisions_url": url_maker("forum.post_revisions", "post_id"),
        "react_url": url_maker("forum.post_react", "post_id"),
        "quote_url": url_maker("forum.post_reply", "quote", thread_id=thread.id),
        "edit_url": url_maker("forum.post_edit", "post_id"), "flag_url": url_maker("forum.post_flag", "post_id"),
        "upvote_label": upvote_label,
    }


def post_url(post) -> str:
    """Where a post is: its thread's page that holds it, at the post's anchor."""
    page = (post.number - 1) // current_app.config["POSTS_PER_PAGE"] + 1
    return url_for("forum.thread_detail", thread_id=post.thread_id, page=page if page > 1 else None,
                   _anchor=f"post-{post.number}")


def reply_box(viewer, thread) -> Markup:
    """The reply box under a thread's posts, rendered once per thread, language, URL root and canned replies."""
    provider = current_app.jinja_env.globals.get("canned_replies")  # moderation's, from its wiring
    canned = tuple(provider()) if provider and policy.can_moderate(viewer) else ()
    key = (current_locale(), request.script_root, thread.id, canned)
    html = _reply_boxes.get(key)
    if html is None:
        form = ReplyForm(formdata=None, meta={"csrf": False})  # the member's token goes in at the marker
        html = current_app.jinja_env.get_template("_partials/reply_box.html").render(
            form=form, thread_id=thread.id, canned=canned, csrf=Markup(_CSRF))
        _reply_boxes.put(key, html)
    return Markup(html.replace(_CSRF, str(csrf_field())))
