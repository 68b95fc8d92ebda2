"""Hosts invite all members or one segment to a poll, task or competition; reminders before it closes.

The invitation is an in-app notification (kind ``activity_new``) per member, so the email follows each member's
preference through the notify hook; the reminder (``activity_closing``) goes only to invited members who have
not taken part by then.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from app import audit
from app.competitions.models import Competition, CompetitionEntry, CompetitionVote
from app.core.exceptions import DomainError
from app.db import utcnow
from app.extensions import db
from app.mailing.models import ActivityInvitation, InvitedMember
from app.members.models import User
from app.members.notifications import BATCH, notify_many
from app.polls.models import Ballot, Poll
from app.security.roles import Permission, Role, role_has
from app.segments.models import MemberSegment, SegmentValue
from app.tasks.models import Task, TaskSubmission

KINDS = ("poll", "task", "competition")
REMIND_BEFORE = timedelta(hours=24)


@dataclass(frozen=True)
class Activity:
    kind: str
    id: int
    title: str
    url: str
    is_open: bool
    closes_at: datetime | None


def load_activity(kind: str, activity_id: int, now: datetime | None = None) -> Activity | None:
    """The poll, task or competition as an invitation needs it; None when there is no such activity."""
    now = now or utcnow()
    if kind == "poll" and (poll := db.session.get(Poll, activity_id)):
        return Activity(kind, poll.id, poll.question, f"/t/{poll.thread_id}", poll.is_published and
                        poll.closed_at is None, poll.closes_at)
    if kind == "task" and (task := db.session.get(Task, activity_id)):
        return Activity(kind, task.id, task.title, f"/tasks/{task.id}", task.is_published and task.due_at > now,
                        task.due_at)
    if kind == "competition" and (competition := db.session.get(Competition, activity_id)):
        closes = competition.entry_closes_at if now < competition.entry_closes_at else competition.voting_closes_at
        return Activity(kind, competition.id, competition.title, f"/competitions/{competition.id}",
                        competition.is_published and competition.voting_closes_at > now, closes)
    return None


def audience(segment_value_id: int | None, now: datetime | None = None) -> sa.Select:
    """The ids of the members an invitation reaches: participating members (not hosts or researchers), not
    suspended, consent not withdrawn, in the segment if one is given."""
    now = now or utcnow()
    roles = [r.value for r in Role if role_has(r, Permission.POST) and not role_has(r, Permission.MODERATE)]
    active = sa.or_(User.suspended_at.is_(None), sa.and_(User.suspended_until.is_not(None),
                                                         User.suspended_until <= now))
    select = sa.select(User.id).where(User.role.in_(roles), active, User.consent_withdrawn_at.is_(None))
    if segment_value_id is not None:
        select = select.join(MemberSegment, sa.and_(MemberSegment.user_id == User.id,
                                                    MemberSegment.value_id == segment_value_id))
    return select


def reach(segment_value_id: int | None) -> int:
    """How many members an invitation to this segment (None: everyone) would reach."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(audience(segment_value_id).subquery())) or 0


def _tell(members: list[tuple[int, str | None]], kind: str, activity: Activity, message) -> None:
    """One notification per member, worded in their own language: the text is made once per language and the
    rows are written set-based (``notify_many``), so a large audience costs a few statements per 500 members."""
    texts: dict[str, str] = {}
    items = []
    for user_id, locale in members:
        locale = locale or "en"
        if locale not in texts:
            with force_locale(locale):
                texts[locale] = message(activity)
        items.append((user_id, texts[locale]))
    notify_many(kind, items, url=activity.url)


def invite(activity: Activity, *, segment_value_id: int | None, by: User, now: datetime | None = None
           ) -> ActivityInvitation:
    """Invite the audience to an open activity: a notification (and, by preference, an email) each; audited."""
    if not activity.is_open:
        raise DomainError(_("Only an open, published activity can be sent to members."))
    if segment_value_id is not None and db.session.get(SegmentValue, segment_value_id) is None:
        raise DomainError(_("That segment no longer exists."), "segment")
    members = [tuple(row) for row in db.session.execute(audience(segment_value_id, now).add_columns(User.locale)
                                                         .order_by(User.id))]
    user_ids = [user_id for user_id, _locale in members]
    invitation = ActivityInvitation(activity_kind=activity.kind, activity_id=activity.id,
                                    segment_value_id=segment_value_id, reach=len(user_ids),
                                    created_by_id=by.id, created_at=now or utcnow())
    db.session.add(invitation)
    db.session.flush()
    for start in range(0, len(user_ids), BATCH):  # executemany, a statement per batch
        db.session.execute(sa.insert(InvitedMember), [{"invitation_id": invitation.id, "user_id": u}
                                                      for u in user_ids[start:start + BATCH]])
    _tell(members, "activity_new", activity,
          lambda a: _("You are invited to take part: “%(title)s”.", title=a.title))
    audit.record(by, "activity.invite", invitation, after={"activity": f"{activity.kind}:{activity.id}",
                                                           "segment_value_id": segment_value_id,
                                                           "reach": len(user_ids)})
    return invitation


def _took_part(kind: str, activity_id: int) -> sa.Select:
    tables = {"poll": (Ballot.user_id, Ballot.poll_id), "task": (TaskSubmission.user_id, TaskSubmission.task_id),
              "competition": (CompetitionEntry.user_id, CompetitionEntry.competition_id)}
    user, key = tables[kind]
    select = sa.select(user).where(key == activity_id, user.is_not(None))
    if kind == "competition":
        select = select.union(sa.select(CompetitionVote.user_id).where(CompetitionVote.competition_id == activity_id))
    return select


def send_reminders(now: datetime) -> int:
    """Remind invited members who have not taken part, once, when an activity closes within 24 hours."""
    reminded = 0
    pending = db.session.scalars(sa.select(ActivityInvitation).where(ActivityInvitation.reminded_at.is_(None))
                                 .order_by(ActivityInvitation.id)).all()
    for invitation in pending:
        activity = load_activity(invitation.activity_kind, invitation.activity_id, now)
        if activity is None or not activity.is_open or activity.closes_at is None:
            continue
        if not now < activity.closes_at <= now + REMIND_BEFORE:
            continue
        members = [tuple(row) for row in db.session.execute(
            sa.select(InvitedMember.user_id, User.locale).join(User, User.id == InvitedMember.user_id)
            .where(InvitedMember.invitation_id == invitation.id,
                   InvitedMember.user_id.not_in(_took_part(activity.kind, activity.id)))
            .order_by(InvitedMember.user_id))]
        _tell(members, "activity_closing", activity,
              lambda a: _("“%(title)s” closes within 24 hours, and we would love to hear from you.", title=a.title))
        invitation.reminded_at = now
        reminded += len(members)
    db.session.flush()
    return reminded
