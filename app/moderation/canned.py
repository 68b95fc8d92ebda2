"""Canned replies: texts hosts insert when replying, in English and Chinese, a host's own or shared.

Hosts create replies and edit their own and the shared ones; admins manage every one (``policy.can_edit_canned_reply``).
Every change is audited; archiving keeps the reply.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from app import audit
from app.core.exceptions import DomainError
from app.db import utcnow
from app.extensions import db
from app.members.models import User
from app.moderation.models import CannedReply
from app.security import policy
from app.text.markup import TextError, check_text, clean_line


def _fields(title: str, body_en: str | None, body_zh: str | None, shared: bool) -> dict:
    try:
        fields = {"title": clean_line(title or ""), "body_en": check_text((body_en or "").strip()),
                  "body_zh": check_text((body_zh or "").strip()), "is_shared": bool(shared)}
    except TextError as error:
        raise DomainError(str(error)) from error
    if not fields["title"]:
        raise DomainError(_("Give the canned reply a title."), "title")
    if len(fields["title"]) > 80:
        raise DomainError(_("A title has at most %(n)d characters.", n=80), "title")
    if not (fields["body_en"] or fields["body_zh"]):
        raise DomainError(_("Write the reply in at least one language."), "body_en")
    return fields


def _may_edit(reply: CannedReply, by: User) -> None:
    if not policy.can_edit_canned_reply(by, reply):
        raise DomainError(_("Only its author or an admin can change a canned reply that is not shared."))


def save_canned_reply(reply: CannedReply | None, *, by: User, title: str, body_en: str | None = None,
                      body_zh: str | None = None, shared: bool = True) -> CannedReply | None:
    """Create a canned reply owned by ``by`` (``reply`` None) or change one; returns None when nothing changed."""
    if not policy.can_moderate(by):
        raise DomainError(_("Only hosts can write canned replies."))
    fields = _fields(title, body_en, body_zh, shared)
    before = None
    if reply is None:
        reply = CannedReply(owner_id=by.id)
        db.session.add(reply)
    else:
        _may_edit(reply, by)
        before = {key: getattr(reply, key) for key in fields}
        if before == fields:
            return None
    for key, value in fields.items():
        setattr(reply, key, value)
    db.session.flush()
    audit.record(by, "canned.create" if before is None else "canned.update", reply, before=before, after=fields)
    return reply


def archive_canned_reply(reply: CannedReply, *, by: User, now: datetime | None = None) -> bool:
    """Stop offering a canned reply; it is kept, and can be restored."""
    _may_edit(reply, by)
    if reply.archived_at is not None:
        return False
    reply.archived_at = now or utcnow()
    db.session.flush()
    audit.record(by, "canned.archive", reply, after={"title": reply.title})
    return True


def restore_canned_reply(reply: CannedReply, *, by: User) -> bool:
    """Offer an archived canned reply again."""
    _may_edit(reply, by)
    if reply.archived_at is None:
        return False
    reply.archived_at = None
    db.session.flush()
    audit.record(by, "canned.restore", reply, after={"title": reply.title})
    return True


DEMO_REPLIES = [
    ("Welcome", "Welcome to the teahouse! Tell us a little about yourself when you feel like it.",
     "欢迎来到茶馆！有空的时候跟大家介绍一下自己吧。"),
    ("Thanks for sharing", "Thank you for sharing this — it helps the whole community.",
     "谢谢你的分享，这对整个社区都很有帮助。"),
    ("House rules", "A gentle reminder: please keep to the house rules and be kind to each other.",
     "温馨提醒：请遵守社区规则，彼此友善相待。"),
    ("Post hidden", "We hid your post because it broke the house rules. Ask us here if you have questions.",
     "你的帖子因违反社区规则已被隐藏。如有疑问，请在这里问我们。"),
]


def seed_demo_replies(host: User | None = None) -> list[CannedReply]:
    """A few shared canned replies in both languages for demo data (``flask demo seed``, quickstart); titles
    already there are left alone, so seeding twice adds none."""
    have = set(db.session.scalars(sa.select(CannedReply.title)))
    added = [CannedReply(title=title, body_en=en, body_zh=zh, is_shared=True, owner_id=getattr(host, "id", None))
             for title, en, zh in DEMO_REPLIES if title not in have]
    db.session.add_all(added)
    db.session.flush()
    return added
