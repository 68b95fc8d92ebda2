"""Flagging a post: the form under each post, on the forum's blueprint (``forum.post_flag``), so the forum itself
needs nothing from moderation. Registered by ``moderation.wiring``."""
from __future__ import annotations

from flask import flash, redirect, render_template
from flask_babel import gettext as _
from flask_login import current_user

from app.core.forms import attempt
from app.extensions import db, limiter, member_key
from app.forum.models import Post
from app.forum.rendering import post_url
from app.forum.views import bp as forum_bp
from app.moderation.forms import FlagForm
from app.moderation.queries import has_flagged
from app.moderation.services import flag_post
from app.security import policy
from app.security.guards import ensure


@forum_bp.route("/p/<int:post_id>/flag", methods=["GET", "POST"])
@limiter.limit("20 per hour", key_func=member_key, methods=["POST"])
def post_flag(post_id: int):
    """Flag a post for the hosts with a reason (spam, abusive, off-topic, private information, other)."""
    post = db.get_or_404(Post, post_id)
    ensure(policy.can_view_post(current_user, post), hidden=True)
    ensure(policy.can_flag(current_user, post))
    if has_flagged(current_user, post):
        flash(_("You have already flagged this post. The hosts will look at it."), "info")
        return redirect(post_url(post))
    form = FlagForm()
    if form.validate_on_submit() and attempt(
            lambda: flag_post(post, by=current_user, reason=form.reason.data, note=form.note.data), form):
        flash(_("Thank you. The hosts will look at this post."), "success")
        return redirect(post_url(post))
    return render_template("forum/post_flag.html", form=form, post=post)
