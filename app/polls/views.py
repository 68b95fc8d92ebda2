"""Creating polls on threads, voting, publishing drafts and closing."""
from __future__ import annotations

from datetime import timezone
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, IntegerField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.core.exceptions import DomainError
from app.core.forms import ConfirmForm, choices, show_domain_error
from app.extensions import db, limiter
from app.forum.models import Thread
from app.polls import services
from app.polls.models import Poll
from app.security import policy
from app.security.guards import ensure, require
from app.security.roles import Permission

bp = Blueprint("polls", __name__)


class PollForm(FlaskForm):
    question = StringField(_l("Question"), validators=[DataRequired(), Length(min=3, max=300)])
    options = TextAreaField(_l("Options, one per line (2 to 20)"), validators=[DataRequired(), Length(max=4000)])
    is_multiple = BooleanField(_l("Members may choose several options"))
    max_choices = IntegerField(_l("At most this many choices"), default=2, validators=[Optional(), NumberRange(1, 20)])
    closes_at = DateTimeLocalField(_l("Closes (optional, your time zone)"), format="%Y-%m-%dT%H:%M",
                                   validators=[Optional()])
    results_visibility = RadioField(_l("Show results"), default="always", choices=choices([
        ("always", _l("Always")), ("after_vote", _l("After voting")), ("after_close", _l("After the poll closes"))]))
    submit = SubmitField(_l("Add poll"))


def poll_panels(thread: Thread) -> list[dict]:
    """What the thread page shows for each of its polls (a Jinja global)."""
    panels = []
    for poll in services.polls_for_thread(thread.id, current_user):
        ballot = services.ballot_of(poll, current_user)
        rows, voters = services.results(poll)
        panels.append({
            "poll": poll, "rows": rows, "voters": voters, "chosen": services.chosen_options(ballot),
            "show_results": services.can_see_results(poll, current_user, has_voted=ballot is not None),
            "can_vote": current_user.can(Permission.POST) and poll.is_published and not poll.is_closed,
        })
    return panels


@bp.route("/t/<int:thread_id>/polls/new", methods=["GET", "POST"])
@require(Permission.CREATE_ACTIVITY)
def poll_new(thread_id: int):
    """Attach a poll to a thread (researchers' polls wait for a host to publish them)."""
    thread = db.get_or_404(Thread, thread_id)
    ensure(policy.can_view_thread(current_user, thread), hidden=True)
    form = PollForm()
    if form.validate_on_submit():
        closes_at = None
        if form.closes_at.data:
            zone = ZoneInfo(current_user.timezone or "UTC")
            closes_at = form.closes_at.data.replace(tzinfo=zone).astimezone(timezone.utc)
        try:
            services.create_poll(thread, by=current_user, question=form.question.data,
                                 options=form.options.data.splitlines(), is_multiple=form.is_multiple.data,
                                 max_choices=form.max_choices.data or 1, closes_at=closes_at,
                                 results_visibility=form.results_visibility.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Poll added."), "success")
            return redirect(url_for("forum.thread_detail", thread_id=thread.id))
    return render_template("polls/poll_new.html", form=form, thread=thread)


@bp.route("/polls/<int:poll_id>/vote", methods=["POST"])
@limiter.limit("30 per minute", key_func=lambda: f"member:{current_user.get_id()}")
def poll_vote(poll_id: int):
    """Cast or change a ballot."""
    poll = db.get_or_404(Poll, poll_id)
    ensure(policy.can_view_thread(current_user, db.session.get(Thread, poll.thread_id)), hidden=True)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.vote(poll, user=current_user, option_ids=[int(i) for i in request.form.getlist("option")
                                                              if i.isdigit()])
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Your vote is counted."), "success")
    return redirect(url_for("forum.thread_detail", thread_id=poll.thread_id, _anchor=f"poll-{poll.id}"))


@bp.route("/polls/<int:poll_id>/<any(publish, close):action>", methods=["POST"])
@require(Permission.PUBLISH_ACTIVITY)
def poll_action(poll_id: int, action: str):
    """Publish a drafted poll, or close one now."""
    poll = db.get_or_404(Poll, poll_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    changed = (services.publish_poll(poll, by=current_user) if action == "publish"
               else services.close_poll(poll, by=current_user))
    db.session.commit()
    if changed:
        flash(_("Poll published.") if action == "publish" else _("Poll closed."), "success")
    return redirect(url_for("forum.thread_detail", thread_id=poll.thread_id, _anchor=f"poll-{poll.id}"))
