"""@mentions: finding the members a text names, linking them to profiles, and telling them (with limits).

A name may hold spaces, so every word boundary after an '@' is a candidate; each '@' takes the longest candidate
that is a member's name. An '@' right after a Latin letter or digit (an email address) mentions nobody.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.members.models import User
from app.members.notifications import notify

_BOUNDARY = re.compile(r"[\s,.!?;:，。！？；：、)）\]】]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]()<>#!|~])")
MAX_NAME = 40


def _at_signs(text: str):
    for match in re.finditer("@", text):
        start = match.start()
        before = text[start - 1] if start else " "
        if before.isascii() and (before.isalnum() or before in "_.-+"):
            continue  # mail@example.com, not a mention (but "欢迎@小雨" is one)
        yield match.end()


def _candidates_after(text: str, position: int) -> list[str]:
    tail = text[position: position + MAX_NAME]
    ends = [m.start() for m in _BOUNDARY.finditer(tail)] + [len(tail)]
    return [tail[:end].rstrip() for end in ends if len(tail[:end].strip()) >= 2]


def mention_candidates(text: str) -> set[str]:
    """Casefolded names that could follow each '@' (names may contain spaces, so try every word boundary)."""
    return {candidate.casefold() for position in _at_signs(text) for candidate in _candidates_after(text, position)}


@dataclass
class Mention:
    start: int  # the '@'
    end: int
    user: User


def find_mentions(text: str) -> list[Mention]:
    """Each '@name' in the text that names a member, in order (the longest name wins where several fit)."""
    candidates = mention_candidates(text or "")
    if not candidates:
        return []
    users = {u.display_name_key: u for u in db.session.scalars(
        sa.select(User).where(User.display_name_key.in_(candidates)))}
    found: list[Mention] = []
    for position in _at_signs(text):
        if found and position <= found[-1].end:
            continue
        names = [c for c in _candidates_after(text, position) if c.casefold() in users]
        if names:
            name = max(names, key=len)
            found.append(Mention(position - 1, position + len(name), users[name.casefold()]))
    return found


def link_mentions(text: str, *, profile_url: Callable[[int], str]) -> str:
    """The markdown with each mention made a link to the member's profile (rendered and cleaned as usual)."""
    mentions = find_mentions(text)
    if not mentions:
        return text
    out, last = [], 0
    for mention in mentions:
        name = _MARKDOWN_SPECIAL.sub(r"\\\1", text[mention.start + 1: mention.end])
        out += [text[last: mention.start], f"[@{name}]({profile_url(mention.user.id)})"]
        last = mention.end
    out.append(text[last:])
    return "".join(out)


@dataclass
class MentionResult:
    notified: list[int] = field(default_factory=list)
    over_limit: list[int] = field(default_factory=list)  # mentioned and allowed to see, but past the limit


def notify_limit() -> int:
    return int(current_app.config.get("MENTION_NOTIFY_LIMIT", 10))


def notify_mentions(text: str, *, author: User, can_see: Callable[[User], bool], message: Callable[[User], str],
                    url: str, skip: set[int] | None = None) -> MentionResult:
    """Tell each member the text mentions (once), only those who may see it, at most ``notify_limit()`` of them.

    ``skip`` holds members told already (the author is always skipped); ``message(user)`` is the text in the
    recipient's language.
    """
    skip = set(skip or ()) | {author.id}
    result = MentionResult()
    kind = "host_mention" if author.is_host else "mention"
    for mention in find_mentions(text):
        user = mention.user
        if user.id in skip or not can_see(user):
            continue
        skip.add(user.id)
        if len(result.notified) >= notify_limit():
            result.over_limit.append(user.id)
            continue
        notify(user.id, kind, message(user), url=url, actor=author)
        result.notified.append(user.id)
    return result
