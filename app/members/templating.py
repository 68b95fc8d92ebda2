"""Jinja globals for members: the unread notification count shown in the header."""
from __future__ import annotations

from flask import url_for
from flask_login import current_user

from app.members.forms import AvatarForm
from app.members.notifications import chrome_state


def unread_notifications() -> int:
    """The member's unread notification count, counted once per request (the header and pages share it)."""
    if not current_user.is_authenticated:
        return 0
    return chrome_state(current_user.id)[0]


def avatar_src(user_id: int, version: str | None = None) -> str:
    """The avatar's URL; ``version`` (the uploaded picture's name) makes a changed picture a new URL."""
    return url_for("members.avatar", user_id=user_id, v=(version or "g")[:10])


def blank_avatar_form() -> AvatarForm:
    """The avatar form for a settings page another view renders (the segments form's refusals)."""
    return AvatarForm(formdata=None)


def jinja_globals() -> dict:
    return {"unread_notifications": unread_notifications, "avatar_src": avatar_src,
            "blank_avatar_form": blank_avatar_form}
