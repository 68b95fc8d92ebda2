"""How moderation plugs into the app: the /mod blueprint with its queue and curation pages, canned replies, the
flag form on the forum's blueprint (``flag_views``) and the spam rules on every new post.

The blueprint is declared in ``core.areas``; ``queue_views`` and ``curation_views`` add their routes to it, and
so does ``research.koc_views`` (the hosts' KOC shortlist), imported by ``research.wiring``.
"""
from __future__ import annotations

from flask import Flask
from flask_babel import get_locale

from app.core.areas import moderation_area as bp
from app.forum.services import add_post_check
from app.moderation import admin_views, curation_views, flag_views, queue_views, trust_views  # noqa: F401  (routes on the blueprints)  # noqa: F401  (the spam filter's admin page, trust levels)
from app.moderation.explain import describe_reason
from app.moderation.queries import canned_replies
from app.moderation.spam import check_on_write
from app.moderation.trust import trust_label


def _canned_replies() -> list[tuple[str, str]]:
    return canned_replies(str(get_locale() or "en"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["canned_replies"] = _canned_replies
    app.jinja_env.filters["spam_reason"] = describe_reason  # reason codes in words, per language
    app.jinja_env.globals["trust_label"] = trust_label
    add_post_check(check_on_write)  # the spam rules judge every new post
