"""Admin services: categories and moderation settings (canned replies: ``app.moderation.canned``)."""
from __future__ import annotations

import math

from flask_babel import gettext as _

from app import audit
from app.core.exceptions import DomainError
from app.core.settings import set_setting
from app.extensions import db
from app.forum.models import Category
from app.members.models import User
from app.moderation.spam import setting
from app.text.markup import TextError, check_text, clean_line


def save_category(category: Category | None, *, by: User | None, name: str, description: str | None,
                  position: int | None, is_inquiry: bool = False) -> Category:
    """Create a category (``category`` None) or change one; audited."""
    try:
        name = clean_line(name)
        description = check_text((description or "").strip())
    except TextError as error:
        raise DomainError(str(error), "name") from error
    if len(name) < 2:
        raise DomainError(_("A name has at least 2 characters."), "name")
    before = None
    if category is None:
        category = Category(name=name)
        db.session.add(category)
    else:
        before = {"name": category.name, "description": category.description, "position": category.position,
                  "is_inquiry": category.is_inquiry}
    category.name, category.description, category.position = name, description, position or 0
    category.is_inquiry = bool(is_inquiry)
    db.session.flush()
    audit.record(by, "category.create" if before is None else "category.update", category, before=before,
                 after={"name": name, "description": description, "position": category.position,
                        "is_inquiry": category.is_inquiry},
                 job=None if by else "cli")
    return category


# Each moderation setting key -> its field on the admin's settings form, the one list of these keys (their defaults
# are in moderation.spam.DEFAULTS). Blocked words are stored as a list and edited as lines of text.
MODERATION_SETTINGS = {"spam.hold_threshold": "hold_threshold", "spam.quarantine_threshold": "quarantine_threshold",
                       "flags.hide_threshold": "flag_threshold", "spam.retention_days": "retention_days",
                       "spam.blocked_words": "blocked_words", "uploads.daily_quota": "upload_quota"}


def current_moderation_settings() -> dict:
    """The moderation settings in force (stored values, else the defaults)."""
    return {key: setting(key) for key in MODERATION_SETTINGS}


def blocked_words_from(text: str | None) -> list[str]:
    """One blocked word or phrase per line: trimmed, invisible characters dropped, duplicates removed."""
    words: list[str] = []
    for line in (text or "").splitlines():
        try:
            word = clean_line(line)
        except TextError as error:
            raise DomainError(str(error), "blocked_words") from error
        if len(word) > 100:
            raise DomainError(_("A blocked word or phrase has at most 100 characters."), "blocked_words")
        if word and word.casefold() not in {w.casefold() for w in words}:
            words.append(word)
    return words


def save_moderation_settings(values: dict, *, by: User) -> bool:
    """Store spam and flag thresholds, retention and blocked words; audited with before and after."""
    unknown = set(values) - set(MODERATION_SETTINGS)
    if unknown:
        raise DomainError(_("Unknown setting."))
    for key in ("spam.hold_threshold", "spam.quarantine_threshold"):
        if key in values and not math.isfinite(float(values[key])):
            raise DomainError(_("Enter a number."), MODERATION_SETTINGS[key])
    before = current_moderation_settings()
    changed = {key: value for key, value in values.items() if before[key] != value}
    if not changed:
        return False
    for key, value in changed.items():
        set_setting(key, value, by=by)
    audit.record(by, "settings.moderation", None, before={k: before[k] for k in changed}, after=changed)
    return True
