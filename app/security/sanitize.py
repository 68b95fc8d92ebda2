"""The only module that imports bleach: the allowlist for member HTML lives here."""
from __future__ import annotations

from urllib.parse import urlsplit

import bleach
from bleach.html5lib_shim import Filter
from bleach.linkifier import Linker

UPLOAD_URL_PREFIX = "/uploads/"

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "em", "strong", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "img", "h3", "h4", "h5", "h6",
})
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"


def is_own_upload_url(src: str) -> bool:
    """True for a site-relative URL under our upload view, the only place images may come from."""
    parts = urlsplit(src)
    return (
        not parts.scheme and not parts.netloc and parts.path.startswith(UPLOAD_URL_PREFIX)
        and ".." not in parts.path and "\\" not in src and not src.startswith("//")
    )


def is_allowed_href(href: str) -> bool:
    """Absolute http(s)/mailto links, site-relative paths and fragments; nothing else survives."""
    lowered = href.strip().lower()
    if lowered.startswith(("http://", "https://", "mailto:", "#")):
        return True
    return lowered.startswith("/") and not lowered.startswith("//") and "\\" not in lowered


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name == "title" or (name == "href" and is_allowed_href(value))
    if tag == "img":
        return is_own_upload_url(value) if name == "src" else name in {"alt", "title"}
    if tag == "ol":
        return name == "start" and value.isdigit()
    return False


class _DropImagesWithoutSource(Filter):
    """An <img> whose src was refused would render as a broken image: drop the tag."""

    def __iter__(self):
        for token in Filter.__iter__(self):
            if (
                token.get("type") in {"StartTag", "EmptyTag"} and token.get("name") == "img"
                and (None, "src") not in (token.get("data") or {})
            ):
                continue
            yield token


def _set_link_rel(attrs: dict, new: bool = False) -> dict:
    if (None, "href") in attrs:
        attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allow_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[_DropImagesWithoutSource],
)
_linker = Linker(callbacks=[_set_link_rel], parse_email=False, skip_tags={"pre", "code"})


def clean_html(html: str) -> str:
    """Clean rendered member HTML to the allowlist; every link gets rel="nofollow ugc noopener"."""
    return _linker.linkify(_cleaner.clean(html))


def strip_tags(html: str) -> str:
    """The text of an HTML fragment, with every tag removed (entities stay escaped)."""
    return bleach.clean(html, tags=set(), strip=True)
