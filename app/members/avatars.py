"""Avatars: a member's uploaded picture (a re-encoded square), else one generated from a keyed hash of their id.

The generated picture never derives from the email (or anything a member typed): a symmetric 5×5 pattern and a
colour from an HMAC of the user id with the community secret, so nobody can match it to an address. Hosts get
their persona's initial on the community's colour instead, the face they post as.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from markupsafe import escape

from app import audit
from app.members.models import User
from app.uploads.services import store_avatar

GRID = 5


def avatar_digest(user_id: int) -> bytes:
    """The keyed hash every generated avatar is drawn from (never the email)."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"avatar:{user_id}".encode(), hashlib.sha256).digest()


def _colour(digest: bytes) -> str:
    hue = int.from_bytes(digest[:2], "big") % 360
    return f"hsl({hue}, 55%, 42%)"  # dark enough for white text and against the light background


def identicon_svg(user_id: int) -> str:
    """A member's generated avatar: a left-right symmetric pattern in one colour on a light ground."""
    digest = avatar_digest(user_id)
    bits = int.from_bytes(digest[2:10], "big")
    cells = []
    for row in range(GRID):
        for column in range((GRID + 1) // 2):
            if bits >> (row * 3 + column) & 1:
                cells.append((column, row))
                if column != GRID - 1 - column:
                    cells.append((GRID - 1 - column, row))
    rects = "".join(f'<rect x="{x + 1}" y="{y + 1}" width="1" height="1"/>' for x, y in cells)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {GRID + 2} {GRID + 2}" width="64" height="64">'
            f'<rect width="{GRID + 2}" height="{GRID + 2}" fill="#f1ede4"/><g fill="{_colour(digest)}">{rects}</g>'
            "</svg>")


def persona_svg(persona: str) -> str:
    """A host's avatar: the first letter of the persona they post as, white on the community's accent colour."""
    initial = escape((persona.strip() or "H")[0].upper())
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">'
            '<rect width="64" height="64" rx="12" fill="#8a4b08"/>'
            '<text x="32" y="43" text-anchor="middle" font-family="sans-serif" font-size="30" font-weight="700" '
            f'fill="#ffffff">{initial}</text></svg>')


def generated_avatar(user: User) -> str:
    """The SVG shown when a member has uploaded no avatar."""
    if user.is_host:
        return persona_svg(user.host_persona or "Host")
    return identicon_svg(user.id)


def set_avatar(user: User, file_storage) -> str:
    """Store a new uploaded avatar (cropped square, re-encoded) and show it; the old one is kept, detached."""
    upload = store_avatar(file_storage, owner=user)
    user.avatar_name = upload.name
    return upload.name


def remove_avatar(user: User, *, by: User) -> bool:
    """Go back to the generated avatar (the picture's row stays; an erasure removes it); hosts' removals of a
    member's picture are audited."""
    if user.avatar_name is None:
        return False
    if by.id != user.id:
        audit.record(by, "member.avatar_remove", user, before={"avatar": user.avatar_name})
    user.avatar_name = None
    return True
