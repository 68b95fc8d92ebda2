"""Curation routes of the moderators' area: thread tools, editing members' posts, suspensions, inquiries."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.exceptions import DomainError
from app.core.forms import ConfirmForm, choices, show_domain_error
from app.db import utcnow
from app.extensions import db
from app.forum.models import Category, Post, Thread
from app.members.forms import SuspendForm
from app.members.models import User
from app.moderation import curation, inquiries
from app.moderation.blueprint import bp
from app.moderation.curation_forms import HostEditForm, MergeForm, MoveForm, SplitForm
from app.moderation.forms import ReasonForm
from app.security.roles import Permission


def _category_choices():
    return choices((c.id, c.name) for c in db.session.scalars(sa.select(Category).order_by(Category.position)))


def _thread_url(thread: Thread) -> str:
    return url_for("forum.thread_detail", thread_id=thread.id)


def _done(changed: bool, message: str) -> None:
    flash(message if changed else _("Nothing to change."), "success")


@bp.route("/threads/<int:thread_id>/<any(pin, unpin, pin_landing, unpin_landing, lock, unlock, feature, unfeature):action>",
          methods=["POST"])
def thread_flag(thread_id: int, action: str):
    """Pin (to the category or the landing page), lock or feature a thread, or undo it."""
    thread = db.get_or_404(Thread, thread_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    changed = curation.set_thread_flag(thread, action, by=current_user)
    db.session.commit()
    _done(changed, _("Thread updated."))
    return redirect(_thread_url(thread))


@bp.route("/threads/<int:thread_id>/hide", methods=["POST"])
def thread_hide(thread_id: int):
    """Hide a thread with a reason."""
    thread = db.get_or_404(Thread, thread_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        changed = curation.hide_thread(thread, by=current_user, reason=form.reason.data or "")
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        _done(changed, _("Thread hidden."))
    return redirect(_thread_url(thread))


@bp.route("/threads/<int:thread_id>/restore", methods=["POST"])
def thread_restore(thread_id: int):
    """Bring a hidden thread back."""
    thread = db.get_or_404(Thread, thread_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    changed = curation.restore_thread(thread, by=current_user)
    db.session.commit()
    _done(changed, _("Thread restored."))
    return redirect(_thread_url(thread))


@bp.route("/threads/<int:thread_id>/move", methods=["GET", "POST"])
def thread_move(thread_id: int):
    """Move a thread to another category."""
    thread = db.get_or_404(Thread, thread_id)
    form = MoveForm(data={"category_id": thread.category_id} if request.method == "GET" else None)
    form.category_id.choices = _category_choices()
    if form.validate_on_submit():
        changed = curation.move_thread(thread, db.get_or_404(Category, form.category_id.data), by=current_user)
        db.session.commit()
        _done(changed, _("Thread moved."))
        return redirect(_thread_url(thread))
    return render_template("moderation/thread_tool.html", form=form, thread=thread, title=_("Move thread"))


@bp.route("/threads/<int:thread_id>/merge", methods=["GET", "POST"])
def thread_merge(thread_id: int):
    """Merge this thread into another; posts keep their authors and times."""
    thread = db.get_or_404(Thread, thread_id)
    form = MergeForm()
    if form.validate_on_submit():
        target = db.session.get(Thread, form.target_id.data)
        try:
            if target is None:
                raise DomainError(_("There is no thread with that number."), "target_id")
            curation.merge_threads(thread, target, by=current_user)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Threads merged."), "success")
            return redirect(_thread_url(target))
    return render_template("moderation/thread_tool.html", form=form, thread=thread, title=_("Merge thread"))


@bp.route("/threads/<int:thread_id>/split", methods=["GET", "POST"])
def thread_split(thread_id: int):
    """Move chosen replies into a new thread."""
    thread = db.get_or_404(Thread, thread_id)
    form = SplitForm(data={"category_id": thread.category_id} if request.method == "GET" else None)
    replies = db.session.scalars(sa.select(Post).where(Post.thread_id == thread.id, Post.number > 1)
                                 .order_by(Post.number).limit(500)).all()
    form.post_ids.choices = choices((p.id, f"#{p.number} {p.author_name}: {p.body[:80]}") for p in replies)
    form.category_id.choices = _category_choices()
    if form.validate_on_submit():
        try:
            new = curation.split_thread(thread, form.post_ids.data, title=form.title.data,
                                        category=db.get_or_404(Category, form.category_id.data), by=current_user)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Replies moved to a new thread."), "success")
            return redirect(_thread_url(new))
    return render_template("moderation/thread_tool.html", form=form, thread=thread, title=_("Split thread"))


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
def post_edit(post_id: int):
    """Edit a member's post; the earlier text is kept and the member is notified."""
    post = db.get_or_404(Post, post_id)
    form = HostEditForm(obj=post)
    if form.validate_on_submit():
        try:
            changed = curation.edit_member_post(post, by=current_user, body=form.body.data, reason=form.reason.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            _done(changed, _("Post saved; the member is notified."))
            return redirect(url_for("forum.post_goto", post_id=post.id))
    return render_template("moderation/thread_tool.html", form=form, thread=post.thread, title=_("Edit post"))


@bp.route("/users/<int:user_id>/suspend", methods=["GET", "POST"])
def user_suspend(user_id: int):
    """Suspend a member for a period, with a reason (they are told at login)."""
    from app.members.services import suspend

    user = db.get_or_404(User, user_id)
    form = SuspendForm()
    if form.validate_on_submit():
        try:
            if user.is_host and not current_user.can(Permission.MANAGE_ROLES):
                raise DomainError(_("Only admins can suspend hosts."))
            suspend(user, by=current_user, reason=form.reason.data, days=int(form.days.data) or None)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s is suspended.", name=user.display_name), "success")
            return redirect(url_for("members.profile", user_id=user.id))
    return render_template("moderation/user_suspend.html", form=form, user=user)


@bp.route("/users/<int:user_id>/unsuspend", methods=["POST"])
def user_unsuspend(user_id: int):
    """Lift a suspension."""
    from app.members.services import unsuspend

    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit() and unsuspend(user, by=current_user):
        db.session.commit()
        flash(_("%(name)s may log in again.", name=user.display_name), "success")
    return redirect(url_for("members.profile", user_id=user.id))


@bp.route("/inquiries")
def inquiry_list():
    """Members' questions still waiting for a host, oldest first, and the median first-response time."""
    now = utcnow()
    return render_template("moderation/inquiries.html", waiting=inquiries.waiting(now), now=now,
                           median=inquiries.median_first_response(now))
