"""Acting on a review queue item: the queue's actions map onto post moderation and, for spammers, suspension."""
from __future__ import annotations

from flask_babel import gettext as _

from app.core.exceptions import DomainError
from app.extensions import db
from app.members.models import User
from app.moderation.curation import suspend_member
from app.moderation.models import ReviewItem, ReviewKind
from app.moderation.queue import check_item, claim_post
from app.moderation.services import ACTIONS, apply_action, check_action

QUEUE_ACTIONS = (*ACTIONS, "suspend_author")


def handle_review_item(item: ReviewItem, action: str, *, by: User, reason: str | None = None,
                       seen_version: int | None = None) -> bool:
    """Apply a queue action to the item's post as the host saw the item (``seen_version``; None: as it is now).

    The post's row is locked first; an item handled or changed since is refused (``queue.StaleAction``), so two
    hosts acting on one item at once get one "Done" and one "already handled". suspend_author also hides the post.
    """
    check_action(action, by=by, reason=reason, allowed=QUEUE_ACTIONS)
    post = item.post
    claim_post(post, None)
    check_item(item, seen_version)
    if action == "suspend_author":
        author = db.session.get(User, post.author_id) if post.author_id else None
        if author is None:
            raise DomainError(_("The author's account no longer exists."))
        suspend_member(author, by=by, reason=reason or _("Spam or abuse"), days=30)  # audited and notified
        action = "spam" if item.kind == ReviewKind.SPAM.value else "hide"
        reason = reason or _("Author suspended")
    return apply_action(post, action, by=by, reason=reason, item=item)
