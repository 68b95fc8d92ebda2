"""Reading and writing the forum: categories, thread lists, threads, replies, edits and upvotes."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.core.exceptions import DomainError
from app.core.forms import ConfirmForm, attempt, show_domain_error
from app.core.fragments import fragment
from app.core.params import page_arg, row_id
from app.extensions import db, limiter, member_key
from app.forum import queries, rendering, services
from app.forum.forms import EditPostForm, PreviewForm, ReplyForm, ThreadForm
from app.forum.models import Category, Post, Thread
from app.security import policy
from app.security.guards import ensure
from app.uploads.views import register_attachment_policy

bp = Blueprint("forum", __name__)


def _can_see_post_photo(user, post_id: int) -> bool:
    post = db.session.get(Post, post_id)
    return post is not None and policy.can_view_post(user, post)


register_attachment_policy(services.POST_PHOTOS, _can_see_post_photo)


def _preview(form) -> str | None:
    """The composer's text as it will look (the same rendering and cleaning as a saved post), or None with the
    refusal on the form; nothing is saved."""
    try:
        return services.render_post_body(form.body.data)
    except DomainError as error:
        show_domain_error(form, error)
        return None


def _say_unnotified(post: Post) -> None:
    skipped = getattr(post, "unnotified_mentions", 0)
    if skipped:
        flash(ngettext("Only the first members you mentioned were told; %(num)d more was not notified.",
                       "Only the first members you mentioned were told; %(num)d more were not notified.",
                       skipped), "warning")


def _post_limit() -> str:
    return current_app.config["POST_RATE_LIMIT"]


def _thread_list(sort: str, category_id: int | None = None):
    page = queries.thread_list_page(current_user, sort, per_page=current_app.config["THREADS_PER_PAGE"],
                                    category_id=category_id)
    marks = queries.read_marks_of(page.items)
    return page, marks


@bp.route("/threads")
def index():
    """Categories and the latest threads across the community."""
    categories = queries.category_list()
    sort = "top" if request.args.get("sort") == "top" else "latest"
    page, marks = _thread_list(sort)
    pending = queries.awaiting_review(current_user) if page.page == 1 else []
    panel = fragment("forum/_category_panel.html", tuple(categories), categories=categories)
    return render_template("forum/index.html", category_panel=panel, page=page, marks=marks, sort=sort,
                           pending=pending, category_names={c.id: c.name for c in categories})


@bp.route("/c/<int:category_id>")
def category_detail(category_id: int):
    """One category's threads, latest activity or top first, with unread markers."""
    category = db.get_or_404(Category, category_id)
    sort = "top" if request.args.get("sort") == "top" else "latest"
    page, marks = _thread_list(sort, category.id)
    pending = queries.awaiting_review(current_user, category.id) if page.page == 1 else []
    return render_template("forum/category_detail.html", category=category, page=page, marks=marks, sort=sort,
                           pending=pending)


@bp.route("/c/<int:category_id>/new", methods=["GET", "POST"])
@limiter.limit(_post_limit, key_func=member_key, methods=["POST"])
def thread_new(category_id: int):
    """Start a thread in a category."""
    category = db.get_or_404(Category, category_id)
    ensure(policy.can_start_thread(current_user, category))
    form = ThreadForm()
    preview = None
    if form.is_submitted() and form.preview.data:  # a preview saves nothing: the title may still be missing
        preview = _preview(form)
    elif form.validate_on_submit():
        ok, thread = attempt(lambda: services.start_thread(
            category, author=current_user, title=form.title.data, body=form.body.data,
            files=request.files.getlist("photos")), form)
        if ok:
            _say_unnotified(thread.opening_post)
            return redirect(url_for("forum.thread_detail", thread_id=thread.id))
    return render_template("forum/thread_new.html", form=form, category=category, preview=preview)


