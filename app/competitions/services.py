"""Competitions: create and publish (with its thread), enter, vote (one per member), judges' scores."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from app import audit
from app.competitions.models import Competition, CompetitionEntry, CompetitionScore, CompetitionVote, Judging
from app.core.exceptions import DomainError
from app.db import ContentState, utcnow
from app.extensions import db, read_connection
from app.forum import services as forum
from app.forum.models import Category
from app.members.models import User
from app.points.services import award_points, follow_state
from app.security import activity_policy as rules
from app.security.roles import Permission
from app.text.fields import clean_label, clean_title, render_body
from app.uploads.models import Upload
from app.uploads.services import attach, attached_to, store_images

ENTRY = "competition_entry"  # the attachment kind of entry photos
PUBLISHED = ContentState.PUBLISHED.value


@dataclass
class Windows:
    entry_opens_at: datetime
    entry_closes_at: datetime
    voting_opens_at: datetime
    voting_closes_at: datetime


def _check_windows(w: Windows, *, now: datetime, is_new: bool) -> None:
    if w.entry_closes_at <= w.entry_opens_at:
        raise DomainError(_("Entries must close after they open."), "entry_closes_at")
    if w.voting_opens_at < w.entry_closes_at:
        raise DomainError(_("Voting opens when entries close, or later."), "voting_opens_at")
    if w.voting_closes_at <= w.voting_opens_at:
        raise DomainError(_("Voting must close after it opens."), "voting_closes_at")
    if is_new and w.voting_closes_at <= now:
        raise DomainError(_("Voting must close in the future."), "voting_closes_at")


def save_competition(competition: Competition | None, *, by: User, title: str, rules_text: str, prize: str,
                     category: Category, windows: Windows, judging: str, entry_points: int, win_points: int,
                     winner_count: int, now: datetime | None = None) -> Competition:
    """Create (None) or change a competition; a host's is published at once (with its thread)."""
    now = now or utcnow()
    if competition is None and not rules.can_create_activity(by):
        raise DomainError(_("You cannot create competitions."))
    if competition is not None and not rules.can_edit_competition(by, competition):
        raise DomainError(_("You cannot change this competition."))
    title = clean_title(title, "title")
    prize = clean_label(prize, "prize", low=0, high=500, message=_("The prize has at most 500 characters."))
    html = render_body(rules_text, "rules")
    _check_windows(windows, now=now, is_new=competition is None)
    if judging not in {j.value for j in Judging}:
        raise DomainError(_("Choose who judges."), "judging")
    if not (0 <= entry_points <= 1000 and 0 <= win_points <= 10_000):
        raise DomainError(_("Points for entering are 0 to 1,000; for winning 0 to 10,000."), "win_points")
    if not 1 <= winner_count <= 10:
        raise DomainError(_("Between 1 and 10 winners."), "winner_count")
    created = competition is None
    if created:
        competition = Competition(created_by_id=by.id, created_at=now)
    competition.title, competition.rules, competition.rules_html, competition.prize = (
        title, rules_text.strip(), html, prize)
    competition.category_id = category.id
    for name, value in vars(windows).items():
        setattr(competition, name, value)
    competition.judging, competition.entry_points, competition.win_points, competition.winner_count = (
        judging, entry_points, win_points, winner_count)
    db.session.add(competition)
    db.session.flush()
    audit.record(by, "competition.create" if created else "competition.update", competition,
                 after={"title": title, "judging": judging, "winners": winner_count})
    if created and rules.can_publish_activity(by):
        publish_competition(competition, by=by, now=now)
    return competition


def _opening_post(competition: Competition) -> str:
    lines = [competition.rules.strip(), ""]
    if competition.prize:
        lines += [_("**Prize:** %(prize)s", prize=competition.prize), ""]
    lines.append(_("[Enter, vote and see the results on the competition page](/competitions/%(id)d)",
                   id=competition.id))
    return "\n".join(lines)


def publish_competition(competition: Competition, *, by: User, now: datetime | None = None) -> bool:
    """Publish a competition and open its thread (written by the publishing host); False if already live."""
    if not rules.can_publish_activity(by):
        raise DomainError(_("Only hosts can publish competitions."))
    if competition.is_published:
        return False
    now = now or utcnow()
    if competition.thread_id is None:
        category = db.session.get(Category, competition.category_id)
        thread = forum.start_thread(category, author=by, title=competition.title, body=_opening_post(competition),
                                    now=now)
        competition.thread_id = thread.id
    competition.is_published, competition.published_at, competition.published_by_id = True, now, by.id
    audit.record(by, "competition.publish", competition, after={"thread_id": competition.thread_id})
    return True


