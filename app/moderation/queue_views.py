"""The review queue: pending, flagged and quarantined posts, one place, with single and bulk actions."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app import audit
from app.core.areas import moderation_area as bp
from app.core.exceptions import DomainError
from app.core.forms import ConfirmForm, attempt
from app.core.params import day_arg, id_arg, paginate
from app.extensions import db
from app.forum.models import Post
from app.forum.queries import categories_in_order
from app.members.models import User
from app.members.notifications import notify
from app.moderation import queries, review, services
from app.moderation.forms import (
    HANDLED_ACTION_LABELS,
    REVIEW_ACTION_LABELS,
    ItemActionForm,
    MessageForm,
    ReasonForm,
    ReviewActionForm,
)
from app.moderation.models import ReviewItem, ReviewKind
from app.security.guards import is_safe_next, referrer_or


def _chosen_filter() -> queries.QueueFilter:
    """The queue filter from the query string (bad values are ignored, as no filter)."""
    return queries.QueueFilter(kind=request.args.get("kind"), category_id=id_arg("category"),
                               member=(request.args.get("member") or "").strip() or None,
                               start=day_arg("from"), end=day_arg("to", end=True))


@bp.route("/")
def queue():
    """Open review items, oldest first, with reasons, scores and flags."""
    page = paginate(queries.open_items(_chosen_filter()), per_page=50, error_out=False)
    flags = queries.open_flags_by_post([item.post_id for item in page.items])
    categories = categories_in_order()
    counts = queries.open_counts_by_kind()
    return render_template("moderation/queue.html", page=page, flags=flags, categories=categories, counts=counts,
                           form=ReviewActionForm(), actions=REVIEW_ACTION_LABELS, kinds=list(ReviewKind),
                           category=id_arg("category"))


@bp.route("/handled")
def review_handled():
    """Recently handled items: who did what, and when."""
    page = paginate(queries.handled_items(_chosen_filter()), per_page=50, error_out=False)
    return render_template("moderation/handled.html", page=page, actions=HANDLED_ACTION_LABELS)


def _queue_filters() -> dict:
    """The queue's own filters from the query string; url_for's options (_external, _anchor, _method) never."""
    return {key: value for key, value in request.args.items() if not key.startswith("_")}


@bp.route("/review/<int:item_id>", methods=["POST"])
def review_handle(item_id: int):
    """Apply one action to one queue item."""
    item = db.get_or_404(ReviewItem, item_id)
    form = ItemActionForm()
    if not form.validate_on_submit():
        flash(_("Choose a valid action."), "error")
        return redirect(referrer_or(url_for("moderation.queue")))
    ok, changed = attempt(lambda: review.handle_review_item(item, form.action.data, by=current_user,
                                                              reason=form.reason.data, seen_version=form.version.data))
    if ok:
        flash(_("Done: %(action)s.", action=REVIEW_ACTION_LABELS[form.action.data]) if changed
              else _("Nothing to change."), "success")
    return redirect(url_for("moderation.queue", **_queue_filters()))


def _ticked(values: list[str]) -> dict[int, int]:
    """Ticked items as {item id: the version its row showed}, from "id:version" boxes (malformed ones skipped)."""
    seen = {}
    for value in values:
        item_id, _sep, version = value.partition(":")
        if item_id.isdigit() and version.isdigit() and len(item_id) < 12 and len(version) < 12:
            seen[int(item_id)] = int(version)
    return seen


@bp.route("/review/bulk", methods=["POST"])
def review_bulk():
    """Apply one action to every ticked queue item."""
    form = ReviewActionForm()
    seen = _ticked(request.form.getlist("item_ids"))
    if not form.validate_on_submit() or not seen:
        flash(_("Tick at least one item and choose an action."), "error")
        return redirect(url_for("moderation.queue"))
    done, failed = 0, []
    for item in queries.items_among(list(seen)):
        try:
            with db.session.begin_nested():
                done += review.handle_review_item(item, form.action.data, by=current_user, reason=form.reason.data,
                                                  seen_version=seen[item.id])
        except DomainError as error:
            failed.append(f"#{item.id}: {error.message}")
    db.session.commit()
    flash(ngettext("%(num)d item handled.", "%(num)d items handled.", done), "success")
    for message in failed:
        flash(message, "error")
    return redirect(url_for("moderation.queue"))


@bp.route("/posts/<int:post_id>/<any(approve, hide, spam, restore):action>", methods=["POST"])
def post_action(post_id: int, action: str):
    """Hide, restore, approve or mark a post as spam from its thread page."""
    post = db.get_or_404(Post, post_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("That request was not understood; nothing changed."), "error")
        return redirect(url_for("forum.post_goto", post_id=post.id))
    ok, changed = attempt(lambda: services.moderate_post(post, action, by=current_user, reason=form.reason.data,
                                                         seen_version=form.version.data))
    if ok:
        flash(_("Done: %(action)s.", action=REVIEW_ACTION_LABELS[action]) if changed else _("Nothing to change."),
              "success")
    return redirect(url_for("forum.post_goto", post_id=post.id))


@bp.route("/users/<int:user_id>/message", methods=["GET", "POST"])
def user_message(user_id: int):
    """Send a member a private note from the hosts (shown in their notifications)."""
    user = db.get_or_404(User, user_id)
    form = MessageForm()
    if form.validate_on_submit():
        notify(user.id, "host_message", form.text.data.strip(), actor=current_user)
        audit.record(current_user, "user.message", user, reason=form.text.data.strip()[:1000])
        db.session.commit()
        flash(_("Message sent to %(name)s.", name=user.display_name), "success")
        back = request.args.get("back")
        return redirect(back if is_safe_next(back) else url_for("moderation.queue"))
    return render_template("moderation/user_message.html", form=form, user=user, confirm=ConfirmForm())
