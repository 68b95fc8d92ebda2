"""Identity in exported rows: the author and quoted-author columns, and every member named in the text.

In the pseudonym and none formats no display name or email leaves in a file: quote headers, @mentions and the
winners in competition results become the member's pseudonym ("[member]" in format none, and always for a member
who withdrew consent); names and emails in free text (nicknames, email local parts and signatures too:
``member_names``) read "[member]", so a wrong guess links no pseudonym to anyone. The display-name format is identifying by choice and keeps the text as
written. In every format a withdrawn member's quoted words are dropped (under any header, and any sentence of theirs
copied into someone else's text, with the whole sentence it stands in: ``withdrawn_words``; an everyday sentence
others wrote too stays in their own words, except in a reply to the withdrawn member's post), and quotes can be
dropped altogether.

Links into the forum name people too: whoever can sign in opens ``/u/<id>`` (a profile), ``/t/<id>`` or ``/p/<id>``
(a thread or a post, with its author's name) or an activity's page. In the pseudonym and none formats such links,
relative or absolute on the community's public address, become ``[member-link]``, ``[post-link]`` or
``[activity-link]``; the id columns carry keyed references instead of ids (``pseudonyms.reference``).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import current_app

from app.research.member_names import MemberNames, load_member_names
from app.research.pseudonyms import WITHDRAWN, PseudonymBook
from app.research.quotes import NOT_A_REPLY, QuoteRules, inline_quotes
from app.research.withdrawn_words import WithdrawnWords, shared_withdrawn_words
from app.text.markup import html_to_text

_MARK = "\ue000"  # a private-use character: a label waits here until the text has been searched for names
_MARK_RE = re.compile(_MARK + "(.)", re.DOTALL)
_TEXT_NODE = re.compile(r"(?<=>)[^<>]+(?=<)")
_FIRST_SLOT, _MAX_SLOTS = 0xE001, 0x1800
_LINK_PLACEHOLDERS = {"u": "[member-link]", "t": "[post-link]", "p": "[post-link]", "competitions": "[activity-link]",
                      "tasks": "[activity-link]", "polls": "[activity-link]"}


def forum_link_pattern(public_url: str | None) -> re.Pattern:
    """Links to a profile, thread, post or activity of this community: relative ("/u/12", "/t/5#p3") or absolute on
    its public address (any scheme, with or without www. and the path prefix)."""
    parts = urlsplit(public_url or "")
    prefix = re.escape(parts.path.rstrip("/"))
    absolute = rf"(?:(?:https?:)?//)?(?:www\.)?{re.escape(parts.hostname)}(?::\d+)?" if parts.hostname else r"(?!)"
    return re.compile(rf"(?:{absolute}|(?<![\w/.:@-]))(?:{prefix})?/(?P<kind>u|t|p|competitions|tasks|polls)/\d+"
                      r"(?![\w-]|\.\w)(?:[/?#](?:[^\s<>()\[\]\"'，。、）】]*[^\s<>()\[\]\"'，。、）】.,;:!?])?)?",
                      re.IGNORECASE)


class _Marks:
    """Labels set aside while the rest of a text is still searched, so a label is never read as a name."""

    def __init__(self, label: Callable[[int | None], str]) -> None:
        self.label = label
        self.values: list[str] = []

    def __call__(self, user_id: int | None) -> str:
        if len(self.values) >= _MAX_SLOTS:
            return self.label(user_id)
        self.values.append(self.label(user_id))
        return _MARK + chr(_FIRST_SLOT + len(self.values) - 1)

    def fill(self, text: str) -> str:
        if not self.values:
            return text
        return _MARK_RE.sub(lambda m: self.values[ord(m.group(1)) - _FIRST_SLOT], text)


class Deidentifier:
    """One export's identity rules: who the author is, who is quoted, and the text with members' names replaced."""

    def __init__(self, *, identity: str, drop_quotes: bool, clean: Callable[[str], str],
                 names: MemberNames | None = None, words: WithdrawnWords | None = None) -> None:
        self.mode = identity
        self.drop_quotes = drop_quotes
        self.clean = clean
        self.book = PseudonymBook()
        self.names = names if names is not None else load_member_names()  # given: built once for several workers
        self.rules = QuoteRules()
        # given: read once for several workers; else kept for this state of the community (``withdrawn_words``)
        self.withdrawn_words = words if words is not None else shared_withdrawn_words(self.names.withdrawn)
        self.forum_links = forum_link_pattern(current_app.config.get("PUBLIC_URL"))

    @property
    def keeps_names(self) -> bool:
        return self.mode == "display_name"

    def author(self, user_id: int | None, display_name: str | None) -> str:
        """The author column in the chosen format."""
        if self.mode == "none":
            return ""
        if self.mode == "display_name":
            return display_name or ""
        return self.book(user_id)

    def quoted(self, user_id: int | None, display_name: str | None) -> str:
        """The quoted author's column: like the author, but empty for a member who withdrew."""
        if user_id is not None and user_id in self.names.withdrawn:
            return ""
        return self.author(user_id, display_name)

    def named(self, user_id: int | None) -> str:
        """What stands in text where a member was named (pseudonym formats only)."""
        if self.mode == "none" or user_id is None or user_id in self.names.withdrawn:
            return WITHDRAWN
        return self.book(user_id)

    def post_text(self, html: str, quoted_author=NOT_A_REPLY, author: int | None = None) -> str:
        """Plain text of post HTML: quotes re-attributed or dropped, contact details scrubbed, names replaced (its
        ``author``'s own name forms in a signature or a self-introduction too)."""
        marks = _Marks(self.named)
        html = html.replace(_MARK, "")
        if "<blockquote" in html:  # identifiers first: a header's name replaced could cut "小红书号" in two
            html = _TEXT_NODE.sub(lambda m: self.clean(m.group()), html)
        html = self.rules.rewrite(html, quoted_author=quoted_author, drop=self.drop_quotes,
                                  names=self.names, label=None if self.keeps_names else marks,
                                  words=self.withdrawn_words)
        # A results post's lines first: "“title”——39 票" is no quote signed by "39", and a withdrawn winner's title
        # reads WITHDRAWN_ENTRY before the quotes and words of withdrawn members are taken out around it.
        text = self.rules.rewrite_awards(html_to_text(html), names=self.names, label=None if self.keeps_names else marks)
        text = inline_quotes(text, self.names, drop=self.drop_quotes)
        replies_to_withdrawn = quoted_author is not NOT_A_REPLY and quoted_author in self.names.withdrawn
        text = self.clean(self.withdrawn_words.remove(text, commonplaces=replies_to_withdrawn))
        if self.keeps_names:
            return text
        text = self.unlink(self.names.drop_signature(text, author))  # "—— 伟哥" at the end names its author
        return marks.fill(self.names.replace(text, marks, author))

    def line(self, text: str | None) -> str:
        """A title or an option: scrubbed, members' names replaced."""
        text = self.clean(text or "")  # identifiers before names: a name inside "小红书号" must not hide the number
        if self.keeps_names or not text:
            return text
        marks = _Marks(self.named)
        return marks.fill(self.names.replace(self.unlink(text.replace(_MARK, "")), marks))

    def unlink(self, text: str) -> str:
        """Links into the forum replaced by what they pointed to ("[member-link]", "[post-link]"…)."""
        if "/" not in text:
            return text
        return self.forum_links.sub(lambda m: _LINK_PLACEHOLDERS[m.group("kind").lower()], text)