def entry_of(competition: Competition, user: User) -> CompetitionEntry | None:
    return db.session.scalar(sa.select(CompetitionEntry).where(CompetitionEntry.competition_id == competition.id,
                                                               CompetitionEntry.user_id == user.id))


def photos_of(entry_ids: list[int]) -> dict[int, list[Upload]]:
    """The photo of each of these entries (a list per entry id; replaced photos are left out)."""
    return attached_to(ENTRY, entry_ids)


def enter(competition: Competition, *, user: User, title: str, body: str, photo=None,
          now: datetime | None = None) -> CompetitionEntry:
    """Enter (or, until entries close, change) the member's entry: title, text and an optional photo."""
    now = now or utcnow()
    if not rules.can_enter(user, competition, now):
        raise DomainError(_("Entries are not open.") if user.can(Permission.POST)
                          else _("Researchers observe; they do not enter competitions."))
    title = clean_title(title, "title")
    html = render_body(body, "body")
    stored = next(iter(store_images([photo], owner=user, field="photo")), None)
    entry = entry_of(competition, user)
    if entry is None:
        try:
            with db.session.begin_nested():
                entry = CompetitionEntry(competition_id=competition.id, user_id=user.id, author_name=user.display_name,
                                         title=title, body=body.strip(), body_html=html, created_at=now, updated_at=now)
                db.session.add(entry)
        except sa.exc.IntegrityError:  # a parallel submit created it: edit that one
            entry = entry_of(competition, user)
        else:
            award_points(user, competition.entry_points, "competition_entry", ref_type=ENTRY, ref_id=entry.id, now=now)
    entry.title, entry.body, entry.body_html, entry.updated_at = title, body.strip(), html, now
    if stored is not None:
        for old in photos_of([entry.id]).get(entry.id, []):
            old.attached_type = f"{ENTRY}_replaced"  # detached, not deleted: nothing a member sent is lost
        attach([stored], kind=ENTRY, target_id=entry.id)
    db.session.flush()
    return entry


def vote(entry: CompetitionEntry, *, user: User, now: datetime | None = None) -> CompetitionVote:
    """Vote for an entry, or move the member's one vote to it; never for their own entry."""
    now = now or utcnow()
    competition = entry.competition
    if not rules.can_vote_for(user, entry, now):
        if entry.user_id == user.id:
            raise DomainError(_("You cannot vote for your own entry."))
        raise DomainError(_("Voting is not open."))
    existing = _vote_of(competition, user)
    if existing is None:
        try:
            with db.session.begin_nested():
                existing = CompetitionVote(competition_id=competition.id, entry_id=entry.id, user_id=user.id,
                                           entry_author_id=entry.user_id, created_at=now, updated_at=now)
                db.session.add(existing)
            return existing
        except sa.exc.IntegrityError:  # a parallel request voted first: move that vote
            existing = _vote_of(competition, user)
    existing.entry_id, existing.entry_author_id, existing.updated_at = entry.id, entry.user_id, now
    db.session.flush()
    return existing


def _vote_of(competition: Competition, user: User) -> CompetitionVote | None:
    return db.session.scalar(sa.select(CompetitionVote).where(CompetitionVote.competition_id == competition.id,
                                                              CompetitionVote.user_id == user.id))


def voted_entry_id(competition: Competition, user: User) -> int | None:
    found = _vote_of(competition, user)
    return found.entry_id if found else None


def score_entry(entry: CompetitionEntry, *, judge: User, score: int, now: datetime | None = None) -> None:
    """A host's 0-10 score for an entry when moderators judge (changeable until voting closes)."""
    now = now or utcnow()
    if not rules.can_judge(judge, entry.competition, now):
        raise DomainError(_("Judging is not open."))
    if not 0 <= score <= 10:
        raise DomainError(_("A score is 0 to 10."), "score")
    if entry.state != PUBLISHED:
        raise DomainError(_("This entry is hidden; it cannot be scored."))
    mine = sa.select(CompetitionScore).where(CompetitionScore.entry_id == entry.id,
                                             CompetitionScore.judge_id == judge.id)
    row = db.session.scalar(mine)
    before = row.score if row is not None else None
    if row is None:
        try:
            with db.session.begin_nested():
                db.session.add(CompetitionScore(entry_id=entry.id, judge_id=judge.id, score=score, updated_at=now))
        except sa.exc.IntegrityError:  # the judge's other request (a double click) saved a score first: change it
            row = db.session.scalar(mine)
            if row is None:  # some other conflict (the entry went away meanwhile)
                raise
            before = row.score
    if row is not None:
        row.score, row.updated_at = score, now
    db.session.flush()
    if before != score:
        audit.record(judge, "competition_entry.score", entry, before={"score": before}, after={"score": score})


