"""Polls: attach one to a thread (or start a thread with one), vote, publish drafts, close, segment breakdown."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.forms import ConfirmForm, attempt, choices
from app.core.times import to_utc
from app.db import utcnow
from app.extensions import db, limiter, member_key
from app.forum.models import Category, Thread
from app.forum.queries import categories_in_order
from app.polls import services
from app.polls.crosstabs import poll_crosstab
from app.polls.forms import PollForm, PollThreadForm
from app.polls.models import Poll
from app.security import activity_policy as rules
from app.security import policy
from app.security.guards import ensure, require
from app.security.roles import Permission
from app.segments.services import attributes

bp = Blueprint("polls", __name__)


def poll_panels(thread: Thread) -> list[dict]:
    """What the thread page shows for each of its polls (a Jinja global); the page's thread row says whether it
    has any (``has_polls``, from the fact polls add to it)."""
    panels, now = [], utcnow()
    for poll in services.polls_for_thread(thread.id, current_user, has_polls=getattr(thread, "has_polls", None)):
        chosen = services.chosen_options(services.ballot_of(poll, current_user))
        rows, voters = services.results(poll)
        panels.append({
            "poll": poll, "rows": rows, "voters": voters, "chosen": chosen, "ended": poll.has_ended(now),
            "show_results": rules.can_see_poll_results(current_user, poll, has_voted=bool(chosen), now=now),
            "can_vote": rules.can_vote(current_user, poll, now),
        })
    return panels


def _poll_fields(form: PollForm) -> dict:
    return {"question": form.question.data, "options": (form.options.data or "").splitlines(),
            "is_multiple": form.is_multiple.data, "max_choices": form.max_choices.data or 1,
            "closes_at": to_utc(form.closes_at.data), "results_visibility": form.results_visibility.data}


def _option_ids(values: list[str]) -> list[int]:
    """The submitted option ids that are plain ASCII numbers (anything else cannot be an option)."""
    return [int(v) for v in values if v.isascii() and v.isdigit() and len(v) < 10]


def _back_to(poll: Poll):
    return redirect(url_for("forum.thread_detail", thread_id=poll.thread_id, _anchor=f"poll-{poll.id}"))


@bp.route("/t/<int:thread_id>/polls/new", methods=["GET", "POST"])
@require(Permission.CREATE_ACTIVITY)
def poll_new(thread_id: int):
    """Attach a poll to a thread (researchers' polls wait for a host to publish them)."""
    thread = db.get_or_404(Thread, thread_id)
    ensure(policy.can_view_thread(current_user, thread), hidden=True)
    form = PollForm()
    if form.validate_on_submit():
        ok, poll = attempt(lambda: services.create_poll(thread, by=current_user, **_poll_fields(form)), form)
        if ok:
            flash(_("Poll added.") if poll.is_published else _("Draft poll saved; a host will publish it."), "success")
            return _back_to(poll)
    return render_template("polls/poll_new.html", form=form, thread=thread)


@bp.route("/polls/new", methods=["GET", "POST"])
@require(Permission.CREATE_ACTIVITY, Permission.POST)
def poll_thread_new():
    """Start a new thread with a poll (hosts)."""
    form = PollThreadForm()
    categories = categories_in_order()
    form.category.choices = choices((c.id, c.name) for c in categories)
    if form.validate_on_submit():
        ok, poll = attempt(lambda: services.start_poll_thread(
            db.session.get(Category, form.category.data), by=current_user,
            title=form.title.data, body=form.body.data, **_poll_fields(form)), form)
        if ok:
            flash(_("Poll added."), "success")
            return _back_to(poll)
    return render_template("polls/poll_new.html", form=form, thread=None)


@bp.route("/polls/<int:poll_id>/vote", methods=["POST"])
@limiter.limit("30 per minute", key_func=member_key)
def poll_vote(poll_id: int):
    """Cast or change a ballot."""
    poll = db.get_or_404(Poll, poll_id)
    ensure(rules.can_view_poll(current_user, poll) and policy.can_view_thread(current_user, poll.thread), hidden=True)
    ensure(current_user.can(Permission.POST))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if attempt(lambda: services.vote(poll, user=current_user, option_ids=_option_ids(request.form.getlist("option")))):
        flash(_("Your vote is counted."), "success")
    return _back_to(poll)


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
    return _back_to(poll)


@bp.route("/polls/<int:poll_id>/breakdown")
@require(Permission.RESEARCH)
def poll_breakdown(poll_id: int):
    """Results of a poll broken down by any segment attribute (researchers and admins)."""
    poll = db.get_or_404(Poll, poll_id)
    everything = attributes()
    wanted = request.args.get("attribute", type=int)
    attribute = next((a for a in everything if a.id == wanted), everything[0] if everything else None)
    # Every voter, as in the results below it (the research exports leave out withdrawn consent).
    table = poll_crosstab(poll, attribute, consenting_only=False) if attribute else None
    rows, voters = services.results(poll)
    return render_template("polls/poll_breakdown.html", poll=poll, attributes=everything, attribute=attribute,
                           table=table, rows=rows, voters=voters)
