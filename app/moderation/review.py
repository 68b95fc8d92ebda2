"""Acting on a review queue item: the queue's actions map onto post moderation and, for spammers, suspension."""
from __future__ import annotations

from flask_babel import gettext as _

from app.core.exceptions import DomainError
from app.extensions import db
from app.members.models import User
from app.moderation.curation import suspend_member
from app.moderation.models import ReviewItem, ReviewKind
from app.moderation.services import moderate_post


def handle_review_item(item: ReviewItem, action: str, *, by: User, reason: str | None = None) -> bool:
    """Apply a queue action to the item's post (suspend_author also hides the post)."""
    if action == "suspend_author":
        author = db.session.get(User, item.post.author_id) if item.post.author_id else None
        if author is None:
            raise DomainError(_("The author's account no longer exists."))
        suspend_member(author, by=by, reason=reason or _("Spam or abuse"), days=30)  # audited and notified
        return moderate_post(item.post, "spam" if item.kind == ReviewKind.SPAM.value else "hide", by=by,
                             reason=reason or _("Author suspended"))
    return moderate_post(item.post, action, by=by, reason=reason)
