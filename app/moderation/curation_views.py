"""Curation routes of the moderators' area: thread tools, editing members' posts, suspensions, inquiries."""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.core.areas import moderation_area as bp
from app.core.exceptions import DomainError
from app.core.forms import ConfirmForm, attempt, choices
from app.db import utcnow
from app.extensions import db
from app.forum.models import Category, Post, Thread
from app.forum.queries import categories_in_order
from app.members.models import User
from app.moderation import curation, inquiries, queries
from app.moderation.curation_forms import (
    HideThreadForm,
    HostEditForm,
    MergeForm,
    MoveForm,
    PinForm,
    SplitForm,
    SuspendMemberForm,
    thread_id_from,
)

MAX_SPLIT_CHOICES = 500


def _category_choices() -> list:
    return choices((c.id, c.name) for c in categories_in_order())


def _thread_url(thread: Thread) -> str:
    return url_for("forum.thread_detail", thread_id=thread.id)


def _flash_result(changed: bool, message: str) -> None:
    flash(message if changed else _("Nothing to change."), "success" if changed else "info")


def _apply(thread_id: int, form, action: Callable[[Thread], bool], message: str):
    """The shape of every one-button thread action: load, validate, one service, commit, flash, redirect."""
    thread = db.get_or_404(Thread, thread_id)
    if not form.validate_on_submit():
        flash(_("That request was not understood; nothing changed."), "error")
        return redirect(_thread_url(thread))
    ok, changed = attempt(lambda: action(thread))
    if ok:
        _flash_result(changed, message)
    return redirect(_thread_url(thread))


@bp.route("/threads/<int:thread_id>/pin", methods=["POST"])
def thread_pin(thread_id: int):
    """Pin a thread to its category or to the landing page."""
    form = PinForm()
    return _apply(thread_id, form, lambda t: curation.pin_thread(t, by=current_user, to=form.to.data),
                  _("Thread pinned."))


@bp.route("/threads/<int:thread_id>/unpin", methods=["POST"])
def thread_unpin(thread_id: int):
    """Unpin a thread from its category or from the landing page."""
    form = PinForm()
    return _apply(thread_id, form, lambda t: curation.unpin_thread(t, by=current_user, to=form.to.data),
                  _("Thread unpinned."))


@bp.route("/threads/<int:thread_id>/lock", methods=["POST"])
def thread_lock(thread_id: int):
    """Lock a thread against new replies."""
    return _apply(thread_id, ConfirmForm(), lambda t: curation.lock_thread(t, by=current_user), _("Thread locked."))


@bp.route("/threads/<int:thread_id>/unlock", methods=["POST"])
def thread_unlock(thread_id: int):
    """Open a locked thread again."""
    return _apply(thread_id, ConfirmForm(), lambda t: curation.unlock_thread(t, by=current_user),
                  _("Thread unlocked."))


@bp.route("/threads/<int:thread_id>/feature", methods=["POST"])
def thread_feature(thread_id: int):
    """Feature a thread on the landing page."""
    return _apply(thread_id, ConfirmForm(), lambda t: curation.feature_thread(t, by=current_user),
                  _("Thread featured."))


@bp.route("/threads/<int:thread_id>/unfeature", methods=["POST"])
def thread_unfeature(thread_id: int):
    """Stop featuring a thread."""
    return _apply(thread_id, ConfirmForm(), lambda t: curation.unfeature_thread(t, by=current_user),
                  _("Thread no longer featured."))


@bp.route("/threads/<int:thread_id>/restore", methods=["POST"])
def thread_restore(thread_id: int):
    """Bring a hidden thread back."""
    return _apply(thread_id, ConfirmForm(), lambda t: curation.restore_thread(t, by=current_user),
                  _("Thread restored."))


def _tool_page(form, thread: Thread, title: str, **extra):
    return render_template("moderation/thread_tool.html", form=form, thread=thread, title=title, **extra)


@bp.route("/threads/<int:thread_id>/hide", methods=["GET", "POST"])
def thread_hide(thread_id: int):
    """Hide a thread from members, with a reason."""
    thread = db.get_or_404(Thread, thread_id)
    form = HideThreadForm()
    if form.validate_on_submit():
        ok, changed = attempt(lambda: curation.hide_thread(thread, by=current_user, reason=form.reason.data), form)
        if ok:
            _flash_result(changed, _("Thread hidden."))
            return redirect(_thread_url(thread))
    return _tool_page(form, thread, _("Hide thread"))


