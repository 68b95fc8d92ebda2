"""Serving uploads: only through this view, to members allowed to see what the image is attached to."""
from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, request
from flask_login import current_user

from app.security import policy
from app.security.roles import Permission
from app.uploads.models import Upload
from app.uploads.queries import upload_named
from app.uploads.services import AVATAR, THUMB_WIDTHS, image_response, stored_path

bp = Blueprint("uploads", __name__)

# Domains register who may see images attached to their objects: kind -> predicate(user, attached_id).
ATTACHMENT_POLICIES: dict[str, Callable] = {}


def register_attachment_policy(kind: str, predicate: Callable) -> None:
    ATTACHMENT_POLICIES[kind] = predicate


def can_view_upload(user, upload: Upload) -> bool:
    """Owners, hosts and researchers see every upload; others only what its attachment allows."""
    if not user.is_authenticated or not user.can(Permission.READ):
        return False
    if upload.owner_id == user.id or policy.can_moderate(user) or user.can(Permission.RESEARCH):
        return True
    if upload.attached_type == AVATAR:
        return True  # avatars show beside posts and in lists, to every member
    predicate = ATTACHMENT_POLICIES.get(upload.attached_type or "")
    return bool(predicate and upload.attached_id and predicate(user, upload.attached_id))


@bp.route("/uploads/<name>")
def upload_file(name: str):
    """An uploaded image (``?w=320`` or ``?w=1280``: its thumbnail) with its real type, nosniff and a sandbox CSP."""
    upload = upload_named(name)
    if upload is None or not can_view_upload(current_user, upload):
        abort(404)
    width = request.args.get("w", type=int)
    path = stored_path(upload, width if width in THUMB_WIDTHS else None)
    if not path.is_file():
        abort(404)
    response = image_response(path, upload.content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["Content-Disposition"] = "inline"
    return response
