"""Locale and timezone selection: the member's setting, then the browser's Accept-Language."""
from __future__ import annotations

from datetime import tzinfo

import pytz
from babel import Locale, support
from flask import Flask, request
from flask_babel import get_locale
from flask_login import current_user
from wtforms.i18n import messages_path

from app.extensions import babel

LANGUAGE_NAMES = {"en": "English", "zh_Hans": "简体中文"}


def locale_from_accept_language() -> str | None:
    """The first supported language in the browser's Accept-Language (needs no database), or None."""
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
        return locale_from_accept_language() or "en"
    return "en"


def select_timezone() -> str | None:
    user = current_user
    if user and user.is_authenticated and user.timezone:
        return user.timezone
    return None


_locales: dict[str, Locale] = {}
_zones: dict[str, tzinfo] = {}


def _babel_locale() -> Locale:
    """``select_locale`` as the parsed Locale, parsed once per language and process (Flask-Babel parses the name
    on every request otherwise; a Locale is not changed by its users)."""
    name = select_locale()
    locale = _locales.get(name)
    if locale is None:
        locale = _locales[name] = Locale.parse(name)
    return locale


def _babel_timezone() -> tzinfo | None:
    """``select_timezone`` as the tz object, looked up once per zone and process."""
    name = select_timezone()
    if name is None:
        return None
    zone = _zones.get(name)
    if zone is None:
        zone = _zones[name] = pytz.timezone(name)
    return zone


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=_babel_locale, timezone_selector=_babel_timezone)
    app.before_request(_share_wtforms_translations)


class _WTFormsMessages:
    """WTForms' own messages in the current language, each catalogue read from disk once per process.

    Flask-WTF uses ``request.wtforms_translations`` when it is set and otherwise reads the catalogue file again
    on every request that builds a form. The language is looked up when a message is, not when the request
    starts, so a member who has just switched language gets the new one.
    """

    def __init__(self) -> None:
        self._catalogues: dict[str, object] = {}

    def _catalogue(self):
        locale = get_locale()
        key = str(locale)
        if key not in self._catalogues:
            self._catalogues[key] = support.Translations.load(messages_path(), [locale], domain="wtforms")
        return self._catalogues[key]

    def ugettext(self, string: str) -> str:
        return self._catalogue().ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalogue().ungettext(singular, plural, n)


_wtforms_messages = _WTFormsMessages()


def _share_wtforms_translations() -> None:
    request.wtforms_translations = _wtforms_messages