@bp.route("/threads/<int:thread_id>/move", methods=["GET", "POST"])
def thread_move(thread_id: int):
    """Move a thread to another category."""
    thread = db.get_or_404(Thread, thread_id)
    form = MoveForm(data={"category_id": thread.category_id} if request.method == "GET" else None)
    form.category_id.choices = _category_choices()
    if form.validate_on_submit():
        category = db.session.get(Category, form.category_id.data)
        changed = curation.move_thread(thread, category, by=current_user)
        db.session.commit()
        _flash_result(changed, _("Thread moved to %(name)s.", name=category.name))
        return redirect(_thread_url(thread))
    return _tool_page(form, thread, _("Move thread"))


@bp.route("/threads/<int:thread_id>/merge", methods=["GET", "POST"])
def thread_merge(thread_id: int):
    """Merge this thread into another; posts keep their authors and times."""
    thread = db.get_or_404(Thread, thread_id)
    form = MergeForm()
    if form.validate_on_submit():
        target = db.session.get(Thread, thread_id_from(form.target.data))

        def merge() -> int:
            if target is None:
                raise DomainError(_("There is no thread with that number."), "target")
            return curation.merge_threads(thread, target, by=current_user)

        ok, moved = attempt(merge, form)
        if ok:
            flash(ngettext("%(num)d post moved into “%(title)s”.", "%(num)d posts moved into “%(title)s”.", moved,
                           title=target.title), "success")
            return redirect(_thread_url(target))
    return _tool_page(form, thread, _("Merge thread"))


@bp.route("/threads/<int:thread_id>/split", methods=["GET", "POST"])
def thread_split(thread_id: int):
    """Move ticked replies into a new thread."""
    thread = db.get_or_404(Thread, thread_id)
    form = SplitForm(data={"category_id": thread.category_id} if request.method == "GET" else None)
    replies = queries.split_candidates(thread, MAX_SPLIT_CHOICES)
    form.post_ids.choices = choices(
        (p.id, f"#{p.number} · {p.author_name} · {p.created_at:%Y-%m-%d %H:%M} · {p.body[:100]}") for p in replies)
    form.category_id.choices = _category_choices()
    if form.validate_on_submit():
        ok, new = attempt(lambda: curation.split_thread(
            thread, form.post_ids.data, title=form.title.data,
            category=db.session.get(Category, form.category_id.data), by=current_user), form)
        if ok:
            flash(_("Replies moved to a new thread."), "success")
            return redirect(_thread_url(new))
    return _tool_page(form, thread, _("Split thread"))


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
def post_edit(post_id: int):
    """Edit a member's post; the earlier text is kept and the member is notified."""
    post = db.get_or_404(Post, post_id)
    form = HostEditForm(obj=post if request.method == "GET" else None)
    if form.validate_on_submit():
        ok, changed = attempt(lambda: curation.edit_member_post(post, by=current_user, body=form.body.data,
                                                                reason=form.reason.data), form)
        if ok:
            _flash_result(changed, _("Post saved; the member is notified."))
            return redirect(url_for("forum.post_goto", post_id=post.id))
    return _tool_page(form, post.thread, _("Edit post"), post=post)


@bp.route("/users/<int:user_id>/suspend", methods=["GET", "POST"])
def user_suspend(user_id: int):
    """Suspend a member for a number of days, or until lifted, with a reason they are told."""
    user = db.get_or_404(User, user_id)
    form = SuspendMemberForm()
    if form.validate_on_submit() and attempt(
            lambda: curation.suspend_member(user, by=current_user, days=form.days.data, reason=form.reason.data), form):
        flash(_("%(name)s is suspended.", name=user.display_name), "success")
        return redirect(url_for("members.profile", user_id=user.id))
    return render_template("moderation/user_suspend.html", form=form, user=user)


@bp.route("/users/<int:user_id>/unsuspend", methods=["POST"])
def user_unsuspend(user_id: int):
    """Lift a suspension."""
    user = db.get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        flash(_("That request was not understood; nothing changed."), "error")
        return redirect(url_for("members.profile", user_id=user.id))
    ok, changed = attempt(lambda: curation.unsuspend_member(user, by=current_user))
    if ok:
        _flash_result(changed, _("%(name)s may log in again.", name=user.display_name))
    return redirect(url_for("members.profile", user_id=user.id))


@bp.route("/inquiries", endpoint="inquiries")
def inquiry_list():
    """Members' questions still waiting for a host, oldest first, and the median first-response time."""
    now = utcnow()
    waiting, hours = inquiries.waiting(now), inquiries.promise_hours()
    return render_template("moderation/inquiries.html", waiting=waiting[:inquiries.PAGE_LIMIT], total=len(waiting),
                           now=now, median=inquiries.median_first_response(now), days=inquiries.MEDIAN_DAYS,
                           promise=timedelta(hours=hours), promise_hours=f"{hours:g}")
