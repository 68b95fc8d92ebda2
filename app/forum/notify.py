"""Who hears about a new post: the thread's author, the quoted author and anyone @mentioned."""
from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from app import audit
from app.db import ContentState
from app.forum.models import Post, Thread
from app.members.mentions import mention_candidates, notify_mentions
from app.members.models import User
from app.members.notifications import notify
from app.security import policy

__all__ = ["mention_candidates", "notify_new_post"]


def _mention_text(author: User, thread: Thread):
    def message(user: User) -> str:
        with force_locale(user.locale or "en"):
            return _("%(name)s mentioned you in “%(title)s”", name=author.display_name, title=thread.title)
    return message


def notify_new_post(post: Post, thread: Thread, *, author: User, quoted: Post | None) -> int:
    """Notify @mentioned members who may see the post (up to the limit), the quoted author and the thread author
    (never the author themself); mentions past the limit are audited and left on the post for the page to say."""
    if post.state != ContentState.PUBLISHED.value:
        return 0  # held posts notify nobody until a host approves them
    url = f"/p/{post.id}"
    mentions = notify_mentions(post.body, author=author, url=url, message=_mention_text(author, thread),
                               can_see=lambda user: policy.can_view_post(user, post))
    told: set[int] = {author.id, *mentions.notified}
    sent = len(mentions.notified)
    post.unnotified_mentions = len(mentions.over_limit)
    if mentions.over_limit:
        audit.record(author, "post.mass_mention", post, after={"notified": len(mentions.notified),
                                                               "not_notified": len(mentions.over_limit)})

    def tell(user_id: int | None, kind: str, text: str) -> None:
        nonlocal sent
        if user_id and user_id not in told:
            told.add(user_id)
            notify(user_id, kind, text, url=url, actor=author)
            sent += 1

    if quoted is not None:
        tell(quoted.author_id, "quote", _("%(name)s quoted you in “%(title)s”", name=author.display_name,
                                          title=thread.title))
    if post.number > 1:
        tell(thread.author_id, "reply", _("%(name)s replied to “%(title)s”", name=author.display_name,
                                          title=thread.title))
    return sent
