"""Who hears about a new post: the thread's author, the quoted author and anyone @mentioned."""
from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import gettext as _

from app.db import ContentState
from app.extensions import db
from app.forum.models import Post, Thread
from app.members.models import User
from app.members.notifications import notify

_BOUNDARY = re.compile(r"[\s,.!?;:，。！？；：、)）\]】]")


def mention_candidates(text: str) -> set[str]:
    """Casefolded names that could follow each '@' (names may contain spaces, so try every word boundary)."""
    names: set[str] = set()
    for match in re.finditer("@", text):
        tail = text[match.end(): match.end() + 40]
        for end in [m.start() for m in _BOUNDARY.finditer(tail)] + [len(tail)]:
            candidate = tail[:end].strip().casefold()
            if len(candidate) >= 2:
                names.add(candidate)
    return names


def mentioned_users(text: str) -> list[User]:
    candidates = mention_candidates(text)
    if not candidates:
        return []
    return list(db.session.scalars(sa.select(User).where(User.display_name_key.in_(candidates))))


def notify_new_post(post: Post, thread: Thread, *, author: User, quoted: Post | None) -> int:
    """Notify the thread author, the quoted author and @mentioned members (never the author themself)."""
    if post.state != ContentState.PUBLISHED.value:
        return 0  # held posts notify nobody until a host approves them
    url = f"/p/{post.id}"
    told: set[int] = {author.id}
    sent = 0

    def tell(user_id: int | None, kind: str, text: str) -> None:
        nonlocal sent
        if user_id and user_id not in told:
            told.add(user_id)
            notify(user_id, kind, text, url=url, actor=author)
            sent += 1

    for user in mentioned_users(post.body):
        kind = "host_mention" if author.is_host else "mention"
        tell(user.id, kind, _("%(name)s mentioned you in “%(title)s”", name=author.display_name, title=thread.title))
    if quoted is not None:
        tell(quoted.author_id, "quote", _("%(name)s quoted you in “%(title)s”", name=author.display_name,
                                          title=thread.title))
    if post.number > 1:
        tell(thread.author_id, "reply", _("%(name)s replied to “%(title)s”", name=author.display_name,
                                          title=thread.title))
    return sent
