"""Locale and timezone selection: the member's setting, then the browser's Accept-Language."""
from __future__ import annotations

from flask import Flask, request
from flask_login import current_user

from app.extensions import babel

LANGUAGE_NAMES = {"en": "English", "zh_Hans": "简体中文"}


def _from_accept_language() -> str | None:
    for lang, _quality in request.accept_languages:
        tag = lang.lower().replace("_", "-")
        if tag.startswith("zh"):
            # Traditional-script regions are not served yet; everything else Chinese gets zh_Hans.
            if any(part in tag for part in ("hant", "-tw", "-hk", "-mo")):
                continue
            return "zh_Hans"
        if tag.startswith("en"):
            return "en"
    return None


def select_locale() -> str:
    user = current_user
    if user and user.is_authenticated and user.locale in LANGUAGE_NAMES:
        return user.locale
    if request:
        return _from_accept_language() or "en"
    return "en"


def select_timezone() -> str | None:
    user = current_user
    if user and user.is_authenticated and user.timezone:
        return user.timezone
    return None


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
