"""Polls: create (researchers draft, hosts publish), vote and change the ballot until close, results, closing."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from app.core.exceptions import DomainError
from app.db import utcnow
from app.extensions import db
from app.forum.models import Thread
from app.members.models import User
from app.moderation import audit
from app.polls.models import Ballot, BallotChoice, Poll, PollOption, ResultsVisibility
from app.security.roles import Permission
from app.text.markup import TextError, clean_line


def _clean(text: str, field: str) -> str:
    try:
        return clean_line(text or "")
    except TextError as error:
        raise DomainError(str(error), field) from error


def create_poll(thread: Thread, *, by: User, question: str, options: list[str], is_multiple: bool = False,
                max_choices: int = 1, closes_at: datetime | None = None,
                results_visibility: str = ResultsVisibility.ALWAYS.value) -> Poll:
    """Attach a poll to a thread; hosts' polls are live at once, researchers' wait for a host."""
    if not by.can(Permission.CREATE_ACTIVITY):
        raise DomainError(_("You cannot create polls."))
    question = _clean(question, "question")
    if not 3 <= len(question) <= 300:
        raise DomainError(_("A question has 3 to 300 characters."), "question")
    texts = [t for t in (_clean(o, "options") for o in options) if t]
    if not 2 <= len(texts) <= 20:
        raise DomainError(_("A poll has 2 to 20 options."), "options")
    if len({t.casefold() for t in texts}) != len(texts):
        raise DomainError(_("Options must differ from each other."), "options")
    if results_visibility not in {v.value for v in ResultsVisibility}:
        raise DomainError(_("Choose when results are shown."), "results_visibility")
    max_choices = max(1, min(max_choices, len(texts))) if is_multiple else 1
    if closes_at is not None and closes_at <= utcnow():
        raise DomainError(_("The closing time must be in the future."), "closes_at")
    poll = Poll(thread_id=thread.id, question=question, is_multiple=is_multiple, max_choices=max_choices,
                closes_at=closes_at, results_visibility=results_visibility, created_by_id=by.id,
                is_published=by.can(Permission.PUBLISH_ACTIVITY))
    poll.options = [PollOption(position=i, text=t) for i, t in enumerate(texts)]
    db.session.add(poll)
    db.session.flush()
    audit.record(by, "poll.create", poll, after={"question": question, "published": poll.is_published})
    return poll


def publish_poll(poll: Poll, *, by: User) -> bool:
    if not by.can(Permission.PUBLISH_ACTIVITY):
        raise DomainError(_("Only hosts can publish polls."))
    if poll.is_published:
        return False
    poll.is_published = True
    audit.record(by, "poll.publish", poll)
    return True


def ballot_of(poll: Poll, user: User) -> Ballot | None:
    return db.session.scalar(sa.select(Ballot).where(Ballot.poll_id == poll.id, Ballot.user_id == user.id))


def chosen_options(ballot: Ballot | None) -> set[int]:
    if ballot is None:
        return set()
    return set(db.session.scalars(sa.select(BallotChoice.option_id).where(BallotChoice.ballot_id == ballot.id)))


def vote(poll: Poll, *, user: User, option_ids: list[int], now: datetime | None = None) -> Ballot:
    """Cast or change the member's ballot; one ballot per member even under concurrent submits."""
    now = now or utcnow()
    if not user.can(Permission.POST):
        raise DomainError(_("Researchers observe; they do not vote."))
    if not poll.is_published or poll.is_closed or (poll.closes_at and poll.closes_at <= now):
        raise DomainError(_("This poll is closed."))
    valid = {o.id for o in poll.options}
    chosen = list(dict.fromkeys(int(i) for i in option_ids))
    if not chosen or not set(chosen) <= valid:
        raise DomainError(_("Choose an option."), "options")
    if len(chosen) > poll.max_choices:
        raise DomainError(_("Choose at most %(n)d options.", n=poll.max_choices), "options")
    ballot = ballot_of(poll, user)
    if ballot is None:
        try:
            with db.session.begin_nested():
                ballot = Ballot(poll_id=poll.id, user_id=user.id, created_at=now, updated_at=now)
                db.session.add(ballot)
            db.session.execute(sa.update(Poll).where(Poll.id == poll.id).values(voter_count=Poll.voter_count + 1))
        except sa.exc.IntegrityError:  # a parallel request won the race: change that ballot instead
            ballot = ballot_of(poll, user)
    ballot.updated_at = now
    db.session.execute(sa.delete(BallotChoice).where(BallotChoice.ballot_id == ballot.id))
    db.session.execute(sa.insert(BallotChoice), [{"ballot_id": ballot.id, "option_id": i} for i in chosen])
    db.session.flush()
    return ballot


@dataclass
class OptionResult:
    option: PollOption
    votes: int
    percent: float


def results(poll: Poll) -> tuple[list[OptionResult], int]:
    """Votes and percentage (of voters) per option, and the number of voters."""
    counts = dict(db.session.execute(
        sa.select(BallotChoice.option_id, sa.func.count()).join(Ballot, BallotChoice.ballot_id == Ballot.id)
        .where(Ballot.poll_id == poll.id).group_by(BallotChoice.option_id)).all())
    voters = db.session.scalar(sa.select(sa.func.count()).select_from(Ballot).where(Ballot.poll_id == poll.id)) or 0
    return [OptionResult(o, counts.get(o.id, 0), round(100 * counts.get(o.id, 0) / voters, 1) if voters else 0.0)
            for o in poll.options], voters


def can_see_results(poll: Poll, user: User, *, has_voted: bool) -> bool:
    if user.can(Permission.MODERATE) or user.can(Permission.RESEARCH):
        return True
    if poll.results_visibility == ResultsVisibility.ALWAYS.value:
        return True
    if poll.results_visibility == ResultsVisibility.AFTER_VOTE.value:
        return has_voted or poll.is_closed
    return poll.is_closed


def close_poll(poll: Poll, *, by: User | None, now: datetime | None = None) -> bool:
    if poll.is_closed:
        return False
    poll.closed_at = now or utcnow()
    audit.record(by, "poll.close", poll, job=None if by else "close_activities")
    return True


def close_due_polls(now: datetime) -> int:
    """The close_activities step for polls: close every poll past its closing time (idempotent)."""
    due = db.session.scalars(sa.select(Poll).where(Poll.closed_at.is_(None), Poll.closes_at.is_not(None),
                                                   Poll.closes_at <= now)).all()
    for poll in due:
        close_poll(poll, by=None, now=now)
    return len(due)


def polls_for_thread(thread_id: int, user: User) -> list[Poll]:
    select = sa.select(Poll).where(Poll.thread_id == thread_id).order_by(Poll.id)
    if not user.can(Permission.CREATE_ACTIVITY):
        select = select.where(Poll.is_published.is_(True))
    return list(db.session.scalars(select))
