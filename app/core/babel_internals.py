"""The one module that reads Flask and Flask-Babel internals: the request's locale, time zone and translations.

Why: a page asks for the locale about a hundred times, and Flask-Babel's public lookups go through the ``g``
proxy several times per call. Here the value Flask-Babel already chose is read from ``flask.globals._cv_app``
and the ``_flask_babel`` attribute Flask-Babel 4 keeps on ``g`` (``force_locale`` and ``refresh`` change it, so
they are seen at once). When it is missing, the public API answers: an upgrade can make pages slower, never
wrong. ``tests/test_i18n.py`` checks both agree.
"""
from __future__ import annotations

from flask.globals import _cv_app
from flask_babel import get_locale, get_timezone, get_translations
from jinja2 import Environment


def _babel_chosen(name: str):
    """What Flask-Babel has chosen for this request (``babel_locale``, ``babel_tzinfo``), or None before it chose."""
    context = _cv_app.get(None)
    return getattr(getattr(context.g, "_flask_babel", None), name, None) if context else None


def current_locale():
    """``flask_babel.get_locale()``, read straight from where Flask-Babel keeps the chosen locale."""
    chosen = _babel_chosen("babel_locale")
    return chosen if chosen is not None else get_locale()


def current_timezone():
    """``flask_babel.get_timezone()``, read as ``current_locale`` reads the locale."""
    chosen = _babel_chosen("babel_tzinfo")
    return chosen if chosen is not None else get_timezone()


def _translations():
    """The request's translations, looked up once per locale (force_locale and refresh switch the locale object)."""
    locale = current_locale()
    request_globals = _cv_app.get().g  # flask.g without the proxy: this runs for every translated string
    memo = getattr(request_globals, "_th_translations", None)
    if memo is not None and memo[0] is locale:
        return memo[1]
    translations = get_translations()
    request_globals._th_translations = (locale, translations)
    return translations


def _gettext(string: str) -> str:
    return _translations().ugettext(string)


def _ngettext(singular: str, plural: str, num: int) -> str:
    return _translations().ungettext(singular, plural, num)


def _pgettext(context: str, string: str) -> str:
    return _translations().upgettext(context, string)


def _npgettext(context: str, singular: str, plural: str, num: int) -> str:
    return _translations().unpgettext(context, singular, plural, num)


def install_gettext(jinja_env: Environment) -> None:
    """Templates' ``_``, ``ngettext``, ``pgettext`` and ``npgettext`` through the memoised translations."""
    jinja_env.install_gettext_callables(_gettext, _ngettext, newstyle=True, pgettext=_pgettext,
                                        npgettext=_npgettext)
