"""The points ledger: idempotent awards, hosts' grants and revokes, VIP status, and the cached balance."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value

from app import audit
from app.core.exceptions import DomainError
from app.db import utcnow
from app.extensions import db
from app.members.levels import level_for
from app.members.models import User
from app.members.notifications import notify
from app.points import badges
from app.points.models import PointEvent
from app.security.activity_policy import can_adjust_points, earns_points


def award_points(user: User, amount: int, reason: str, *, ref_type: str | None = None, ref_id: int | None = None,
                 key: str | None = None, note: str | None = None, now: datetime | None = None) -> PointEvent | None:
    """Award points once per (member, key); the key defaults to reason:ref_type:ref_id when a reference is given.

    Returns the new ledger row, or None when the member does not earn points, the amount is 0 or the award
    was already made (also by a concurrent request: the unique constraint decides).
    """
    if not amount or not earns_points(user):
        return None
    if key is None and ref_type is not None and ref_id is not None:
        key = f"{reason}:{ref_type}:{ref_id}"
    if key is not None and db.session.scalar(
            sa.select(PointEvent.id).where(PointEvent.user_id == user.id, PointEvent.key == key)):
        return None
    event = PointEvent(user_id=user.id, amount=amount, reason=reason, ref_type=ref_type, ref_id=ref_id, key=key,
                       note=note, created_at=now or utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(event)
    except sa.exc.IntegrityError:
        return None
    _apply(user, event)
    return event


def record_points(user: User, amount: int, reason: str, *, ref_type: str | None = None, ref_id: int | None = None,
                  note: str | None = None, by: User | None = None, now: datetime | None = None) -> PointEvent:
    """Add a ledger row without an idempotency key (corrections, hosts' grants); the caller checks the rules."""
    event = PointEvent(user_id=user.id, amount=amount, reason=reason, ref_type=ref_type, ref_id=ref_id, note=note,
                       created_by_id=getattr(by, "id", None), created_at=now or utcnow())
    db.session.add(event)
    db.session.flush()
    _apply(user, event)
    return event


def follow_state(user: User, *, ref_type: str, ref_id: int, live: bool, removed: str, restored: str,
                 now: datetime | None = None) -> list[int]:
    """Take an item's points back while hosts hide it, give them back when restored; idempotent.

    Returns the item's ledger amounts as they were before (empty: it never earned anything).
    """
    amounts = list(db.session.scalars(sa.select(PointEvent.amount).where(
        PointEvent.user_id == user.id, PointEvent.ref_type == ref_type, PointEvent.ref_id == ref_id)))
    net = sum(amounts)
    if not live and net > 0:
        record_points(user, -net, removed, ref_type=ref_type, ref_id=ref_id, now=now)
    elif live and net == 0 and amounts and max(amounts) > 0:
        record_points(user, max(amounts), restored, ref_type=ref_type, ref_id=ref_id, now=now)
    return amounts


def _apply(user: User, event: PointEvent) -> None:
    """Move the cached balance with the ledger (atomically in SQL); announce a new level; check badges."""
    new = db.session.execute(
        sa.update(User).where(User.id == user.id).values(points=User.points + event.amount).returning(User.points)
        .execution_options(synchronize_session=False)).scalar_one()
    set_committed_value(user, "points", new)
    before, after = level_for(new - event.amount), level_for(new)
    if after.number > before.number:
        with force_locale(user.locale or "en"):
            text = _("You reached level %(n)d: %(name)s.", n=after.number, name=str(after.name))
        notify(user.id, "level", text, url=f"/u/{user.id}")
    badges.check_after_points(user, event.reason)


def adjust_points(member: User, amount: int, *, by: User, reason: str) -> PointEvent:
    """A host grants (amount > 0) or takes back (amount < 0) points with a reason; audited, member notified."""
    if not can_adjust_points(by, member):
        raise DomainError(_("You cannot change this member's points."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason."), "reason")
    if not amount or abs(amount) > 10_000:
        raise DomainError(_("Choose between 1 and 10,000 points."), "amount")
    if amount < 0 and member.points + amount < 0:
        raise DomainError(_("A member's points cannot go below zero (they have %(n)d).", n=member.points), "amount")
    before = member.points
    event = record_points(member, amount, "moderator_grant" if amount > 0 else "moderator_revoke", note=reason[:500],
                          by=by)
    audit.record(by, "points.grant" if amount > 0 else "points.revoke", member, reason=reason,
                 before={"points": before}, after={"points": member.points, "amount": amount})
    with force_locale(member.locale or "en"):
        text = (ngettext("The hosts gave you %(num)d point: %(reason)s", "The hosts gave you %(num)d points: %(reason)s", amount, reason=reason) if amount > 0 else
                ngettext("The hosts took back %(num)d point: %(reason)s", "The hosts took back %(num)d points: %(reason)s", -amount, reason=reason))
    notify(member.id, "points", text, url=f"/u/{member.id}/points", actor=by)
    return event


def set_vip(member: User, is_vip: bool, *, by: User, reason: str) -> bool:
    """Grant or remove VIP (key opinion consumer) status with a reason; audited. False when unchanged."""
    if not can_adjust_points(by, member):
        raise DomainError(_("Only hosts can change VIP status, and only for members."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason."), "reason")
    if member.is_vip == is_vip:
        return False
    member.is_vip = is_vip
    audit.record(by, "user.vip_grant" if is_vip else "user.vip_remove", member, reason=reason,
                 before={"is_vip": not is_vip}, after={"is_vip": is_vip})
    if is_vip:
        with force_locale(member.locale or "en"):
            notify(member.id, "vip", _("You are now a VIP of the community. Thank you!"), url=f"/u/{member.id}",
                   actor=by)
    return True


def ledger_balance(user_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(PointEvent.amount), 0))
                             .where(PointEvent.user_id == user_id)) or 0


def rebuild_balances() -> int:
    """Set every cached balance from the ledger (repair after a bulk load); returns how many changed."""
    totals = sa.select(sa.func.coalesce(sa.func.sum(PointEvent.amount), 0)).where(
        PointEvent.user_id == User.id).scalar_subquery()
    return db.session.execute(sa.update(User).where(User.points != totals).values(points=totals)
                              .execution_options(synchronize_session=False)).rowcount


def history(user: User, *, limit: int = 100) -> list[PointEvent]:
    return list(db.session.scalars(sa.select(PointEvent).where(PointEvent.user_id == user.id)
                                   .order_by(PointEvent.created_at.desc(), PointEvent.id.desc()).limit(limit)))
