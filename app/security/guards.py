"""Route guards: permission decorators, object checks and whole-area guards for blueprints."""
from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user

from app.security.roles import Permission


def is_safe_next(target: str | None) -> bool:
    """Only same-site relative paths are accepted as a post-login destination.

    Control characters, spaces and other invisible characters are refused outright: browsers drop tabs and line
    breaks from URLs (so ``/\t/evil.example`` would become ``//evil.example``), and a line break would split the
    Location header.
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if any(unicodedata.category(char)[0] in "CZ" for char in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def referrer_or(default: str) -> str:
    """The page the request came from when it is one of ours (same host, safe path), else ``default``."""
    parts = urlsplit(request.referrer or "")
    path = parts.path + ("?" + parts.query if parts.query else "")
    return path if parts.netloc == request.host and is_safe_next(path) else default


def login_redirect():
    nxt = request.full_path if request.query_string else request.path
    return redirect(url_for("auth.login", next=nxt if is_safe_next(nxt) else None))


def _deny():
    if not current_user.is_authenticated:
        return login_redirect()
    abort(403)


def require(*permissions: Permission) -> Callable:
    """Decorate a view so only members holding every permission reach it."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated or not all(current_user.can(p) for p in permissions):
                return _deny()
            return view(*args, **kwargs)

        return wrapped

    return decorator


def ensure(allowed: bool, *, hidden: bool = False) -> None:
    """Abort with 403 (or 404 when the object's existence must not be revealed) unless allowed."""
    if not allowed:
        abort(404 if hidden else 403)


def guard_area(blueprint: Blueprint, *permissions: Permission) -> None:
    """Guard every route of a blueprint once, instead of one decorator per route."""

    @blueprint.before_request
    def _area_guard():
        if not current_user.is_authenticated or not all(current_user.can(p) for p in permissions):
            return _deny()
        return None
