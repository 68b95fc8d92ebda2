"""What each notification kind is called in a member's mail settings, and what they chose for it.

Every in-app notification kind maps to one preference category; the member picks, per category, whether it comes
by email at once, in the digest, or never. Kinds with no category (badges, points) stay in-app only.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.mailing.models import MailPreference

IMMEDIATE, DIGEST, NEVER = "immediate", "digest", "never"
MODES = (IMMEDIATE, DIGEST, NEVER)
DAILY, WEEKLY = "daily", "weekly"
DIGEST_FREQUENCIES = (DAILY, WEEKLY, NEVER)
DIGEST_CATEGORY = "digest"


@dataclass(frozen=True)
class Category:
    key: str
    label: object
    default: str
    hosts_only: bool = False


# Defaults for a research community: what someone said to or about me, and what hosts did with my words, comes at
# once; a new activity waits for the digest; nothing is off by default except what a member turns off.
CATEGORIES: tuple[Category, ...] = (
    Category("replies", _l("Replies to my threads"), IMMEDIATE),
    Category("mentions", _l("Quotes and @mentions of me"), IMMEDIATE),
    Category("inquiry_answers", _l("A host's answer to my question"), IMMEDIATE),
    Category("moderation", _l("My post hidden or restored"), IMMEDIATE),
    Category("task_review", _l("My task answer reviewed"), IMMEDIATE),
    Category("new_activity", _l("A new poll, task or competition open to me"), DIGEST),
    Category("closing_soon", _l("An activity I was invited to closes within 24 hours"), IMMEDIATE),
    Category("competition", _l("Competition results"), IMMEDIATE),
    Category("inquiry_alerts", _l("Members' questions waiting longer than our promise (hosts)"), IMMEDIATE,
             hosts_only=True),
)
BY_KEY = {category.key: category for category in CATEGORIES}

_KIND_CATEGORY = {
    "reply": "replies", "quote": "mentions", "mention": "mentions", "host_mention": "mentions",
    "host_message": "inquiry_answers", "inquiry_answer": "inquiry_answers",
    "task_review": "task_review", "activity_new": "new_activity", "task_assigned": "new_activity",
    "activity_closing": "closing_soon",
    "competition": "competition", "inquiry_alert": "inquiry_alerts",
}
_MODERATION_WORDS = ("hidden", "hide", "restored", "restore", "quarantin", "spam")


def category_of(kind: str, *, from_host: bool = False) -> str | None:
    """The preference category of a notification kind (None: in-app only). A host's reply to a member's thread
    is their answer to the member's question."""
    if kind == "reply" and from_host:
        return "inquiry_answers"
    if kind in _KIND_CATEGORY:
        return _KIND_CATEGORY[kind]
    # Kinds other domains add later follow the same words: "photo_mention", "post_hidden", "thread_restored".
    if "mention" in kind:
        return "mentions"
    if any(word in kind for word in _MODERATION_WORDS):
        return "moderation"
    return None


def choices(user_id: int) -> dict[str, str]:
    """The member's mode for every category and their digest frequency (defaults filled in)."""
    chosen = dict(db.session.execute(sa.select(MailPreference.category, MailPreference.mode)
                                     .where(MailPreference.user_id == user_id)).all())
    modes = {c.key: chosen.get(c.key, c.default) for c in CATEGORIES}
    modes[DIGEST_CATEGORY] = chosen.get(DIGEST_CATEGORY, WEEKLY)
    return modes


def mode_for(user_id: int, category: str) -> str:
    """One category's mode for a member (one query)."""
    chosen = db.session.scalar(sa.select(MailPreference.mode).where(MailPreference.user_id == user_id,
                                                                    MailPreference.category == category))
    if chosen:
        return chosen
    return WEEKLY if category == DIGEST_CATEGORY else BY_KEY[category].default


def set_choice(user_id: int, category: str, mode: str) -> bool:
    """Store one choice; False when it was already so. The caller commits."""
    allowed = DIGEST_FREQUENCIES if category == DIGEST_CATEGORY else MODES
    if mode not in allowed or (category != DIGEST_CATEGORY and category not in BY_KEY):
        raise ValueError(f"no mode {mode!r} for {category!r}")
    row = db.session.scalar(sa.select(MailPreference).where(MailPreference.user_id == user_id,
                                                            MailPreference.category == category))
    if row is not None and row.mode == mode:
        return False
    if row is None:
        db.session.add(MailPreference(user_id=user_id, category=category, mode=mode))
    else:
        row.mode = mode
    db.session.flush()
    return True


def set_choices(user_id: int, modes: dict[str, str]) -> int:
    """Store several choices at once; returns how many changed."""
    return sum(set_choice(user_id, category, mode) for category, mode in modes.items())
