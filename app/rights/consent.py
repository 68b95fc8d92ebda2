"""Research consent as a ledger: given at registration, withdrawn and given again by the member in Settings.

``User.consent_withdrawn_at`` stays the current state that research views read (set while withdrawn);
``ConsentEvent`` rows keep every step with the consent text's version.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from app import audit
from app.auth.models import ConsentEvent, ConsentKind
from app.auth.services import current_consent
from app.core.exceptions import DomainError
from app.db import utcnow
from app.extensions import db
from app.members.models import User


def record_consent_event(user: User, kind: str, version: int | None, *, now: datetime) -> ConsentEvent:
    """Add one step to the member's consent ledger."""
    event = ConsentEvent(user_id=user.id, kind=kind, consent_version=version, created_at=now)
    db.session.add(event)
    db.session.flush()
    return event


def is_taking_part(user: User) -> bool:
    """Whether the member's content may appear in research: they agreed and have not withdrawn."""
    return user.consent_at is not None and user.consent_withdrawn_at is None


def withdraw_consent(user: User, *, now: datetime | None = None) -> ConsentEvent:
    """The member withdraws from research: from now on their content is left out of research views."""
    if not is_taking_part(user):
        raise DomainError(_("You are not taking part in research, so there is nothing to withdraw."))
    now = now or utcnow()
    user.consent_withdrawn_at = now
    event = record_consent_event(user, ConsentKind.WITHDRAWN, user.consent_version, now=now)
    audit.record(user, "consent.withdraw", user, after={"version": user.consent_version})
    return event


def give_consent_again(user: User, version: int, *, now: datetime | None = None) -> ConsentEvent:
    """The member agrees to the current consent text (again): their content returns to research views."""
    if is_taking_part(user):
        raise DomainError(_("You are already taking part in research."))
    consent = current_consent()
    if consent is None:
        raise DomainError(_("There is no consent text to agree to yet."))
    if consent.version != version:
        raise DomainError(_("The consent text has changed; please read it again."), "consent")
    now = now or utcnow()
    had_consented = user.consent_at is not None
    user.consent_version, user.consent_at, user.consent_withdrawn_at = consent.version, now, None
    kind = ConsentKind.REGIVEN if had_consented else ConsentKind.GIVEN
    event = record_consent_event(user, kind, consent.version, now=now)
    audit.record(user, f"consent.{kind}", user, after={"version": consent.version})
    return event


def consent_history(user: User) -> list[ConsentEvent]:
    """The member's consent ledger, oldest first."""
    return list(db.session.scalars(sa.select(ConsentEvent).where(ConsentEvent.user_id == user.id)
                                   .order_by(ConsentEvent.created_at, ConsentEvent.id)))
