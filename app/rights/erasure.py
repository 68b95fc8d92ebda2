"""Delete my account: a request with a grace period the member (or an admin) may cancel, then erasure by the
``erase_accounts`` job (or an admin's "run now").

Erasure keeps the account row, so everything that points at it stays consistent, but empties it of the person:
email, names and profile go, the password becomes unusable, sessions end, uploads are deleted, and the member
counts as withdrawn from research. Posts stay under a neutral label, or are hidden, as the admins chose.
"""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from app import audit
from app.audit.models import AuditEvent
from app.auth.models import ConsentKind, Invitation
from app.auth.two_factor_models import RecoveryCode, TwoFactor
from app.competitions.models import CompetitionEntry
from app.core.exceptions import DomainError
from app.core.settings import get_setting, set_setting
from app.db import ContentState, utcnow
from app.extensions import db
from app.forum.models import Post, Thread, ThreadRead
from app.members.models import User
from app.members.notifications import Notification
from app.members.passwords import verify_password
from app.members.services import remember_former_name
from app.rights import data_export
from app.rights.consent import is_taking_part, record_consent_event
from app.rights.models import DataExportRequest, ErasureRequest, RequestStatus
from app.security.roles import Role
from app.segments.models import MemberSegment
from app.tasks.models import TaskSubmission
from app.uploads.models import Upload
from app.uploads.services import delete_uploads

GRACE_SETTING = "rights.erasure_grace_days"
POSTS_SETTING = "rights.erased_posts"
DEFAULT_GRACE_DAYS = 7
KEEP, HIDE = "keep", "hide"
JOB = "erase_accounts"
HIDE_REASON = "The author's account was erased."
PLACEHOLDER_DOMAIN = "erased.invalid"  # .invalid never resolves (RFC 2606): nothing can be sent there


def grace_days() -> int:
    return int(get_setting(GRACE_SETTING, DEFAULT_GRACE_DAYS))


def erased_posts_policy() -> str:
    return KEEP if get_setting(POSTS_SETTING, KEEP) != HIDE else HIDE


def pending_erasure(user: User) -> ErasureRequest | None:
    return db.session.scalar(sa.select(ErasureRequest).where(ErasureRequest.user_id == user.id,
                                                             ErasureRequest.status == RequestStatus.PENDING))


def request_erasure(user: User, password: str, *, now: datetime | None = None) -> ErasureRequest:
    """Ask for the account to be erased after the grace period; the password confirms it is the member."""
    if not verify_password(user.password_hash, password or ""):
        raise DomainError(_("That is not your password."), "password")
    if pending_erasure(user) is not None:
        raise DomainError(_("Your account is already due to be deleted."))
    if user.role == Role.ADMIN.value and _admin_count() <= 1:
        raise DomainError(_("You are the only admin: make another member an admin before deleting your account."))
    now = now or utcnow()
    request = ErasureRequest(user_id=user.id, status=RequestStatus.PENDING, requested_at=now,
                             due_at=now + timedelta(days=grace_days()))
    db.session.add(request)
    db.session.flush()
    audit.record(user, "erasure.request", request, after={"due_at": request.due_at.isoformat()})
    return request


def _admin_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.role == Role.ADMIN.value))


def cancel_erasure(request: ErasureRequest, *, by: User, now: datetime | None = None) -> None:
    """Cancel a pending erasure (the member during the grace period, or an admin)."""
    if request.status != RequestStatus.PENDING:
        raise DomainError(_("This deletion request is no longer pending."))
    request.status, request.cancelled_at, request.cancelled_by_id = RequestStatus.CANCELLED, now or utcnow(), by.id
    audit.record(by, "erasure.cancel", request, after={"user_id": request.user_id})


def erase_due_accounts(now: datetime) -> int:
    """The job: erase every account whose grace period has ended; returns how many."""
    due = db.session.scalars(sa.select(ErasureRequest).where(ErasureRequest.status == RequestStatus.PENDING,
                                                             ErasureRequest.due_at <= now)
                             .order_by(ErasureRequest.due_at)).all()
    for request in due:
        erase_account(request, now=now, by=None)
    return len(due)


def erase_now(request: ErasureRequest, *, by: User, now: datetime | None = None) -> None:
    """An admin carries out a pending erasure before its grace period ends."""
    if request.status != RequestStatus.PENDING:
        raise DomainError(_("This deletion request is no longer pending."))
    erase_account(request, now=now or utcnow(), by=by)


def erase_account(request: ErasureRequest, *, now: datetime, by: User | None) -> None:
    """Erase the member named by the request; ``by`` is the admin, or None for the job."""
    user = db.session.get(User, request.user_id)
    policy = erased_posts_policy()
    label = former_member_label(user)
    remember_former_name(user)  # exports keep replacing it where other members wrote it
    if user.real_name:
        remember_former_name(user, user.real_name)  # and the real name, which members write out too
    _relabel_content(user, label)
    if policy == HIDE:
        _hide_content(user, now)
    _delete_uploads(user)
    _delete_personal_rows(user)
    _scrub_account(user, label, now)
    request.status, request.done_at, request.posts_policy = RequestStatus.DONE, now, policy
    audit.record(by, "erasure.done", request, job=None if by else JOB,
                 after={"user_id": user.id, "label": label, "posts": policy})


