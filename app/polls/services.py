"""Polls: create (researchers draft, hosts publish), vote and change the ballot until close, results, closing."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from app import audit
from app.core.exceptions import DomainError
from app.db import utcnow
from app.extensions import db, read_connection
from app.forum import services as forum
from app.forum.models import Category, Thread
from app.forum.queries import visible_threads_for
from app.members.models import User
from app.points.rules import setting as points_setting
from app.points.services import award_points
from app.polls.models import Ballot, BallotChoice, Poll, PollOption, ResultsVisibility
from app.security import activity_policy as rules
from app.security import policy
from app.security.roles import Permission
from app.text.markup import TextError, clean_line

MAX_OPTIONS = 20


def _clean(text: str, field: str) -> str:
    try:
        return clean_line(text or "")
    except TextError as error:
        raise DomainError(str(error), field) from error


def create_poll(thread: Thread, *, by: User, question: str, options: list[str], is_multiple: bool = False,
                max_choices: int = 1, closes_at: datetime | None = None,
                results_visibility: str = ResultsVisibility.ALWAYS.value, now: datetime | None = None) -> Poll:
    """Attach a poll to a thread; hosts' polls are live at once, researchers' wait for a host."""
    if not rules.can_create_activity(by):
        raise DomainError(_("You cannot create polls."))
    question = _clean(question, "question")
    if not 3 <= len(question) <= 300:
        raise DomainError(_("A question has 3 to 300 characters."), "question")
    texts = [t for t in (_clean(o, "options") for o in options) if t]
    if not 2 <= len(texts) <= MAX_OPTIONS:
        raise DomainError(_("A poll has 2 to 20 options."), "options")
    if any(len(t) > 200 for t in texts):
        raise DomainError(_("An option has at most 200 characters."), "options")
    if len({t.casefold() for t in texts}) != len(texts):
        raise DomainError(_("Options must differ from each other."), "options")
    if results_visibility not in {v.value for v in ResultsVisibility}:
        raise DomainError(_("Choose when results are shown."), "results_visibility")
    if is_multiple and not 1 <= max_choices <= len(texts):
        raise DomainError(_("Members can choose between 1 and %(n)d options.", n=len(texts)), "max_choices")
    if closes_at is not None and closes_at <= (now or utcnow()):
        raise DomainError(_("The closing time must be in the future."), "closes_at")
    poll = Poll(thread_id=thread.id, question=question, is_multiple=is_multiple,
                max_choices=max_choices if is_multiple else 1, closes_at=closes_at,
                results_visibility=results_visibility, created_by_id=by.id,
                is_published=rules.can_publish_activity(by))
    poll.options = [PollOption(position=i, text=t) for i, t in enumerate(texts)]
    db.session.add(poll)
    db.session.flush()
    audit.record(by, "poll.create", poll, after={"question": question, "thread_id": thread.id,
                                                 "published": poll.is_published})
    return poll


def start_poll_thread(category: Category, *, by: User, title: str, body: str, **poll_fields) -> Poll:
    """Open a new thread with a poll attached (hosts only: researchers attach drafts to existing threads)."""
    if not rules.can_start_poll_thread(by):
        raise DomainError(_("You cannot start a thread with a poll."))
    thread = forum.start_thread(category, author=by, title=title, body=body)
    return create_poll(thread, by=by, **poll_fields)


def publish_poll(poll: Poll, *, by: User) -> bool:
    """Publish a researcher's draft poll; False if it already is."""
    if not rules.can_publish_activity(by):
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


def _check_choice(poll: Poll, option_ids: list[int]) -> list[int]:
    valid = {o.id for o in poll.options}
    chosen = list(dict.fromkeys(int(i) for i in option_ids))
    if not chosen or not set(chosen) <= valid:
        raise DomainError(_("Choose an option."), "options")
    if len(chosen) > poll.max_choices:
        raise DomainError(_("Choose at most %(n)d options.", n=poll.max_choices), "options")
    return chosen


def vote(poll: Poll, *, user: User, option_ids: list[int], now: datetime | None = None) -> Ballot:
    """Cast or change the member's ballot; one ballot per member even under concurrent submits."""
    now = now or utcnow()
    if not rules.can_vote(user, poll, now):
        if not user.can(Permission.POST):
            raise DomainError(_("Researchers observe; they do not vote."))
        raise DomainError(_("This poll is closed.") if poll.is_published else _("This poll is not published yet."))
    chosen = _check_choice(poll, option_ids)
    ballot = ballot_of(poll, user)
    if ballot is None:
        try:
            with db.session.begin_nested():
                ballot = Ballot(poll_id=poll.id, user_id=user.id, created_at=now, updated_at=now)
                db.session.add(ballot)
        except sa.exc.IntegrityError:  # a parallel request won the race: change that ballot instead
            ballot = ballot_of(poll, user)
        else:
            db.session.execute(sa.update(Poll).where(Poll.id == poll.id).values(voter_count=Poll.voter_count + 1))
            award_points(user, int(points_setting("points.poll_vote")), "poll_vote", ref_type="poll", ref_id=poll.id,
                         now=now)
    ballot.updated_at = now
    db.session.flush()  # the UPDATE locks the ballot row, so parallel changes of one ballot take turns
    db.session.execute(sa.delete(BallotChoice).where(BallotChoice.ballot_id == ballot.id))
    db.session.execute(sa.insert(BallotChoice), [{"ballot_id": ballot.id, "option_id": i} for i in chosen])
    db.session.flush()
    return ballot


@dataclass
class OptionResult:
    option: PollOption
    votes: int
    percent: float


