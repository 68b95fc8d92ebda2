"""The site chrome every page shows (head links, top bar, the member's name, role and unread count, footer),
rendered once per what it shows and reused.

Every value the chrome shows is read in the request itself: the member row (loaded fresh on every request), the
member's unread notification count and the leaderboard mode (``members.notifications.chrome_state``: one query,
shared with the landing page's figures and the activities page's leaderboard button). The rendered HTML is kept
per process under a key made of those values (plus language and URL root), so a rename, a role change, a new
notification, a switched language or leaderboard mode shows on the next request, on any node: nothing here can go
stale, it can only be missing and rendered again.
"""
from __future__ import annotations

from typing import NamedTuple

from flask import current_app, request
from flask_login import current_user
from markupsafe import Markup

from app.core.babel_internals import current_locale
from app.core.fragments import LRU
from app.core.templating import csrf_field
from app.members.notifications import chrome_state
from app.points.leaderboard import mode_of
from app.security.activity_policy import can_see_leaderboard
from app.security.roles import Permission


class Chrome(NamedTuple):
    """The pieces of base.html around a page's own blocks."""

    lang: str
    community_name: str
    head: Markup
    header: Markup
    footer: Markup


_chromes = LRU(4096)  # a few kB each: one per member, language and count seen lately


def _shown(user, mode: str) -> tuple[tuple[str, bool], ...]:
    """Which permission-bound links the top bar shows."""
    return (("admin", user.can(Permission.MANAGE_COMMUNITY)), ("invitations", user.can(Permission.INVITE)),
            ("leaderboard", can_see_leaderboard(user, mode)), ("moderation", user.can(Permission.VIEW_MOD_QUEUE)),
            ("research", user.can(Permission.RESEARCH)))


def page_chrome() -> Chrome:
    """The chrome for this request, rendered on the first request with the same values (a Jinja global)."""
    user = current_user._get_current_object()
    config = current_app.config
    if user.is_authenticated:
        unread, stored_mode = chrome_state(user.id)
        mode = mode_of(stored_mode)
        member = (user.id, user.display_name, user.role, _shown(user, mode), unread, str(csrf_field()))
    else:
        member = None
    locale = str(current_locale() or "en")
    key = (locale, request.script_root, config["COMMUNITY_NAME"], config["THEME_COLOUR"], member)
    chrome = _chromes.get(key)
    if chrome is None:
        chrome = _render(locale, config["COMMUNITY_NAME"], config["THEME_COLOUR"], member)
        _chromes.put(key, chrome)
    return chrome


def _render(locale: str, name: str, colour: str, member: tuple | None) -> Chrome:
    """Render the pieces from the key's values alone (no request context: nothing else can leak in)."""
    env = current_app.jinja_env
    context = {"community_name": name, "theme_colour": colour, "signed_in": member is not None}
    if member is not None:
        user_id, display_name, role, shown, unread, csrf = member
        context.update(user_id=user_id, display_name=display_name, role=role, shown=dict(shown), unread=unread,
                       csrf=Markup(csrf))
    return Chrome(lang="zh-Hans" if locale == "zh_Hans" else "en", community_name=name,
                  head=Markup(env.get_template("_partials/head_assets.html").render(context)),
                  header=Markup(env.get_template("_partials/header.html").render(context)),
                  footer=Markup(env.get_template("_partials/footer.html").render(context)))
