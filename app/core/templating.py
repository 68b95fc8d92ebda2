"""Jinja globals and filters: the policy predicates, enums and date formatting.

Rendering a page calls gettext, the date filters and url_for dozens of times, so the hot ones here are
memoised: translations once per request (per locale), dates by their local day and time of day (or, for
patterns that show the zone, by their exact inputs) and relative times by the (unit, number, direction) that
decides their text, each put together exactly as Babel does.
Fragments that are the same for many members (the navigation, the landing panels) are rendered once per key
by ``fragment`` and kept in a small in-process LRU; nothing in them may depend on anything outside the key.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from babel.dates import TIMEDELTA_UNITS, format_date, format_time, get_datetime_format
from flask import Flask, current_app, g, request, url_for
from flask.globals import _cv_app
from flask_babel import format_datetime, format_timedelta, get_locale, get_timezone, get_translations
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from app.core.forms import ConfirmForm
from app.db import ContentState, utcnow
from app.i18n import LANGUAGE_NAMES
from app.security import policy
from app.security.roles import Permission, Role


def _babel_chosen(name: str):
    """What Flask-Babel has chosen for this request (``babel_locale``, ``babel_tzinfo``), or None before it chose."""
    context = _cv_app.get(None)
    return getattr(getattr(context.g, "_flask_babel", None), name, None) if context else None


def current_locale():
    """``flask_babel.get_locale()``, read straight from where Flask-Babel keeps the chosen locale.

    Pages ask for the locale a hundred times (every translated string, date and relative time); Flask-Babel's
    own lookup goes through the ``g`` proxy three times per call. ``force_locale`` and ``refresh`` change the
    same attribute, so they are seen at once; before the locale is chosen (or should Flask-Babel keep it
    elsewhere one day) this is ``get_locale()`` itself.
    """
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


@lru_cache(maxsize=16384)
def _datetime_text(value: datetime, fmt: str, _locale, _zone) -> str:
    # The locale and zone are part of the key; the request formats with the same ones.
    return format_datetime(value, fmt)


_ZONE_FIELDS = re.compile(r"[zZOvVxX]")


@lru_cache(maxsize=64)
def _datetime_pattern(fmt: str, locale) -> str | None:
    """The locale's ``{1}, {0}``-style pattern for a standard format whose time shows no zone, else None."""
    if fmt not in ("short", "medium", "long", "full"):
        return None
    time_pattern = re.sub(r"'[^']*'", "", locale.time_formats[fmt].pattern)
    if _ZONE_FIELDS.search(time_pattern) or "S" in time_pattern:  # a zone, or fractions of a second
        return None
    return get_datetime_format(fmt, locale=locale).replace("'", "")


@lru_cache(maxsize=4096)
def _date_text(day: date, fmt: str, locale) -> str:
    return format_date(day, fmt, locale=locale)


@lru_cache(maxsize=16384)
def _time_text(moment: time, fmt: str, locale) -> str:
    return format_time(moment, fmt, locale=locale)


def format_when(value: datetime | None, fmt: str = "medium") -> str:
    """``format_datetime`` in the member's locale and time zone.

    For the standard formats Babel writes the date and the time of day separately and fills them into the
    locale's pattern; here each half is memoised (a list of posts shares a few days and repeats no exact time),
    then put together the same way. Patterns that show the zone are memoised on their exact inputs.
    """
    if not value:
        return ""
    locale, zone = current_locale(), current_timezone()
    pattern = _datetime_pattern(fmt, locale)
    if pattern is None:
        return _datetime_text(value, fmt, locale, zone)
    if value.tzinfo is None:  # as Flask-Babel reads a naive value
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(zone)
    return pattern.replace("{0}", _time_text(local.time().replace(microsecond=0), fmt, locale)).replace(
        "{1}", _date_text(local.date(), fmt, locale))


_RELATIVE: dict[tuple, str] = {}


def format_relative(delta: timedelta, *, granularity: str, threshold: float, add_direction: bool = False) -> str:
    """Babel's ``format_timedelta``, memoised on what decides its text: the unit, the rounded number, the sign.

    Babel prints the first unit whose value reaches the threshold (or the granularity) as round(value); the
    same choice here finds the memo key, and a miss asks Babel itself.
    """
    seconds = int(delta.days * 86400 + delta.seconds)
    for unit, per_unit in TIMEDELTA_UNITS:
        value = abs(seconds) / per_unit
        if value >= threshold or unit == granularity:
            if unit == granularity and value > 0:
                value = max(1, value)
            key = (unit, int(round(value)), seconds >= 0, granularity, threshold, add_direction, current_locale())
            text = _RELATIVE.get(key)
            if text is None:
                if len(_RELATIVE) > 4096:
                    _RELATIVE.clear()
                text = _RELATIVE[key] = format_timedelta(delta, granularity=granularity, threshold=threshold,
                                                         add_direction=add_direction)
            return text
    return format_timedelta(delta, granularity=granularity, threshold=threshold, add_direction=add_direction)


