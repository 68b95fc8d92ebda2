"""Jinja globals and filters every page uses: the policy predicates, enums, dates, CSRF and URL helpers.

Domains add their own globals (the top bar, level labels, poll panels...) from their ``wiring.init_app``.
"""
from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app, g, request, url_for
from jinja2 import Template
from markupsafe import Markup

from app.core.babel_internals import current_locale, install_gettext
from app.core.dates import duration, format_day, format_moment, format_month, machine_time, time_ago
from app.core.forms import ConfirmForm, install_csrf_input, signed_csrf_token
from app.db import ContentState
from app.i18n import LANGUAGE_NAMES
from app.security import activity_policy, policy
from app.security.roles import Permission, Role


def _page_url(page: int) -> str:
    """This page's URL with another page number (the URL is built once per request, then filled in)."""
    make = g.get("_th_page_url")
    if make is None:
        args = dict(request.view_args or {})
        args.update(request.args.to_dict())
        args.pop("page", None)
        make = g._th_page_url = url_maker(request.endpoint, "page", **args)
    return make(page)


def _confirm_form() -> ConfirmForm:
    """One empty form per request for the CSRF tokens of plain buttons (it holds no data, so it can be shared)."""
    if "_th_confirm_form" not in g:
        g._th_confirm_form = ConfirmForm(formdata=None)
    return g._th_confirm_form


def csrf_field() -> Markup:
    """The hidden CSRF input every POST form carries; the same markup as ``ConfirmForm().hidden_tag()``."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return Markup("")  # what hidden_tag() renders when CSRF is off (tests)
    return Markup('<input name="csrf_token" type="hidden" value="%s">') % signed_csrf_token()


_URL_PROBE = 1999999999  # a row id (it fits the 32-bit id converter) that marks where the id goes


def url_maker(endpoint: str, param: str, **values):
    """``url_for`` for a long list: the URL is built once with a probe id, then each id is filled in.

    Returns ``make(id) -> url``, equal to ``url_for(endpoint, **values, param=id)`` for integer ids.
    """
    probe = url_for(endpoint, **values, **{param: _URL_PROBE})
    head, found, tail = probe.partition(str(_URL_PROBE))
    if not found or str(_URL_PROBE) in tail:
        return lambda value: url_for(endpoint, **values, **{param: value})
    return lambda value: f"{head}{int(value)}{tail}"


class ImportingTemplate(Template):
    """Jinja's Template, with a cheaper test when a page imports macros (``{% from ... import ... %}``).

    Jinja checks whether the importing page has globals the macro module lacks as ``ctx.globals_keys -
    self.globals.keys()``: a Python-level loop over a ChainMap (about 20 µs per import with this app's globals, on
    every render). ``set.difference`` takes the same keys at C speed; the answer, and what follows, are Jinja's.
    """

    def _get_default_module(self, ctx=None):
        if ctx is None or self.environment.is_async:
            return super()._get_default_module(ctx)
        keys = ctx.globals_keys.difference(self.globals)
        if keys:
            return self.make_module({key: ctx.parent[key] for key in keys})
        return super()._get_default_module(None)


def init_app(app: Flask) -> None:
    install_csrf_input()
    app.jinja_env.template_class = ImportingTemplate  # before any template is loaded
    app.jinja_env.globals.update(
        policy=policy, activity=activity_policy, Permission=Permission, Role=Role, ContentState=ContentState,
        LANGUAGE_NAMES=LANGUAGE_NAMES, page_url=_page_url, confirm_form=_confirm_form, csrf_field=csrf_field,
        current_locale=lambda: str(current_locale() or "en"), url_maker=url_maker,
    )
    install_gettext(app.jinja_env)  # Flask-Babel's own callables look the translations up on every call
    app.jinja_env.filters["datetime"] = format_moment  # the one date policy (app/core/dates.py)
    app.jinja_env.filters["date"] = format_day
    app.jinja_env.filters["month"] = format_month
    app.jinja_env.filters["isotime"] = machine_time
    app.jinja_env.filters["ago"] = time_ago
    app.jinja_env.filters["fromiso"] = datetime.fromisoformat
    app.jinja_env.filters["duration"] = duration
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
