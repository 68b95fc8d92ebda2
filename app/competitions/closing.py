"""Closing competitions (the close_activities job): rank, break ties by a recorded seeded draw, award, announce.

The draw is reproducible: sort the entry ids, shuffle them with random.Random(seed); an entry's position in
that shuffle orders it among entries with the same score. The seed and the whole ranking go to the audit log.
"""
from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from app import audit
from app.competitions.models import Competition, CompetitionEntry, Judging
from app.competitions.services import live_counts
from app.db import ContentState
from app.extensions import db
from app.forum import services as forum
from app.forum.models import Thread
from app.members.models import User
from app.members.notifications import notify
from app.points.badges import grant_badge
from app.points.services import award_points
from app.security import policy
from app.security.roles import Permission, Role, role_has


@dataclass(frozen=True)
class Placing:
    entry_id: int
    score: int
    draw: int  # position in the seeded shuffle; decides between equal scores
    rank: int
    is_winner: bool


def draw_positions(entry_ids: list[int], seed: int) -> dict[int, int]:
    """Each entry's position in the seeded shuffle of the sorted ids."""
    order = sorted(entry_ids)
    random.Random(seed).shuffle(order)
    return {entry_id: position for position, entry_id in enumerate(order)}


def rank(scores: dict[int, int], seed: int, winner_count: int) -> list[Placing]:
    """Order by score (highest first), ties by the draw; the first ``winner_count`` with a score > 0 win."""
    draw = draw_positions(list(scores), seed)
    ordered = sorted(scores, key=lambda entry_id: (-scores[entry_id], draw[entry_id]))
    return [Placing(entry_id, scores[entry_id], draw[entry_id], position, position <= winner_count
                    and scores[entry_id] > 0) for position, entry_id in enumerate(ordered, start=1)]


def close_due_competitions(now: datetime) -> int:
    """Close every published competition whose voting has ended; returns how many closed (idempotent)."""
    due = db.session.scalars(sa.select(Competition).where(
        Competition.is_published.is_(True), Competition.closed_at.is_(None), Competition.voting_closes_at <= now)
        .order_by(Competition.id)).all()
    return sum(1 for competition in due if close_competition(competition, now=now))


def close_competition(competition: Competition, *, now: datetime, seed: int | None = None) -> bool:
    """Rank, mark winners, award points and badges, notify entrants and announce in the thread, once."""
    claimed = db.session.execute(
        sa.update(Competition).where(Competition.id == competition.id, Competition.closed_at.is_(None))
        .values(closed_at=now).execution_options(synchronize_session=False)).rowcount
    if not claimed:
        return False  # closed before (or by a parallel run)
    db.session.refresh(competition)
    seed = secrets.randbits(48) if seed is None else seed
    competition.draw_seed = seed
    entries = {e.id: e for e in db.session.scalars(sa.select(CompetitionEntry).where(
        CompetitionEntry.competition_id == competition.id, CompetitionEntry.state == ContentState.PUBLISHED.value))}
    counts = live_counts(competition)
    placings = rank({entry_id: counts.get(entry_id, 0) for entry_id in entries}, seed, competition.winner_count)
    for placing in placings:
        entry = entries[placing.entry_id]
        entry.score, entry.rank, entry.is_winner = placing.score, placing.rank, placing.is_winner
    scores = [p.score for p in placings]
    ties_drawn = len(scores) != len(set(scores))
    _reward_and_notify(competition, entries, placings, now)
    _notify_withdrawn(competition)
    _announce(competition, entries, placings, seed if ties_drawn else None, now)
    audit.record(None, "competition.close", competition, job="close_activities", after={
        "seed": seed, "judging": competition.judging,
        "ties_drawn": ties_drawn,
        "ranking": [vars(p) for p in placings],
        "winners": [p.entry_id for p in placings if p.is_winner],
    })
    return True


