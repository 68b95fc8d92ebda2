"""The top bar every page shows: the brand, the main navigation and the search box (a Jinja global)."""
from __future__ import annotations

from flask import current_app
from flask_login import current_user
from markupsafe import Markup

from app.core.fragments import fragment
from app.points.leaderboard import mode as leaderboard_mode
from app.security.activity_policy import can_see_leaderboard
from app.security.roles import Permission


def top_bar() -> Markup:
    """The same for everyone with the same permissions, so it is rendered once per permission set."""
    user = current_user._get_current_object()
    name = current_app.config["COMMUNITY_NAME"]
    if not user.is_authenticated:
        return fragment("_partials/top_bar.html", (name, False), community_name=name, signed_in=False)
    shown = {
        "leaderboard": can_see_leaderboard(user, leaderboard_mode()),
        "moderation": user.can(Permission.VIEW_MOD_QUEUE), "invitations": user.can(Permission.INVITE),
        "research": user.can(Permission.RESEARCH), "admin": user.can(Permission.MANAGE_COMMUNITY),
    }
    return fragment("_partials/top_bar.html", (name, True, *sorted(shown.items())), community_name=name,
                    signed_in=True, shown=shown)