def _thread_and_posts(user, thread_id: int, per_page: int) -> tuple:
    """The thread (404 if there is none), its posts on the page asked for (on its last page when asked past the
    end), the page and the last page."""
    page = page_arg()
    while True:
        thread, rows = queries.thread_page(user, thread_id, (page - 1) * per_page + 1, page * per_page,
                                           services.POST_PHOTOS)
        if thread is None:
            abort(404)
        last_page = max((thread.post_count - 1) // per_page + 1, 1)
        if page <= last_page or thread.merged_into_id:
            return thread, rows, page, last_page
        page = last_page


@bp.route("/t/<int:thread_id>")
def thread_detail(thread_id: int):
    """A thread, 20 posts a page, with new posts marked since the member last read it."""
    user = current_user._get_current_object()  # the page asks the policy about it for every kind of post
    per_page = current_app.config["POSTS_PER_PAGE"]
    thread, rows, page, last_page = _thread_and_posts(user, thread_id, per_page)
    if thread.merged_into_id:
        return _merged_redirect(thread, per_page)
    ensure(policy.can_view_thread(user, thread), hidden=True)
    last = page * per_page
    shown = rendering.thread_page(user, thread, rows, page=page, last_page=last_page,
                                  photos=services.photos_of([row.id for row in rows if row.has_photos]))
    html = render_template("forum/thread_detail.html", thread=thread, head=shown.head, posts=shown.posts)
    # Written after rendering (so nothing is reloaded) and only when it advances: re-reads write nothing.
    read_up_to = min(last, thread.post_count)
    if rows and (rows[0].read_mark or 0) < read_up_to and services.mark_read(user, thread, read_up_to):
        db.session.commit()
    return html


def _merged_redirect(thread: Thread, per_page: int):
    """A merged thread's page moved for good: to where the first post of that page went (or the thread it went to).

    The anchor of a post on the old page is the browser's, not ours: the new address carries its own anchor.
    """
    post = queries.merged_destination(thread, (page_arg() - 1) * per_page + 1)
    url = rendering.post_url(post) if post else url_for("forum.thread_detail", thread_id=thread.merged_into_id)
    return redirect(url, code=301)


@bp.route("/t/<int:thread_id>/reply", methods=["GET", "POST"])
@limiter.limit(_post_limit, key_func=member_key, methods=["POST"])
def post_reply(thread_id: int):
    """Reply to a thread; ``?quote=<post id>`` starts the reply with a quotation."""
    thread = db.get_or_404(Thread, thread_id)
    ensure(policy.can_view_thread(current_user, thread), hidden=True)
    ensure(policy.can_reply(current_user, thread))
    form = ReplyForm()
    quoted = _quoted_post(thread, request.args.get("quote", type=int) or form.quoted_post_id.data)
    if request.method == "GET" and quoted is not None:
        form.body.data = services.quote_source(quoted)
        form.quoted_post_id.data = str(quoted.id)
    preview = None
    if form.is_submitted() and form.preview.data:
        preview = _preview(form)
    elif form.validate_on_submit():
        ok, post = attempt(lambda: services.reply(thread, author=current_user, body=form.body.data,
                                                  quoted=quoted, files=request.files.getlist("photos")), form)
        if ok:
            _say_unnotified(post)
            return redirect(rendering.post_url(post))
    return render_template("forum/post_reply.html", form=form, thread=thread, quoted=quoted, preview=preview)


@bp.route("/preview", methods=["POST"])
@limiter.limit("30 per minute", key_func=member_key)
def post_preview():
    """The composer's text rendered as a post will be (JSON for the composer's script); nothing is saved."""
    ensure(policy.can_start_thread(current_user))
    form = PreviewForm()
    if not form.validate_on_submit():
        return jsonify(error=_("Please write something.")), 400
    html = _preview(form)
    if html is None:
        return jsonify(error=" ".join(str(e) for e in form.body.errors)), 400
    return jsonify(html=html)


def _quoted_post(thread: Thread, post_id) -> Post | None:
    post_id = row_id(post_id)
    post = db.session.get(Post, post_id) if post_id else None
    if post is None or post.thread_id != thread.id or not policy.can_view_post(current_user, post):
        return None
    return post


@bp.route("/p/<int:post_id>")
def post_goto(post_id: int):
    """Jump to a post on its thread page."""
    post = db.get_or_404(Post, post_id)
    ensure(policy.can_view_post(current_user, post), hidden=True)
    return redirect(rendering.post_url(post))


@bp.route("/p/<int:post_id>/edit", methods=["GET", "POST"])
def post_edit(post_id: int):
    """Edit a post; the earlier text is kept as a revision."""
    post = db.get_or_404(Post, post_id)
    ensure(policy.can_view_post(current_user, post), hidden=True)
    ensure(policy.can_edit_post(current_user, post))
    form = EditPostForm(obj=post)
    if request.method == "GET" and post.is_opening:
        form.title.data = post.thread.title
    if form.validate_on_submit():
        ok, changed = attempt(lambda: services.edit_post(post, editor=current_user, body=form.body.data,
                                                         title=form.title.data if post.is_opening else None), form)
        if ok:
            flash(_("Your changes are saved.") if changed else _("Nothing changed."), "success")
            return redirect(rendering.post_url(post))
    return render_template("forum/post_edit.html", form=form, post=post)


@bp.route("/p/<int:post_id>/revisions")
def post_revisions(post_id: int):
    """Earlier versions of a post, for its author, hosts and researchers."""
    post = db.get_or_404(Post, post_id)
    ensure(policy.can_view_post(current_user, post), hidden=True)
    ensure(policy.can_see_revisions(current_user, post))
    return render_template("forum/post_revisions.html", post=post, revisions=queries.revisions_of(post))


@bp.route("/p/<int:post_id>/react", methods=["POST"])
@limiter.limit("60 per minute", key_func=member_key)
def post_react(post_id: int):
    """Toggle the member's upvote on a post (JSON for the script, a redirect without it)."""
    post = db.get_or_404(Post, post_id)
    ensure(policy.can_view_post(current_user, post), hidden=True)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        upvoted = services.toggle_reaction(post, user=current_user)
    except DomainError as error:
        db.session.rollback()
        if request.accept_mimetypes.best == "application/json":
            return jsonify(error=error.message), 403
        flash(error.message, "error")
        return redirect(rendering.post_url(post))
    db.session.commit()
    if request.accept_mimetypes.best == "application/json":
        db.session.refresh(post)
        return jsonify(upvoted=upvoted, count=post.reaction_count, label=rendering.upvote_label(post.reaction_count))
    return redirect(rendering.post_url(post))


