"""The code book and coded excerpts: qualitative coding of posts by researchers."""
from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import gettext as _

from app import audit
from app.core.exceptions import DomainError
from app.db import utcnow
from app.extensions import db
from app.forum.models import Post
from app.members.models import User
from app.research.models import Code, CodedExcerpt
from app.security.roles import Permission
from app.text.markup import TextError, check_text, clean_line, html_to_text

_COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def _require_researcher(by: User) -> None:
    if not by.can(Permission.RESEARCH):
        raise DomainError(_("Only researchers code posts."))


def save_code(code: Code | None, *, by: User, name: str, colour: str, description: str,
              parent_id: int | None) -> Code:
    """Create or change a code; names are unique, colours are #rrggbb, a code cannot be its own ancestor."""
    _require_researcher(by)
    try:
        name = clean_line(name)
        description = check_text((description or "").strip())
    except TextError as error:
        raise DomainError(str(error), "name") from error
    if not 1 <= len(name) <= 80:
        raise DomainError(_("A code name has 1 to 80 characters."), "name")
    if not _COLOUR_RE.match(colour or ""):
        raise DomainError(_("Use a colour like #8a4b08."), "colour")
    clash = db.session.scalar(sa.select(Code.id).where(Code.name == name))
    if clash and (code is None or clash != code.id):
        raise DomainError(_("A code with that name exists."), "name")
    if parent_id and code is not None and code.id in _lineage(parent_id):
        raise DomainError(_("A code cannot be its own parent."), "parent_id")
    created = code is None
    code = code or Code(created_by_id=by.id)
    code.name, code.colour, code.description, code.parent_id = name, colour, description, parent_id or None
    db.session.add(code)
    db.session.flush()
    audit.record(by, "code.create" if created else "code.update", code, after={"name": name})
    return code


def _lineage(code_id: int) -> set[int]:
    """A code's id and the ids of all its ancestors (stops on a loop, should one ever exist)."""
    seen: set[int] = set()
    while code_id and code_id not in seen:
        seen.add(code_id)
        code_id = db.session.scalar(sa.select(Code.parent_id).where(Code.id == code_id))
    return seen


def archive_code(code: Code, *, by: User) -> bool:
    _require_researcher(by)
    if code.archived_at:
        return False
    code.archived_at = utcnow()
    audit.record(by, "code.archive", code)
    return True


def apply_code(post: Post, code: Code, *, by: User, excerpt: str | None = None, memo: str | None = None) -> CodedExcerpt:
    """Code a post (or a passage of it; the passage must come from the post's text)."""
    _require_researcher(by)
    if code.archived_at:
        raise DomainError(_("This code is archived."), "code")
    if post.author is not None and post.author.consent_withdrawn_at is not None:
        raise DomainError(_("This member has withdrawn consent: their posts are not analysed."), "code_id")
    if post.author is not None and post.author.consent_at is None and not post.author.is_host:
        raise DomainError(_("This member has not consented to research: their posts are not analysed."), "code_id")
    text = html_to_text(post.body_html)
    passage = " ".join((excerpt or "").split())
    if passage and passage not in " ".join(text.split()):
        raise DomainError(_("The passage must be copied from the post."), "excerpt")
    coded = CodedExcerpt(code_id=code.id, post_id=post.id, excerpt=passage or text, memo=(memo or "").strip() or None,
                         created_by_id=by.id)
    db.session.add(coded)
    db.session.flush()
    audit.record(by, "post.code", post, after={"code": code.name, "excerpt_id": coded.id})
    return coded


def remove_excerpt(coded: CodedExcerpt, *, by: User) -> None:
    _require_researcher(by)
    audit.record(by, "post.uncode", coded.post, before={"code": coded.code.name, "excerpt": coded.excerpt})
    db.session.delete(coded)


def codes_by_post(post_ids: list[int]) -> dict[int, list[str]]:
    """Code names per post, for exports and thread views."""
    found: dict[int, list[str]] = {}
    if not post_ids:
        return found
    rows = db.session.execute(sa.select(CodedExcerpt.post_id, Code.name).join(Code, CodedExcerpt.code_id == Code.id)
                              .where(CodedExcerpt.post_id.in_(post_ids)).order_by(Code.name))
    for post_id, name in rows:
        names = found.setdefault(post_id, [])
        if name not in names:
            names.append(name)
    return found
