"""Accounts: invitations, registration with consent, authentication and password reset."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app import audit
from app.auth.models import ConsentDocument, ConsentEvent, ConsentKind, Invitation
from app.core.exceptions import DomainError
from app.db import utcnow
from app.extensions import db
from app.members.accounts import check_display_name, check_password_strength
from app.members.models import User
from app.members.passwords import dummy_verify, hash_password, verify_password
from app.members.queries import find_user_by_email, normalise_email
from app.security import policy
from app.security.roles import Role
from app.segments.services import set_values
from app.text.fields import markdown_html


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(email: str, display_name: str, password: str, *, role: str = Role.MEMBER.value,
                host_persona: str | None = None) -> User:
    """Create an account directly (CLI and demo data); registration goes through ``accept_invitation``."""
    email = normalise_email(email)
    if find_user_by_email(email):
        raise DomainError(_("An account with that email already exists."), "email")
    name = check_display_name(display_name, role=role)
    user = User(email=email, role=Role(role).value, password_hash=hash_password(password),
                host_persona=host_persona, created_at=utcnow())
    user.set_display_name(name)
    db.session.add(user)
    db.session.flush()
    return user


def current_consent() -> ConsentDocument | None:
    return db.session.scalar(sa.select(ConsentDocument).order_by(ConsentDocument.version.desc()).limit(1))


def publish_consent(body: str, *, by: User | None) -> ConsentDocument:
    """Publish a new version of the consent text; new members agree to it from now on."""
    body_html = markdown_html(body, "body")
    latest = current_consent()
    doc = ConsentDocument(version=(latest.version + 1) if latest else 1, body=body,
                          body_html=body_html, created_by_id=getattr(by, "id", None))
    db.session.add(doc)
    db.session.flush()
    if by is not None:
        audit.record(by, "consent.publish", doc, after={"version": doc.version})
    return doc


def create_invitation(email: str, *, role: str = Role.MEMBER.value, by: User | None) -> tuple[Invitation, str]:
    """Create an invitation and return it with its one-time token (only its hash is stored)."""
    email = normalise_email(email)
    if by is not None and not policy.can_invite(by, role):
        raise DomainError(_("You may not invite people with that role."), "role")
    if find_user_by_email(email):
        raise DomainError(_("%(email)s is already a member.", email=email), "email")
    for old in db.session.scalars(sa.select(Invitation).where(Invitation.email == email)):
        if old.is_usable:
            old.revoked_at = utcnow()  # one open invitation per address
    token = secrets.token_urlsafe(32)
    now = utcnow()
    invitation = Invitation(
        email=email, role=Role(role).value, token_hash=hash_token(token), invited_by_id=getattr(by, "id", None),
        created_at=now, expires_at=now + timedelta(days=current_app.config["INVITATION_DAYS"]),
    )
    db.session.add(invitation)
    db.session.flush()
    if by is not None:
        audit.record(by, "invitation.create", invitation, after={"email": email, "role": invitation.role})
    return invitation, token


def renew_invitation_token(invitation: Invitation, *, by: User) -> str:
    """Resend: a fresh token and expiry; the old link stops working."""
    if invitation.accepted_at or invitation.revoked_at:
        raise DomainError(_("This invitation can no longer be resent."))
    token = secrets.token_urlsafe(32)
    invitation.token_hash = hash_token(token)
    invitation.expires_at = utcnow() + timedelta(days=current_app.config["INVITATION_DAYS"])
    audit.record(by, "invitation.resend", invitation)
    return token


def mark_invitation_sent(invitation: Invitation) -> None:
    """Count one invitation email the mail server took (called after the send, never before)."""
    invitation.send_count = Invitation.send_count + 1  # in SQL: two hosts resending at once both count
    invitation.last_sent_at = utcnow()


def revoke_invitation(invitation: Invitation, *, by: User) -> bool:
    if not invitation.is_usable:
        return False
    invitation.revoked_at = utcnow()
    audit.record(by, "invitation.revoke", invitation)
    return True


def find_invitation(token: str) -> Invitation | None:
    return db.session.scalar(sa.select(Invitation).where(Invitation.token_hash == hash_token(token)))


def accept_invitation(invitation: Invitation, *, display_name: str, password: str, consent_version: int,
                      locale: str | None = None, segment_values: dict[int, int | None] | None = None) -> User:
    """Register the invitee: name, password, agreement to the current consent text and, optionally, their
    answers to the member-editable segment questions (attribute id -> value id)."""
    if not invitation.is_usable:
        raise DomainError(_("This invitation is no longer valid. Ask your host for a new one."))
    consent = current_consent()
    if consent is None or consent.version != consent_version:
        raise DomainError(_("The consent text has changed; please read it again."), "consent")
    check_password_strength(password)
    user = create_user(invitation.email, display_name, password, role=invitation.role)
    now = utcnow()
    user.consent_version, user.consent_at, user.locale = consent.version, now, locale
    invitation.accepted_at, invitation.accepted_user_id = now, user.id
    db.session.add(ConsentEvent(user_id=user.id, kind=ConsentKind.GIVEN, consent_version=consent.version,
                                created_at=now))  # the first entry of the consent ledger
    answers = {attribute: value for attribute, value in (segment_values or {}).items() if value is not None}
    if answers:
        set_values(user, answers, by=user, source="member", now=now)
    return user


def authenticate(email: str, password: str) -> User | None:
    """The member with this email and password, or None; suspended members are returned (views say why)."""
    user = find_user_by_email(email)
    if user is None:
        dummy_verify(password)
        return None
    return user if verify_password(user.password_hash, password) else None


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="teahouse-password-reset")


def make_reset_token(user: User) -> str:
    # The session token is part of the payload, so a token dies once the password changes.
    return _reset_serializer().dumps({"id": user.id, "t": user.session_token})


def user_for_reset_token(token: str) -> User | None:
    try:
        data = _reset_serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_SECONDS"])
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.get(User, data.get("id")) if isinstance(data, dict) else None
    if user is None or user.session_token != data.get("t"):
        return None
    return user