def former_member_label(user: User) -> str:
    """A neutral display name, unique like every display name."""
    label, n = f"Former member {user.id}", 1
    while db.session.scalar(sa.select(User.id).where(User.display_name_key == label.casefold(), User.id != user.id)):
        n += 1
        label = f"Former member {user.id}-{n}"
    return label


def _relabel_content(user: User, label: str) -> None:
    """Every name shown on the member's content becomes the neutral label."""
    for model, owner in ((Post, Post.author_id), (Thread, Thread.author_id),
                         (TaskSubmission, TaskSubmission.user_id), (CompetitionEntry, CompetitionEntry.user_id)):
        db.session.execute(sa.update(model).where(owner == user.id).values(author_name=label))
    db.session.execute(sa.update(Thread).where(Thread.last_poster_name == user.display_name)
                       .values(last_poster_name=label))
    db.session.execute(sa.update(AuditEvent).where(AuditEvent.actor_id == user.id).values(actor_name=label))


def _hide_content(user: User, now: datetime) -> None:
    """Hide the member's posts and competition entries (kept in the database; only purge deletes). As when a host
    hides it, a hidden opening post takes its thread with it."""
    visible = (ContentState.PUBLISHED.value, ContentState.PENDING.value)
    for post in db.session.scalars(sa.select(Post).where(Post.author_id == user.id, Post.state.in_(visible))):
        post.state, post.hidden_at, post.hidden_by_id, post.hide_reason = ContentState.HIDDEN.value, now, None, HIDE_REASON
        if post.number == 1:
            thread = db.session.get(Thread, post.thread_id)
            thread.state, thread.hidden_at, thread.hidden_by_id, thread.hide_reason = post.state, now, None, HIDE_REASON
    db.session.execute(sa.update(CompetitionEntry).where(CompetitionEntry.user_id == user.id,
                                                         CompetitionEntry.state.in_(visible))
                       .values(state=ContentState.HIDDEN.value, hidden_at=now, hide_reason=HIDE_REASON))


def _delete_uploads(user: User) -> None:
    delete_uploads(list(db.session.scalars(sa.select(Upload).where(Upload.owner_id == user.id))))


def _delete_personal_rows(user: User) -> None:
    """Profile answers, notifications, reading history, two-factor secrets and prepared downloads go."""
    for model in (MemberSegment, Notification, ThreadRead, TwoFactor, RecoveryCode):
        db.session.execute(sa.delete(model).where(model.user_id == user.id))
    for download in db.session.scalars(sa.select(DataExportRequest).where(DataExportRequest.user_id == user.id,
                                                                          DataExportRequest.status.in_(
                                                                              (RequestStatus.PENDING,
                                                                               RequestStatus.READY)))):
        data_export.discard_file(download)
        download.status = RequestStatus.EXPIRED
    _scrub_invitations(user)


def _scrub_invitations(user: User) -> None:
    """The member's address leaves their invitations and the audit records of those invitations."""
    placeholder = f"invitation-{user.id}@{PLACEHOLDER_DOMAIN}"
    invitations = db.session.scalars(sa.select(Invitation).where(sa.or_(Invitation.accepted_user_id == user.id,
                                                                        Invitation.email == user.email))).all()
    events = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.target_type == Invitation.__tablename__,
        AuditEvent.target_id.in_([invitation.id for invitation in invitations]))).all() if invitations else []
    for event in events:
        event.before = _replaced(event.before, user.email, placeholder)
        event.after = _replaced(event.after, user.email, placeholder)
    for invitation in invitations:
        invitation.email = placeholder


def _replaced(record: dict | None, old: str, new: str) -> dict | None:
    """A copy of an audit record's before/after with ``old`` replaced by ``new`` (a new dict, so it is saved)."""
    return {key: new if value == old else value for key, value in record.items()} if record else record


def _scrub_account(user: User, label: str, now: datetime) -> None:
    """The account row keeps only what the community's records need: no email, name, profile or password."""
    if is_taking_part(user):  # erased members count as withdrawn from research
        user.consent_withdrawn_at = now
        record_consent_event(user, ConsentKind.WITHDRAWN, user.consent_version, now=now)
    user.email = f"erased-{user.id}@{PLACEHOLDER_DOMAIN}"
    user.set_display_name(label)
    user.real_name = user.host_persona = user.avatar_name = user.locale = user.last_seen_at = None
    user.timezone, user.is_vip, user.role = "UTC", False, Role.MEMBER.value
    user.password_hash = f"!erased:{secrets.token_hex(16)}"  # not an argon2 hash: no password matches it
    user.rotate_session_token()


def set_rights_settings(*, grace: int, posts: str, by: User) -> bool:
    """Store the grace period and what happens to erased members' posts; audited; False when nothing changed."""
    if posts not in (KEEP, HIDE) or not 0 <= grace <= 90:
        raise DomainError(_("Choose a grace period of 0 to 90 days and what happens to the posts."))
    before = {GRACE_SETTING: grace_days(), POSTS_SETTING: erased_posts_policy()}
    after = {GRACE_SETTING: grace, POSTS_SETTING: posts}
    if before == after:
        return False
    for key, value in after.items():
        set_setting(key, value, by=by)
    audit.record(by, "settings.member_rights", None, before=before, after=after)
    return True
