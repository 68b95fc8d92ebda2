"""Dates and relative times on pages, in the member's locale and time zone, memoised.

A list of posts shares a few days and repeats no exact time, so dates are memoised by their local day and time
of day apart (or, for patterns that show the zone, by their exact inputs) and relative times by the unit, number
and direction that decide their text; each is put together exactly as Babel does.
"""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from babel.dates import TIMEDELTA_UNITS, format_date, format_skeleton, format_time, get_datetime_format
from flask_babel import format_datetime, format_timedelta

from app.core.babel_internals import current_locale, current_timezone
from app.db import utcnow


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
    """``format_datetime`` in the member's locale and time zone, the date and time of day memoised apart."""
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


def _local(value: datetime | date) -> datetime | date:
    if not isinstance(value, datetime):
        return value
    if value.tzinfo is None:  # as Flask-Babel reads a naive value
        value = value.replace(tzinfo=UTC)
    return value.astimezone(current_timezone())


# The one date policy on pages: a moment is the medium date and the short time ("Dec 5, 2026, 2:54 AM",
# "2026年12月5日 02:54"), a day the medium date, a month the year and abbreviated month; all in the member's
# language and time zone. Recent moments may read "3 minutes ago" (time_ago) with the full moment beside them.
def format_moment(value: datetime | None, _format: str | None = None) -> str:
    """A date and time of day by the policy above (a format asked for by an older template is ignored)."""
    if not value:
        return ""
    return _moment_text(value, current_locale(), current_timezone())


@lru_cache(maxsize=16384)
def _moment_text(value: datetime | date, locale, zone) -> str:
    """``format_moment`` of one value in one language and zone: pages show the same moments request after request."""
    if not isinstance(value, datetime):
        return _date_text(value, "medium", locale)
    if value.tzinfo is None:  # as Flask-Babel reads a naive value
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(zone)
    pattern = get_datetime_format("medium", locale=locale).replace("'", "")
    return pattern.replace("{0}", _time_text(local.time().replace(second=0, microsecond=0), "short", locale)).replace(
        "{1}", _date_text(local.date(), "medium", locale))


def format_day(value: datetime | date | None) -> str:
    """The day of ``value`` in the member's time zone, as a medium date ("Dec 5, 2026", "2026年12月5日")."""
    if not value:
        return ""
    local = _local(value)
    return _date_text(local.date() if isinstance(local, datetime) else local, "medium", current_locale())


def format_month(value: datetime | date | None) -> str:
    """The month of ``value`` ("Nov 2026", "2026年11月")."""
    if not value:
        return ""
    local = _local(value)
    day = local.date() if isinstance(local, datetime) else local
    return _month_text(day.replace(day=1), current_locale())


@lru_cache(maxsize=1024)
def _month_text(day: date, locale) -> str:
    return format_skeleton("yMMM", day, locale=locale)


def machine_time(value: datetime | None) -> str:
    """A ``<time datetime>`` value: UTC to the second, as HTML requires it ("2026-12-05T02:54:10Z")."""
    if not value:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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
            key = (unit, round(value), seconds >= 0, granularity, threshold, add_direction, current_locale())
            text = _RELATIVE.get(key)
            if text is None:
                if len(_RELATIVE) > 4096:
                    _RELATIVE.clear()
                text = _RELATIVE[key] = format_timedelta(delta, granularity=granularity, threshold=threshold,
                                                         add_direction=add_direction)
            return text
    return format_timedelta(delta, granularity=granularity, threshold=threshold, add_direction=add_direction)


def time_ago(value: datetime | None, now: datetime | None = None) -> str:
    """"3 minutes ago" (or "in 3 minutes") for ``value`` seen from ``now``."""
    if value is None:
        return ""
    return format_relative(value - (now or utcnow()), granularity="minute", threshold=1, add_direction=True)


def duration(delta: timedelta) -> str:
    """A length of time such as "2 hours", to the minute."""
    return format_relative(delta, granularity="minute", threshold=1.5)
