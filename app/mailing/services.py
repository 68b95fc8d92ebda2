"""Mail actions behind the pages: preferences, unsubscribing by signed link, retrying a message (audited)."""
from __future__ import annotations

from flask_babel import gettext as _

from app import audit
from app.core.exceptions import DomainError
from app.extensions import db
from app.mailing import preferences, render, sender
from app.mailing.models import OutboxMessage
from app.members.models import User
from app.segments.services import attributes

ALL = "all"


def save_preferences(user: User, modes: dict[str, str]) -> int:
    """Store a member's choices; hosts-only categories are ignored for members. Returns how many changed."""
    allowed = {c.key for c in preferences.CATEGORIES if user.is_host or not c.hosts_only}
    allowed.add(preferences.DIGEST_CATEGORY)
    try:
        return preferences.set_choices(user.id, {k: v for k, v in modes.items() if k in allowed})
    except ValueError as error:
        raise DomainError(_("That choice is not one of the options.")) from error


def unsubscribe_target(token: str) -> tuple[User, str] | None:
    """The member and category a signed unsubscribe link names, or None for a forged or stale link."""
    found = render.read_unsubscribe_token(token)
    if found is None:
        return None
    user = db.session.get(User, found[0])
    category = found[1]
    known = category in preferences.BY_KEY or category in (preferences.DIGEST_CATEGORY, ALL)
    return (user, category) if user is not None and known else None


def unsubscribe(user: User, category: str) -> int:
    """Turn one kind of email (or all: every kind and the digest) off for a member; no login needed."""
    if category == ALL:
        modes = {c.key: preferences.NEVER for c in preferences.CATEGORIES}
        modes[preferences.DIGEST_CATEGORY] = preferences.NEVER
        return preferences.set_choices(user.id, modes)
    return int(preferences.set_choice(user.id, category, preferences.NEVER))


def category_label(category: str) -> str:
    if category == ALL:
        return _("all email from the community")
    if category == preferences.DIGEST_CATEGORY:
        return _("the digest")
    return str(preferences.BY_KEY[category].label)


def retry_message(message: OutboxMessage, *, by: User) -> bool:
    """Queue a failed message again (admins), audited."""
    if not sender.retry(message):
        return False
    audit.record(by, "mail.retry", message, before={"last_error": message.last_error},
                 after={"recipient_id": message.user_id, "kind": message.kind})
    return True


def segment_choices() -> list[tuple[str, str]]:
    """The invitation form's audiences: everyone, or one value of a segment attribute."""
    options = [("", _("All members"))]
    for attribute in attributes():
        options += [(str(value.id), f"{attribute.label}: {value.value}") for value in attribute.values]
    return options
