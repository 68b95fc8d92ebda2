"""Account emails (invitations, password resets) as outbox rows, written in the transaction that makes the
token; the send_mail job delivers them first in its batch, so the request never waits for a mail server."""
from __future__ import annotations

import hashlib

from flask import current_app

from app.auth.models import Invitation
from app.auth.services import mark_invitation_sent
from app.core.exceptions import DomainError
from app.core.links import PublicUrlMissing, external_url
from app.extensions import db
from app.i18n import select_locale
from app.mailing import outbox
from app.mailing.models import OutboxMessage
from app.members.models import User


def _token_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:24]


def invitation_link(token: str) -> str:
    """The absolute accept link; a DomainError (so nothing is committed) when no public URL can be built."""
    try:
        return external_url("auth.accept_invite", token=token)
    except PublicUrlMissing as error:  # only a `flask run` without a public URL gets here; production cannot start
        raise DomainError(str(error)) from error


def queue_invitation(invitation: Invitation, token: str) -> str:
    """Queue the invitation email (in the host's language) with this token's link; returns the link."""
    url = invitation_link(token)
    withdraw_invitation_emails(invitation, "Replaced by a newer invitation link.")
    outbox.queue_to(invitation.email, "invitation", f"invitation:{invitation.id}:{_token_key(token)}",
                    {"template": "invitation", "url": url, "invitation_id": invitation.id,
                     "expires_at": invitation.expires_at.isoformat()},
                    language=select_locale() or current_app.config.get("BABEL_DEFAULT_LOCALE") or "en")
    return url


def withdraw_invitation_emails(invitation: Invitation, reason: str) -> int:
    """Stop the invitation's emails still waiting (their link is dead); they stay on the outbox page as failed."""
    return outbox.withdraw_queued("invitation", f"invitation:{invitation.id}:", reason)


def queue_password_reset(user: User, token: str) -> bool:
    """Queue a reset link for ``user`` in their language; False (and logged) when no link can be built."""
    try:
        url = external_url("auth.reset_confirm", token=token)
    except PublicUrlMissing as error:
        current_app.logger.error("No password reset link sent: %s", error)
        return False
    outbox.queue_to(user.email, "password_reset", f"password_reset:{user.id}:{_token_key(token)}",
                    {"template": "password_reset", "url": url, "name": user.display_name},
                    language=outbox.language_of(user), user_id=user.id)
    return True


def count_delivered_invitation(row: OutboxMessage) -> None:
    """The sender's hook: an invitation email went out, so the invitation's send counters move."""
    invitation = db.session.get(Invitation, row.payload.get("invitation_id"))
    if invitation is not None:
        mark_invitation_sent(invitation)
