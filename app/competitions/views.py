"""Competitions: create and publish (hosts; researchers draft), enter, vote, judge, moderate entries."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.competitions import services
from app.competitions.forms import CompetitionForm, EntryForm, EntryModerationForm
from app.competitions.models import Competition, CompetitionEntry
from app.core.exceptions import DomainError
from app.core.forms import ConfirmForm, attempt, choices
from app.core.times import to_local, to_utc
from app.db import utcnow
from app.extensions import db, limiter, member_key
from app.forum.models import Category
from app.forum.queries import categories_in_order
from app.security import activity_policy as rules
from app.security.guards import ensure, require
from app.security.roles import Permission
from app.uploads.views import register_attachment_policy

bp = Blueprint("competitions", __name__, url_prefix="/competitions")
WINDOWS = ("entry_opens_at", "entry_closes_at", "voting_opens_at", "voting_closes_at")


def _can_see_entry_photo(user, entry_id: int) -> bool:
    entry = db.session.get(CompetitionEntry, entry_id)
    return entry is not None and rules.can_see_entry(user, entry)


register_attachment_policy(services.ENTRY, _can_see_entry_photo)


def _competition_or_404(competition_id: int) -> Competition:
    competition = db.get_or_404(Competition, competition_id)
    ensure(rules.can_view_competition(current_user, competition), hidden=True)
    return competition


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:competition_id>/edit", methods=["GET", "POST"])
@require(Permission.CREATE_ACTIVITY)
def competition_edit(competition_id: int | None = None):
    """Create or change a competition (a host's is published at once with its thread)."""
    competition = db.get_or_404(Competition, competition_id) if competition_id else None
    if competition is not None:
        ensure(rules.can_edit_competition(current_user, competition))
    form = CompetitionForm(obj=competition)
    form.category.choices = choices((c.id, c.name) for c in categories_in_order())
    if request.method == "GET" and competition is not None:
        form.category.data = competition.category_id
        for name in WINDOWS:
            form[name].data = to_local(getattr(competition, name))
    if form.validate_on_submit():
        ok, saved = attempt(lambda: services.save_competition(
            competition, by=current_user, title=form.title.data, rules_text=form.rules.data,
            prize=form.prize.data or "", category=db.session.get(Category, form.category.data),
            windows=services.Windows(*(to_utc(form[name].data) for name in WINDOWS)),
            judging=form.judging.data, entry_points=form.entry_points.data, win_points=form.win_points.data,
            winner_count=form.winner_count.data), form)
        if ok:
            flash(_("Competition saved.") if saved.is_published
                  else _("Draft saved; a host will publish it."), "success")
            return redirect(url_for("competitions.competition_detail", competition_id=saved.id))
    return render_template("competitions/competition_edit.html", form=form, competition=competition)


@bp.route("/<int:competition_id>/publish", methods=["POST"])
@require(Permission.PUBLISH_ACTIVITY)
def competition_publish(competition_id: int):
    """Publish a draft competition and open its thread."""
    competition = db.get_or_404(Competition, competition_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    ok, changed = attempt(lambda: services.publish_competition(competition, by=current_user))
    if ok and changed:
        flash(_("Competition published."), "success")
    return redirect(url_for("competitions.competition_detail", competition_id=competition.id))


@bp.route("/<int:competition_id>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"], key_func=member_key)
def competition_detail(competition_id: int):
    """A competition: rules, windows, the member's entry form, entries with votes or scores, results."""
    competition = _competition_or_404(competition_id)
    now = utcnow()
    mine = services.entry_of(competition, current_user)
    form = EntryForm(obj=mine) if request.method == "GET" else EntryForm()
    if request.method == "POST":
        ensure(current_user.can(Permission.POST))
        if form.validate_on_submit() and attempt(lambda: services.enter(
                competition, user=current_user, title=form.title.data, body=form.body.data,
                photo=request.files.get("photo"), now=now), form):
            flash(_("Your entry is saved. Good luck!"), "success")
            return redirect(url_for("competitions.competition_detail", competition_id=competition.id))
    shown = services.entries(competition, current_user)
    return render_template(
        "competitions/competition_detail.html", competition=competition, form=form, mine=mine, entries=shown,
        phase=competition.phase(now), now=now, photos=services.photos_of([e.id for e in shown]),
        counts=services.live_counts(competition) if rules.can_see_live_counts(current_user, competition) else None,
        voted=services.voted_entry_id(competition, current_user),
        scores=services.my_scores(competition, current_user) if rules.can_judge(current_user, competition, now) else {},
        moderation_form=EntryModerationForm(formdata=None))


def _entry_or_404(entry_id: int) -> CompetitionEntry:
    entry = db.get_or_404(CompetitionEntry, entry_id)
    ensure(rules.can_view_competition(current_user, entry.competition), hidden=True)
    return entry


def _back_to(entry: CompetitionEntry):
    return redirect(url_for("competitions.competition_detail", competition_id=entry.competition_id,
                            _anchor=f"entry-{entry.id}"))


@bp.route("/entries/<int:entry_id>/vote", methods=["POST"])
@limiter.limit("30 per minute", key_func=member_key)
def entry_vote(entry_id: int):
    """Vote for an entry (or move the member's vote to it)."""
    entry = _entry_or_404(entry_id)
    ensure(current_user.can(Permission.POST))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if attempt(lambda: services.vote(entry, user=current_user)):
        flash(_("Your vote is counted."), "success")
    return _back_to(entry)


@bp.route("/entries/<int:entry_id>/score", methods=["POST"])
@require(Permission.PUBLISH_ACTIVITY)
def entry_score(entry_id: int):
    """A judging host's 0-10 score for an entry."""
    entry = _entry_or_404(entry_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    score = request.form.get("score", type=int)

    def save_score() -> None:
        if score is None:
            raise DomainError(_("A score is 0 to 10."), "score")
        services.score_entry(entry, judge=current_user, score=score)

    if attempt(save_score):
        flash(_("Score saved."), "success")
    return _back_to(entry)


@bp.route("/entries/<int:entry_id>/<any(hide, restore):action>", methods=["POST"])
@require(Permission.PUBLISH_ACTIVITY)
def entry_moderate(entry_id: int, action: str):
    """Hide an entry with a reason (it cannot win) or restore it."""
    entry = _entry_or_404(entry_id)
    form = EntryModerationForm()
    if not form.validate_on_submit():
        abort(400)
    ok, changed = attempt(lambda: services.moderate_entry(entry, action, by=current_user,
                                                          reason=form.reason.data or ""))
    if ok and changed:
        flash(_("Entry hidden.") if action == "hide" else _("Entry restored."), "success")
    return _back_to(entry)
