"""Member markdown to safe HTML, rendered once on write; plus text hygiene checks."""
from __future__ import annotations

import html as html_lib
import re
import unicodedata

from flask_babel import gettext as _
from markdown_it import MarkdownIt

from app.security.sanitize import clean_html

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("strikethrough")

# Bidi overrides/isolates and zero-width characters that can disguise names and titles.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class TextError(ValueError):
    """Text that cannot be accepted, with a message meant for the member."""


def check_text(value: str) -> str:
    """Refuse NUL bytes and lone surrogates; return the value unchanged otherwise."""
    if "\x00" in value:
        raise TextError(_("The text contains a NUL character; please remove it."))
    if _SURROGATE.search(value):
        raise TextError(_("The text contains an invalid character; please retype it."))
    return value


def clean_line(value: str) -> str:
    """Normalise a one-line label (display name, title, file name): no invisible or control chars."""
    value = check_text(value)
    value = _INVISIBLE.sub("", value)
    value = "".join(ch for ch in value if unicodedata.category(ch) != "Cc")
    return " ".join(value.split())


def render_markdown(source: str) -> str:
    """Render member markdown (raw HTML off) and clean the result with the sanitiser allowlist."""
    return clean_html(_md.render(check_text(source)))


_ANCHOR_RE = re.compile(r'<a\b[^>]*?href="([^"]*)"[^>]*>(.*?)</a>', re.DOTALL)
_BLOCK_END_RE = re.compile(r"</(?:p|li|blockquote|h\d|pre)>|<br\s*/?>|<hr\s*/?>")
_TAG_RE = re.compile(r"<[^>]+>")
_BLANK_LINES_RE = re.compile(r"\n{3,}")


def _anchor_text(match: re.Match) -> str:
    href, label = html_lib.unescape(match.group(1)), match.group(2)
    plain = html_lib.unescape(_TAG_RE.sub("", label))
    return label if plain.strip() == href else f"{label} ({html_lib.escape(href)})"


def html_to_text(html: str) -> str:
    """Plain text of stored (already sanitised) post HTML: links kept as text, one line per block."""
    text = _ANCHOR_RE.sub(_anchor_text, html)
    text = _BLOCK_END_RE.sub("\n", text)
    text = html_lib.unescape(_TAG_RE.sub("", text))
    return _BLANK_LINES_RE.sub("\n\n", text).strip()


def excerpt(html: str, length: int = 160) -> str:
    """A one-line excerpt of stored post HTML."""
    text = " ".join(html_to_text(html).split())
    return text if len(text) <= length else text[: length - 1] + "…"
