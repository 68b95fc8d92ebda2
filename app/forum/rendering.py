"""A thread page's posts, each rendered once per everything it shows and then reused (the biggest cost of the page).

Each post's HTML is kept in a per-process LRU under a key made of every value the post partial reads (its
columns, its author's shown details, the viewer's answers, the page-wide answers, language, time zone, URL
root), so any change makes a new key and nothing is invalidated. The relative time and the CSRF input differ per
request: the partial renders random per-process markers in their place, filled in afterwards. The reply box
under the posts is kept the same way.
"""
from __future__ import annotations

import re
import secrets

from flask import current_app, request, url_for
from flask_babel import ngettext
from markupsafe import Markup

from app.core.babel_internals import current_locale, current_timezone
from app.core.dates import time_ago
from app.core.fragments import LRU
from app.core.templating import csrf_field, url_maker
from app.db import ContentState, utcnow
from app.forum.forms import ReplyForm
from app.members.levels import level_for
from app.security import policy
from app.security.roles import Permission

TEMPLATE = "_partials/post.html"
_MARK = secrets.token_hex(12)
_AGO, _CSRF = f"time-ago-{_MARK}", f"csrf-input-{_MARK}"
_SLOTS = re.compile(f"({_AGO}|{_CSRF})")
_rendered = LRU(4096)
_reply_boxes = LRU(512)
_rows = LRU(4096)
_CREATED, _LAST = f"created-ago-{_MARK}", f"last-ago-{_MARK}"


def _author_key(post) -> tuple | None:
    author = post.author
    if author is None:
        return None
    return (author.id, author.is_host, author.host_persona, level_for(author.points or 0).number, author.is_vip,
            author.created_at, author.avatar_name)


def _viewer_answers(viewer, post) -> tuple[bool, ...]:
    """The policy's answers about this post for the viewer: may see revisions, react, edit, flag."""
    return (policy.can_see_revisions(viewer, post), policy.can_react(viewer, post),
            policy.can_edit_post(viewer, post), policy.can_flag(viewer, post))


def _post_key(post, own: bool, answers: tuple, *, is_new: bool, upvoted: bool, photos: list,
              flagged: bool = False) -> tuple:
    """Every value the partial reads for this post and viewer (the page-wide ones are added by the caller)."""
    return (post.id, post.number, post.state, post.moderation_version, post.author_id, post.author_name, post.quoted_post_id,
            post.created_at, post.edit_count, post.reaction_count, post.body_html, _author_key(post),
            own, is_new, upvoted, flagged, answers, tuple((p.name, p.width, p.height) for p in photos))


def _pieces(template, context: dict) -> tuple[str, ...]:
    """The rendered partial split at its markers: text, marker, text, marker, …, text."""
    return tuple(_SLOTS.split(template.render(context)))


def render_posts(posts: list, *, viewer, thread, read_before: int, upvoted: set[int],
                 page_context: dict, now=None, photos: dict | None = None,
                 flagged: set[int] = frozenset()) -> list[Markup]:
    """The HTML of each post, as the post partial renders it for this viewer now.

    ``page_context`` holds the partial's page-wide values (hosting, researching, replying, the URL makers and
    the constants); they depend on the viewer's role, the thread and the URL root only.
    """
    now = now or utcnow()
    shared = (current_locale(), current_timezone(), request.script_root, thread.id, page_context["hosting"],
              page_context["researching"], page_context["replying"])
    csrf = str(csrf_field())
    template = None
    out = []
    # The post predicates read the post's state, whether the viewer wrote it, and its thread (the same for
    # every post of the page): posts alike in the first two get the same answers, asked once per page.
    answers: dict[tuple, tuple] = {}
    for post in posts:
        is_new, is_upvoted, is_flagged = post.number > read_before > 0, post.id in upvoted, post.id in flagged
        kind = (post.state, post.author_id == viewer.id)
        if kind not in answers:
            answers[kind] = _viewer_answers(viewer, post)
        post_photos = (photos or {}).get(post.id, [])
        key = (shared, _post_key(post, kind[1], answers[kind], is_new=is_new, upvoted=is_upvoted,
                                 photos=post_photos, flagged=is_flagged))
        pieces = _rendered.get(key)
        if pieces is None:
            if template is None:
                template = current_app.jinja_env.get_template(TEMPLATE)
            pieces = _pieces(template, {**page_context, "post": post, "viewer": viewer, "is_new": is_new,
                                        "upvoted": is_upvoted, "flagged": is_flagged, "photos": post_photos,
                                        "ago": _AGO, "csrf": Markup(_CSRF)})
            _rendered.put(key, pieces)
        ago = str(Markup.escape(time_ago(post.created_at, now)))
        out.append(Markup("".join(ago if piece == _AGO else csrf if piece == _CSRF else piece
                                  for piece in pieces)))
    return out


def thread_rows(threads, marks: dict, show_category: bool, category_names: dict | None = None) -> list[Markup]:
    """The rows of a thread table, each rendered once per everything it shows (as the posts of a thread page).

    ``threads`` are rows of ``queries.LIST_COLUMNS``; ``category_names`` maps category ids to names when the
    category is shown. The key holds every value the row partial reads: the thread's shown columns, its
    category's name, the member's read mark, language, time zone and URL root; the two relative times go in
    afterwards.
    """
    now = utcnow()
    shared = (current_locale(), current_timezone(), request.script_root, show_category)
    context = None
    out = []
    for thread in threads:
        read = marks.get(thread.id)
        category_name = category_names.get(thread.category_id) if show_category and category_names else None
        key = (shared, thread.id, thread.title, thread.state, thread.is_pinned, thread.is_locked, thread.post_count,
               thread.reaction_count, thread.author_id, thread.author_name, thread.last_poster_name,
               thread.category_id, category_name, read)
        html = _rows.get(key)
        if html is None:
            if context is None:
                context = {"template": current_app.jinja_env.get_template("_partials/thread_row.html"),
                           "thread_url": url_maker("forum.thread_detail", "thread_id"),
                           "category_url": url_maker("forum.category_detail", "category_id"),
                           "avatar_url": url_maker("members.avatar", "user_id", v="g"),
                           "posts_per_page": current_app.config["POSTS_PER_PAGE"]}
            html = context["template"].render(
                {**context, "thread": thread, "read": read, "show_category": show_category,
                 "category_name": category_name, "created_ago": _CREATED, "last_ago": _LAST})
            _rows.put(key, html)
        out.append(Markup(html.replace(_CREATED, str(Markup.escape(time_ago(thread.created_at, now))))
                          .replace(_LAST, str(Markup.escape(time_ago(thread.last_post_at, now))))))
    return out


def upvote_label(count: int) -> str:
    """The upvote button's accessible name, e.g. "Upvote, 3 votes"."""
    return ngettext("Upvote, %(num)d vote", "Upvote, %(num)d votes", count)


def page_context(viewer, thread) -> dict:
    """The partial's values that are the same for every post of the page."""
    return {
        "hosting": policy.can_moderate(viewer), "researching": viewer.can(Permission.RESEARCH),
        "replying": policy.can_reply(viewer, thread),
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