def _reward_and_notify(competition: Competition, entries: dict[int, CompetitionEntry], placings: list[Placing],
                       now: datetime) -> None:
    url = f"/competitions/{competition.id}"
    for placing in placings:
        entry = entries[placing.entry_id]
        user = db.session.get(User, entry.user_id) if entry.user_id else None
        if user is None:
            continue
        if placing.is_winner:
            award_points(user, competition.win_points, "competition_win", ref_type="competition_entry",
                         ref_id=entry.id, now=now)
            grant_badge(user, "competition_winner", now=now)
        with force_locale(user.locale or "en"):
            text = (_("You won “%(title)s” (place %(rank)d)! Congratulations.", title=competition.title,
                      rank=placing.rank) if placing.is_winner else
                    _("“%(title)s” has closed: your entry placed %(rank)d of %(n)d.", title=competition.title,
                      rank=placing.rank, n=len(placings)))
        notify(user.id, "competition", text, url=url)


def _notify_withdrawn(competition: Competition) -> None:
    """Entrants whose entry the hosts hid hear about the close too (their entry took no part)."""
    hidden = db.session.scalars(sa.select(CompetitionEntry).where(
        CompetitionEntry.competition_id == competition.id, CompetitionEntry.state != ContentState.PUBLISHED.value,
        CompetitionEntry.user_id.is_not(None)).order_by(CompetitionEntry.id))
    for entry in hidden:
        user = db.session.get(User, entry.user_id)
        with force_locale(user.locale or "en"):
            text = _("“%(title)s” has closed. Your entry was withdrawn by the hosts, so it was not ranked.",
                     title=competition.title)
        notify(user.id, "competition", text, url=f"/competitions/{competition.id}")


def _announcer(competition: Competition) -> User | None:
    """The host who published it, or else the longest-serving host; None when there is no host."""
    thread = db.session.get(Thread, competition.thread_id) if competition.thread_id else None
    if thread is None:
        return None
    candidates = [db.session.get(User, competition.published_by_id)] if competition.published_by_id else []
    host_roles = [r.value for r in Role if role_has(r, Permission.MODERATE)]
    candidates += db.session.scalars(sa.select(User).where(User.role.in_(host_roles)).order_by(User.id)).all()
    return next((u for u in candidates if u is not None and u.is_host and policy.can_reply(u, thread)), None)


def _announcement(competition: Competition, entries: dict[int, CompetitionEntry], placings: list[Placing],
                  draw_seed: int | None) -> str:
    """The results post; ``draw_seed`` is given when a draw ordered equal scores, so the post names it."""
    if not placings:
        return _("**“%(title)s” has closed.** There were no entries this time.", title=competition.title)
    winners = [p for p in placings if p.is_winner]
    if not winners:
        return _("**“%(title)s” has closed.** No votes were cast, so there is no winner this time.",
                 title=competition.title)
    by_votes = competition.judging == Judging.MEMBERS.value
    lines = [_("**Results of “%(title)s”**", title=competition.title), ""]
    for placing in winners:
        entry = entries[placing.entry_id]
        amount = (ngettext("%(num)d vote", "%(num)d votes", placing.score) if by_votes
                  else ngettext("%(num)d point from the judges", "%(num)d points from the judges", placing.score))
        lines.append(f"{placing.rank}. 🏆 " + _("“%(title)s” by %(name)s — %(amount)s", title=entry.title,
                                                  name=entry.author_name, amount=amount))
    lines += ["", ngettext("%(num)d entry took part.", "%(num)d entries took part.", len(placings))]
    if draw_seed is not None:
        lines.append(_("Equal scores were ordered by a recorded random draw (seed %(seed)d).", seed=draw_seed))
    lines += ["", _("[See every entry](/competitions/%(id)d). Thank you all for taking part!", id=competition.id)]
    return "\n".join(lines)


def _announce(competition: Competition, entries: dict[int, CompetitionEntry], placings: list[Placing],
              draw_seed: int | None, now: datetime) -> None:
    host = _announcer(competition)
    if host is None:
        return
    with force_locale(host.locale or "en"):
        body = _announcement(competition, entries, placings, draw_seed)
    forum.reply(db.session.get(Thread, competition.thread_id), author=host, body=body, now=now)