def my_scores(competition: Competition, judge: User) -> dict[int, int]:
    return dict(db.session.execute(
        sa.select(CompetitionScore.entry_id, CompetitionScore.score).join(CompetitionEntry)
        .where(CompetitionEntry.competition_id == competition.id, CompetitionScore.judge_id == judge.id)).all())


def moderate_entry(entry: CompetitionEntry, action: str, *, by: User, reason: str = "") -> bool:
    """Hide an entry (it cannot be voted for or win; its entry points go back) or restore it; audited."""
    if not rules.can_publish_activity(by):
        raise DomainError(_("Only hosts can moderate entries."))
    if entry.competition.closed_at is not None:
        raise DomainError(_("This competition is closed."))
    reason = (reason or "").strip()
    if action == "hide" and not reason:
        raise DomainError(_("Give a reason."), "reason")
    target = {"hide": ContentState.HIDDEN.value, "restore": PUBLISHED}.get(action)
    if target is None or entry.state == target:
        return False
    before = entry.state
    entry.state, entry.hidden_at, entry.hidden_by_id, entry.hide_reason = (
        (target, utcnow(), by.id, reason[:500]) if action == "hide" else (target, None, None, None))
    if action == "hide":
        db.session.execute(sa.delete(CompetitionVote).where(CompetitionVote.entry_id == entry.id))
    _reconcile_entry_points(entry)
    audit.record(by, f"competition_entry.{action}", entry, reason=reason or None, before={"state": before},
                 after={"state": target})
    return True


def _reconcile_entry_points(entry: CompetitionEntry) -> None:
    user = db.session.get(User, entry.user_id) if entry.user_id else None
    if user is not None:
        follow_state(user, ref_type=ENTRY, ref_id=entry.id, live=entry.state == PUBLISHED, removed="entry_removed",
                     restored="entry_restored")


def entries(competition: Competition, user: User) -> list[CompetitionEntry]:
    """Entries the member may see: all for hosts (hidden ones too), published ones once voting opens."""
    select = sa.select(CompetitionEntry).where(CompetitionEntry.competition_id == competition.id)
    if not rules.can_publish_activity(user):
        select = select.where(CompetitionEntry.state == PUBLISHED)
    if not rules.can_see_entries(user, competition):
        select = select.where(CompetitionEntry.user_id == user.id)
    order = (CompetitionEntry.rank.is_(None), CompetitionEntry.rank, CompetitionEntry.created_at)
    return list(db.session.scalars(select.order_by(*order)))


def live_counts(competition: Competition) -> dict[int, int]:
    """Votes (or judges' total) per entry right now."""
    if competition.judging == Judging.MODERATORS.value:
        select = (sa.select(CompetitionScore.entry_id, sa.func.sum(CompetitionScore.score)).join(CompetitionEntry)
                  .where(CompetitionEntry.competition_id == competition.id).group_by(CompetitionScore.entry_id))
    else:
        select = (sa.select(CompetitionVote.entry_id, sa.func.count())
                  .where(CompetitionVote.competition_id == competition.id).group_by(CompetitionVote.entry_id))
    return {entry_id: int(n) for entry_id, n in db.session.execute(select)}


def listed_competitions(user: User, *, limit: int = 50) -> list[sa.Row]:
    """Competitions newest first; drafts only for those who create activities. Rows of what the activities page
    shows: id, title and the fields ``competition_phase`` reads."""
    return read_connection().execute(_listed_competitions_statement(rules.can_create_activity(user), limit)).all()


@functools.cache
def _listed_competitions_statement(drafts: bool, limit: int) -> sa.Select:
    """Built once per kind of member and limit (the activities page asks on every request)."""
    select = sa.select(Competition.id, Competition.title, Competition.is_published, Competition.closed_at,
                       Competition.entry_opens_at, Competition.entry_closes_at, Competition.voting_opens_at,
                       Competition.voting_closes_at)
    if not drafts:
        select = select.where(Competition.is_published.is_(True))
    return select.order_by(Competition.closed_at.is_not(None), Competition.voting_closes_at.desc()).limit(limit)