def _ago(value: datetime | None, now: datetime | None = None) -> str:
    if value is None:
        return ""
    return format_relative(value - (now or utcnow()), granularity="minute", threshold=1, add_direction=True)


def _duration(delta: timedelta) -> str:
    return format_relative(delta, granularity="minute", threshold=1.5)


class LRU:
    """A small thread-safe least-recently-used map."""

    def __init__(self, size: int) -> None:
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


_fragments = LRU(256)


def fragment(template: str, key: tuple, **context) -> Markup:
    """Render ``template`` with ``context``, or reuse the HTML rendered for the same key.

    The key must determine the context completely; the language, time zone and URL root are added to it here.
    The template is rendered without the request's context processors (no current_user), so nothing personal
    can end up in a shared fragment.
    """
    full_key = (template, key, current_locale(), current_timezone(), request.script_root)
    html = _fragments.get(full_key)
    if html is None:
        html = Markup(current_app.jinja_env.get_template(template).render(context))
        _fragments.put(full_key, html)
    return html


def _top_bar() -> Markup:
    """The brand, the main navigation and the search box: the same for everyone with the same permissions."""
    from flask_login import current_user

    from app.points.leaderboard import mode as leaderboard_mode
    from app.security.activity_policy import can_see_leaderboard

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


def _head_assets() -> Markup:
    return fragment("_partials/head_assets.html", ())


def _page_url(page: int) -> str:
    """This page's URL with another page number (the URL is built once per request, then filled in)."""
    make = g.get("_th_page_url")
    if make is None:
        args = dict(request.view_args or {})
        args.update(request.args.to_dict())
        args.pop("page", None)
        make = g._th_page_url = url_maker(request.endpoint, "page", **args)
    return make(page)


def _unread_notifications() -> int:
    """The member's unread notification count, counted once per request (the header and pages share it)."""
    from flask_login import current_user

    from app.members.notifications import unread_count

    if not current_user.is_authenticated:
        return 0
    if "_th_unread_notifications" not in g:
        g._th_unread_notifications = unread_count(current_user.id)
    return g._th_unread_notifications


def _confirm_form() -> ConfirmForm:
    """One empty form per request for the CSRF tokens of plain buttons (it holds no data, so it can be shared)."""
    if "_th_confirm_form" not in g:
        g._th_confirm_form = ConfirmForm(formdata=None)
    return g._th_confirm_form


def csrf_field() -> Markup:
    """The hidden CSRF input every POST form carries; the same markup as ``ConfirmForm().hidden_tag()``."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return Markup("")  # what hidden_tag() renders when CSRF is off (tests)
    return Markup('<input id="csrf_token" name="csrf_token" type="hidden" value="%s">') % generate_csrf()


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


def _level_label(points: int | None) -> str:
    """A member's level as shown beside their posts, translated once per level and request."""
    from app.points.rules import level_for

    level = level_for(points or 0)
    memo = g.get("_th_level_labels")
    if memo is None:
        memo = g._th_level_labels = {}
    key = (level.number, current_locale())
    if key not in memo:
        memo[key] = level.label
    return memo[key]


def _canned_replies() -> list[tuple[str, str]]:
    """Active canned replies as (title, text in the host's language) for the reply boxes."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.moderation.models import CannedReply

    locale = str(get_locale() or "en")
    replies = db.session.scalars(sa.select(CannedReply).where(CannedReply.archived_at.is_(None))
                                 .order_by(CannedReply.title))
    return [(reply.title, reply.body_for(locale)) for reply in replies]


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        policy=policy, Permission=Permission, Role=Role, ContentState=ContentState,
        LANGUAGE_NAMES=LANGUAGE_NAMES, page_url=_page_url, confirm_form=_confirm_form, csrf_field=csrf_field,
        current_locale=lambda: str(current_locale() or "en"), unread_notifications=_unread_notifications,
        canned_replies=_canned_replies, level_label=_level_label, url_maker=url_maker, top_bar=_top_bar,
        head_assets=_head_assets,
    )
    from app.activities.templating import jinja_globals  # polls, competitions, points, segments

    app.jinja_env.globals.update(jinja_globals())
    # Flask-Babel's callables look the translations up through several context lookups on every call.
    app.jinja_env.install_gettext_callables(_gettext, _ngettext, newstyle=True, pgettext=_pgettext,
                                            npgettext=_npgettext)
    app.jinja_env.filters["datetime"] = format_when
    app.jinja_env.filters["ago"] = _ago
    app.jinja_env.filters["fromiso"] = datetime.fromisoformat
    app.jinja_env.filters["duration"] = _duration
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