def percent(part: int, whole: int) -> float:
    """``part`` as a percentage of ``whole``, to one decimal (0 when there is no whole)."""
    return round(100 * part / whole, 1) if whole else 0.0


def results(poll: Poll) -> tuple[list[OptionResult], int]:
    """Votes and percentage (of voters) per option, and the number of voters."""
    counts = dict(db.session.execute(
        sa.select(BallotChoice.option_id, sa.func.count()).join(Ballot, BallotChoice.ballot_id == Ballot.id)
        .where(Ballot.poll_id == poll.id).group_by(BallotChoice.option_id)).all())
    voters = db.session.scalar(sa.select(sa.func.count()).select_from(Ballot).where(Ballot.poll_id == poll.id)) or 0
    return [OptionResult(o, counts.get(o.id, 0), percent(counts.get(o.id, 0), voters)) for o in poll.options], voters


def close_poll(poll: Poll, *, by: User | None, now: datetime | None = None) -> bool:
    """Close a poll now (a host) or at its closing time (the job); False if already closed."""
    if poll.is_closed:
        return False
    poll.closed_at = now or utcnow()
    audit.record(by, "poll.close", poll, job=None if by else "close_activities")
    return True


def close_due_polls(now: datetime) -> int:
    """The close_activities step for polls: close every poll past its closing time (idempotent)."""
    due = db.session.scalars(sa.select(Poll).where(Poll.closed_at.is_(None), Poll.closes_at.is_not(None),
                                                   Poll.closes_at <= now).order_by(Poll.id)).all()
    for poll in due:
        close_poll(poll, by=None, now=poll.closes_at)
    return len(due)


# Built once: every thread page asks, and building the statement costs more than running it.
_THREAD_POLLS = {
    drafts: sa.select(Poll).where(Poll.thread_id == sa.bindparam("thread_id"),
                                  sa.true() if drafts else Poll.is_published.is_(True)).order_by(Poll.id)
    for drafts in (False, True)
}


_THREAD_HAS_POLLS = sa.select(Poll.id).where(Poll.thread_id == sa.bindparam("thread_id")).limit(1)


def thread_has_polls(thread_id: sa.ColumnElement) -> sa.ColumnElement[bool]:
    """Whether the thread ``thread_id`` (a column or a bound parameter) has any poll, drafts included (a column of
    the thread page's row)."""
    return sa.select(Poll.id).where(Poll.thread_id == thread_id).exists()


def polls_for_thread(thread_id: int, user: User, *, has_polls: bool | None = None) -> list[Poll]:
    """The thread's polls the member may see (drafts only for those who create activities).

    Most threads have none: ``has_polls`` when the caller read it already (``thread_has_polls``), else a
    plain-row check on the session's connection answers that without the ORM's per-query work, and only a
    thread with a poll loads them as objects."""
    if has_polls is False:
        return []
    if has_polls is None and read_connection().execute(_THREAD_HAS_POLLS, {"thread_id": thread_id}).first() is None:
        return []
    statement = _THREAD_POLLS[rules.can_create_activity(user)]
    return list(db.session.scalars(statement, {"thread_id": thread_id}))


# What the activities page shows of each poll, read as plain rows.
_LISTED_POLL_COLUMNS = (Poll.id, Poll.thread_id, Poll.question, Poll.is_published, Poll.voter_count, Poll.closes_at)


@functools.cache
def _listed_polls_statement(hosting: bool, drafts: bool, limit: int) -> sa.Select:
    """The activities page's open and ended polls in one statement (``ended`` tells them apart, ``place`` keeps
    each list's order), built once per kind of member and limit (bound: the member's id as ``user_id`` and the
    time as ``now``)."""
    # Each poll's own thread looked up (EXISTS on the thread's key), not ``thread_id IN (visible threads)`` nor a
    # join: with either, SQLite walked every visible thread of the community (40 ms at 50,000 threads) to find
    # the few that have polls.
    thread_visible = (visible_threads_for(hosting).with_only_columns(sa.literal(1), maintain_column_froms=True)
                      .where(Thread.id == Poll.thread_id).order_by(None).exists())
    select = sa.select(*_LISTED_POLL_COLUMNS).where(thread_visible)
    if not drafts:
        select = select.where(Poll.is_published.is_(True))
    # A poll without a closing time is open until a host closes it (``closes_at <= now`` alone is NULL for it, and
    # NOT NULL left it out of both lists).
    now = sa.bindparam("now")
    ended = sa.or_(Poll.closed_at.is_not(None), sa.and_(Poll.closes_at.is_not(None), Poll.closes_at <= now))
    lists = []
    for is_ended, where, order in ((False, sa.not_(ended), (Poll.closes_at.is_(None), Poll.closes_at, Poll.id.desc())),
                                   (True, ended, (Poll.id.desc(),))):
        lists.append(select.add_columns(sa.literal(is_ended).label("ended"),
                                        sa.func.row_number().over(order_by=order).label("place"))
                     .where(where).order_by(*order).limit(limit).subquery())
    both = sa.union_all(*(sa.select(listed) for listed in lists)).subquery()
    return sa.select(both).order_by(both.c.ended, both.c.place)


def listed_polls(user: User, now: datetime, *, limit: int = 30) -> tuple[list[sa.Row], list[sa.Row]]:
    """Open polls (closing soonest first) and recently ended ones, in threads the member can see, as rows (id,
    thread_id, question, is_published, voter_count, closes_at), in one query."""
    statement = _listed_polls_statement(policy.can_moderate(user), rules.can_create_activity(user), limit)
    rows = read_connection().execute(statement, {"user_id": user.id, "now": now}).all()
    return [row for row in rows if not row.ended], [row for row in rows if row.ended]
