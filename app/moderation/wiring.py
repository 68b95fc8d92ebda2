"""How moderation plugs into the app: the /mod blueprint with its queue and curation pages, canned replies, the
flag form on the forum's blueprint (``flag_views``) and the spam rules on every new post.

The blueprint is declared in ``core.areas``; ``queue_views`` and ``curation_views`` add their routes to it, and
so does ``research.koc_views`` (the hosts' KOC shortlist), imported by ``research.wiring``.
"""
from __future__ import annotations

from flask import Flask
from flask_babel import get_locale
from flask_login import current_user

from app.core.areas import moderation_area as bp
from app.forum.queries import add_flagged_check
from app.forum.services import add_post_check
from app.moderation import (  # noqa: F401  (routes on the blueprints)
    admin_views,
    canned_views,
    curation_views,
    flag_views,
    queue_views,
    record_views,
    trust_views,
)
from app.moderation.explain import describe_reason
from app.moderation.queries import canned_replies, flagged_check
from app.moderation.spam import check_on_write
from app.moderation.telling import listen as tell_authors_of_moderation
from app.moderation.trust import trust_label


def _canned_replies() -> list[tuple[str, str]]:
    return canned_replies(str(get_locale() or "en"), getattr(current_user, "id", None))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["canned_replies"] = _canned_replies
    app.jinja_env.filters["spam_reason"] = describe_reason  # reason codes in words, per language
    app.jinja_env.globals["trust_label"] = trust_label
    add_post_check(check_on_write)  # the spam rules judge every new post
    tell_authors_of_moderation()  # authors hear when their post is hidden, quarantined or restored
    add_flagged_check(flagged_check)  # a post the member has flagged offers no second flag
