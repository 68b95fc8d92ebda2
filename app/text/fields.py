"""Member text checked for one form field: a refusal becomes a DomainError attached to that field."""
from __future__ import annotations

import unicodedata

from flask import current_app
from flask_babel import gettext as _

from app.core.exceptions import DomainError
from app.text.markup import TextError, clean_line, render_markdown


def clean_label(value: str | None, field: str, *, low: int, high: int, message) -> str:
    """A cleaned one-line value of ``low`` to ``high`` characters; ``message`` says the limits when it is not.

    Pass ``message`` as a lazy string where the request may change the member's language (their settings): a
    gettext call picks the language for the rest of the request, and should happen only on a refusal.
    """
    try:
        value = clean_line(value or "")
    except TextError as error:
        raise DomainError(str(error), field) from error
    if not low <= len(value) <= high:
        raise DomainError(str(message), field)
    return value


def clean_title(value: str | None, field: str) -> str:
    """A cleaned title of 3 to 200 characters (threads, competitions, entries, tasks), where a wide character (Chinese,
    full-width) counts as two towards the three: two characters make a Chinese title (求助, 晒单, 福利), two letters
    do not make an English one."""
    message = _("A title has 3 to 200 characters.")
    title = clean_label(value, field, low=2, high=200, message=message)
    if sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in title) < 3:
        raise DomainError(message, field)
    return title


def render_body(value: str | None, field: str) -> str:
    """Safe HTML of a non-empty markdown text of at most MAX_POST_CHARS characters (surrounding space dropped)."""
    value = (value or "").strip()
    if not value:
        raise DomainError(_("Please write something."), field)
    limit = current_app.config["MAX_POST_CHARS"]
    if len(value) > limit:
        raise DomainError(_("A post has at most %(n)d characters.", n=limit), field)
    return markdown_html(value, field)


def markdown_html(value: str, field: str) -> str:
    """Safe HTML of a markdown text; text the markup refuses (a NUL, a lone surrogate) is that field's error."""
    try:
        return render_markdown(value)
    except TextError as error:
        raise DomainError(str(error), field) from error
