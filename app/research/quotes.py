"""Who is quoted and named by the forum's own words: the quote button's header ("Emily Chen wrote:" above a
blockquote, forum.services.quote_source) and the competition results a host posts ("🏆 “…” by 大伟 — 3 votes").

Both are found from the translated templates of every language the community offers, so the header a Chinese
member's quote button wrote (“大伟 写道：”) is recognised as well as the English one.

Members also write headers of their own ("X wrote :", "As X said", "X 说：", "引用 X 的话", or "**X**:" as the
quote's first line). A short paragraph right before a blockquote, or a short first line inside it ending in a colon,
that names a member attributes the quote to that member: a withdrawn member's quote is dropped with such a header,
and the researcher's "drop quotes" drops it too; kept, its names read their members' pseudonyms, as the quote
button's header does (``MemberNames.attribute``), where a name in running text reads [member]. A blockquote that holds a sentence a withdrawn member wrote is
dropped whatever its header (``withdrawn_words``).

Quotes written inline, without a blockquote, are found in the plain text (``inline_quotes``): a header that names
a member ("As X said,", "X 说：", "X說", "引用 X 的话：", "Quoting X:", "Originally posted by X:", "回复 X：", "X wrote :")
followed by a quoted span in “…”, 「…」, 『…』 or "…", or, after a colon, by the rest of its line; "X: “…”"; a quote
signed after it ("“…” —— X"); a partial quote later in a sentence that a name and 说/said start ("X said the cream
was “…”"). Such a quote is dropped with "drop quotes" (in quotation marks or after 引用 or
"quoting", whoever it names when the name may be a person's: Chinese, or one word that is no English word; a line
after "X 说：" only when X is a member), and always when the member it names
withdrew; the header stays, its name replaced like any other in running text ([member]). Quotes that name no member are dropped with "drop
quotes" too: BBCode pasted from another forum ("[quote=X]…[/quote]"), a quote line markdown left as text ("＞ …"),
the original post's words ("原帖：…") and a post named by its place (楼上, 楼主, 3楼, OP).
"""
from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from app.research.pseudonyms import WITHDRAWN
from app.text.markup import html_to_text
from app.text.words import is_english_word

_BLOCKQUOTE_TAG = re.compile(r"<(/?)blockquote\b[^>]*>")
_LAST_PARAGRAPH = re.compile(r"<p>((?:(?!<p>).)*)</p>\s*\Z", re.DOTALL)
_FIRST_PARAGRAPH = re.compile(r"\s*<p>((?:(?!</p>).)*)</p>", re.DOTALL)
_SHORT_HEADER = 120  # characters: a paragraph longer than this is the member's own words, not a header
# What makes a short paragraph before a quote its header: a closing colon, or a word that introduces a quote.
_HEADER_CUE = re.compile(r"[:：]\s*\Z|(?<![\w])(?:wrote|writes|said|says|quoting|quote|quoted|according to|"
                         r"posted)(?![\w])|说|写道|引用|的话|提到|回复", re.IGNORECASE)
_SLOT = "\x00"
NOT_A_REPLY = object()  # no quoted post is known for the first header
WITHDRAWN_ENTRY = "[entry]"  # a withdrawn winner's entry title in a results post
Label = Callable[[int | None], str]


def _template_regex(render: Callable[[], str], index: int) -> str:
    """A regex for one translated message: its name and title as the named groups ``name<index>`` and
    ``title<index>`` (one index per language: an alternation cannot repeat a name), other placeholders as ``.+?``."""
    parts = render().split(_SLOT)
    pattern = ""
    for position, part in enumerate(parts):
        if position % 2 == 0:
            pattern += re.escape(part)
        else:
            pattern += f"(?P<{part}{index}>.+?)" if part in ("name", "title") else ".+?"
    return pattern


def _wrote() -> str:
    return _("%(name)s wrote:", name=f"{_SLOT}name{_SLOT}")


def _award() -> str:
    return _("“%(title)s” by %(name)s — %(amount)s", title=f"{_SLOT}title{_SLOT}", name=f"{_SLOT}name{_SLOT}",
             amount=f"{_SLOT}amount{_SLOT}")


@dataclass
class _Header:
    start: int
    end: int
    text: str
    name_start: int
    name_end: int


class QuoteRules:
    """The templates of one export (built once: they depend only on the community's languages)."""

    def __init__(self) -> None:
        self.header = self._compile(_wrote, r"\A{}\Z")
        self.award = self._compile(_award, r"(?<=🏆 ){}$")  # a results line ("1. 🏆 …"): the trophy is no part of the name

    @staticmethod
    def _compile(build: Callable[[], str], frame: str) -> re.Pattern:
        patterns = []
        for index, language in enumerate(current_app.config.get("LANGUAGES") or ("en",)):
            with force_locale(language):
                patterns.append(frame.format(_template_regex(build, index)))
        return re.compile("|".join(f"(?:{p})" for p in patterns), re.MULTILINE)

    def header_before(self, html: str, start: int, end: int) -> _Header | None:
        """The quote button's header: the paragraph right before a blockquote, when it reads "<name> wrote:"."""
        found = _LAST_PARAGRAPH.search(html, start, end)
        if found is None:
            return None
        text = html_to_text(found.group(1))
        match = self.header.search(text)
        if match is None:
            return None
        group = _matched_group(match)
        return _Header(found.start(), found.end(), text, match.start(group), match.end(group))

    def strip(self, html: str) -> str:
        """Post HTML without quote blocks (header + blockquote): only the author's own words."""
        if "<blockquote" not in html:
            return html
        pieces, last = [], 0
        for open_start, _open_end, _close_start, close_end in _top_level_blocks(html):
            header = self.header_before(html, last, open_start)
            pieces.append(html[last:header.start if header else open_start])
            last = close_end
        pieces.append(html[last:])
        return "".join(pieces)

    def rewrite(self, html: str, *, quoted_author, drop: bool, names, label: Label | None, words=None) -> str:
        """Post HTML with each quote block (header + blockquote) dropped, or its header re-attributed by ``label``;
        a withdrawn member's quoted words are always dropped, also from quotes inside quotes, also under a header
        of the member's own making, and (with ``words``, a ``WithdrawnWords``) wherever a quote holds them."""
        if "<blockquote" not in html:
            return html
        if quoted_author in names.withdrawn:
            drop = True  # a reply to a withdrawn member: whatever it quotes may be their words
        pieces, last = [], 0
        for open_start, open_end, close_start, close_end in _top_level_blocks(html):
            header = self.header_before(html, last, open_start)
            loose = first = None
            if header is not None and quoted_author is not NOT_A_REPLY:
                author, quoted_author = quoted_author, NOT_A_REPLY
            elif header is not None:
                author = names.find(header.text[header.name_start:header.name_end])
            else:
                loose, first, author = _own_header(html, last, open_start, open_end, close_start, names)
            begin = header.start if header else loose[0] if loose else open_start
            pieces.append(html[last:begin])
            last = close_end
            if (drop or author in names.withdrawn
                    or (words is not None and words.holds(html_to_text(html[open_end:close_start]),
                                                          commonplaces=author is None))):
                continue
            if header is not None:
                pieces.append(self._header_html(header, author, label) if label else html[header.start:header.end])
                begin = header.end
            elif loose is not None and label:
                pieces.append(_attributed(html[loose[0]:loose[1]], names, label))
                begin = loose[1]
            inside = open_end
            if first is not None and label:  # "**X**:" as the quote's first line
                pieces += [html[begin:first[0]], _attributed(html[first[0]:first[1]], names, label)]
                begin = inside = first[1]
            inner = self.rewrite(html[inside:close_start], quoted_author=NOT_A_REPLY, drop=False, names=names,
                                 label=label, words=words)
            pieces += [html[begin:inside], inner, html[close_start:close_end]]
        pieces.append(html[last:])
        return "".join(pieces)

    @staticmethod
    def _header_html(header: _Header, author: int | None, label: Label) -> str:
        before, after = header.text[:header.name_start], header.text[header.name_end:]
        return f"<p>{html_lib.escape(before)}{label(author)}{html_lib.escape(after)}</p>"

    def rewrite_awards(self, text: str, *, names, label: Label | None) -> str:
        """Plain text with the winners named in competition results replaced by ``label`` (kept when ``label`` is
        None), and every member's name in a title beside it replaced by ``label(None)`` wherever it stands
        (``MemberNames.replace_everywhere``: the title sits next to the winner's pseudonym); a withdrawn winner's name
        and entry title are replaced in any case ([member], WITHDRAWN_ENTRY)."""
        if "🏆" not in text:
            return text

        def winner(match: re.Match) -> str:
            author = names.find(match.group(_matched_group(match)))
            withdrawn = author is not None and author in names.withdrawn
            name = label(author) if label is not None else (WITHDRAWN if withdrawn else None)
            title = WITHDRAWN_ENTRY if withdrawn else None
            if title is None and label is not None:  # beside a pseudonym: any name in the title is the winner's link
                title = names.replace_everywhere(match.group(_matched_group(match, "title")), label)
            return _replace_groups(match, {"name": name, "title": title})

        return self.award.sub(winner, text)


_QUOTED = r"(?:“[^”\n]{1,600}”|「[^」\n]{1,600}」|『[^』\n]{1,600}』|\"[^\"\n]{1,600}\")"
_NAME = r"@?[^\s,，:：;；。.!！?？“「『\"]{1,24}(?:[ ·][^\s,，:：;；。.!！?？“「『\"]{1,24}){0,2}"


def _name(index: int) -> str:
    return f"(?P<name{index}>{_NAME})"


_SAYS = r"(?:说|說|讲|講|写道|寫道|提到|表示|讲过|说过|說過|wrote|writes|said|says|put it|mentioned|posted)"
_OF_POST = r"(?:的话|的話|说的|說的|说|說|的发言|的發言|的帖子|的回复|的回覆|的回帖|的评论|的評論|的原话|的原話)"
_INLINE_QUOTE_RE = re.compile(
    # "As X said, "…"", "like X wrote: …"
    rf"(?:(?<![\w])(?:as|like)\s+{_name(1)}\s+{_SAYS}\s*[,，:：]?\s*(?P<q1>{_QUOTED})"
    # "引用 X 的话：…", "Quoting X:", "Originally posted by X:", "回复 X：" (the quote in marks, or the rest of the line)
    rf"|(?:引用|引述|回复|回覆|回復|(?<![\w])(?:quoting|quote from|originally posted by|posted by|in reply to))\s*{_name(2)}"
    rf"\s*{_OF_POST}?\s*[:：]\s*(?P<q2>{_QUOTED}|[^\n]+)"
    # "X 说：“…”", "X說「…」", "X wrote: "…"", "X: “…”"
    rf"|{_name(3)}\s*(?:{_SAYS}\s*[:：,，]?|[:：])\s*(?P<q3>{_QUOTED})"
    # "X wrote :" or "X 说：" starting its line: the rest of the line
    rf"|(?:^|(?<=\n))[\s>*_\-]*{_name(4)}\s*{_SAYS}\s*[:：]\s*(?P<q4>[^\n]+)"
    # a partial quote later in the sentence: "X said the cream was “life-changing”", "X 说过这个“绝对不闷痘”"
    rf"|{_name(9)}\s*{_SAYS}[^\n“「『\"。！？!?]{{1,60}}?(?P<q9>{_QUOTED})"
    # "“…” —— X": a quote signed after it
    rf"|(?P<q5>{_QUOTED})[ \t]*(?:——|—|--|－－|~)[ \t]*{_name(5)}(?=[ \t]*(?:$|[\n,，.。!！?？;；]))"
    # BBCode pasted from another forum: "[quote=X]…[/quote]", "[quote]…[/quote]"
    r"|\[quote(?:=[\"']?(?P<name6>[^\]\"'\n]{1,40})[\"']?)?\](?P<q6>.{0,2000}?)\[/quote\]"
    # a quote line markdown left as text ("＞ …", "\> …"), or the original post's words ("原帖：…")
    r"|(?:^|(?<=\n))[ \t]*[＞>][ \t]?(?P<q7>[^\n]+)"
    rf"|(?:原帖|原贴|原帖子|原文|原话|原話|原句)\s*[:：]\s*(?P<q8>{_QUOTED}|[^\n]+))",
    re.IGNORECASE | re.MULTILINE | re.DOTALL)
# Every inline quote has a quotation mark, a colon, "[quote" or a ">" line: a text with none of them has no quote.
_MAY_QUOTE = re.compile(r"[“「『\"：:>＞\[]")
# Where members name a post by its place instead of its author (楼上 "the post above", 楼主 "the thread's opener",
# 3楼, #3, OP): a quote all the same.
_POSITION = re.compile(r"(?:楼上|樓上|楼下|樓下|楼主|樓主|层主|層主|原帖|原贴|原文|原话|原話|lz|op|the op"
                       r"|[0-9]+\s*[楼樓层層l#]|#\s*[0-9]+)", re.IGNORECASE)
_SAYS_AFTER_NAME = re.compile(rf"\s*(?:{_SAYS}|{_OF_POST})\Z", re.IGNORECASE)


def inline_quotes(text: str, names, *, drop: bool) -> str:
    """Plain text with the inline quotes (see the module) that name a member dropped: all with ``drop``, else only
    a withdrawn member's."""
    if not (drop or names.withdrawn) or not _MAY_QUOTE.search(text):
        return text

    def cut(match: re.Match) -> str:
        index = next(i for i in "123456789" if match.group(f"q{i}") is not None)
        group, name = f"q{index}", match.group(f"name{index}") if index in "1234569" else None
        if name is not None:
            name = _SAYS_AFTER_NAME.sub("", name.strip()).lstrip("@")  # "楼主说" before a colon: 楼主
        if not name or _POSITION.fullmatch(name) or (drop and index != "4" and _person_like(name)):
            # A quote of nobody named ([quote], "＞", 原帖, 楼上), or in quotation marks or after 引用 whoever it
            # names (a nickname the book does not know: 琪琪说：“…”): it leaves with the others.
            if not drop:
                return match.group()
        else:
            around = match.group() if index == "5" else match.string[max(0, match.start() - 40):match.start(group)]
            found = names.find(name)
            named = [found] if found is not None else names.members_in(around)
            if not named or not (drop or any(member in names.withdrawn for member in named)):
                return match.group()
        return match.group()[:match.start(group) - match.start()] + match.group()[match.end(group) - match.start():]

    return _INLINE_QUOTE_RE.sub(cut, text)


_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")


def _person_like(name: str) -> bool:
    """Whether the name before a quote may be a person's the book does not know: Chinese (琪琪), or one word that is
    no English word (Momo), not "the label" or "Mom"."""
    if _CJK_CHAR.search(name):
        return True
    return " " not in name and name[:1].isupper() and not is_english_word(name)


def _own_header(html: str, last: int, open_start: int, open_end: int, close_start: int,
                names) -> tuple[tuple[int, int] | None, tuple[int, int] | None, int | None]:
    """A header a member wrote: ((start, end) of the paragraph before the quote when it reads as a header, or
    None; (start, end) of the quote's first paragraph when it is the header, or None; the member it names, or
    None)."""
    before = _LAST_PARAGRAPH.search(html, last, open_start)
    if before is not None:
        text = html_to_text(before.group(1))
        if len(text) <= _SHORT_HEADER and (named := names.members_in(text)):
            return ((before.start(), before.end()) if _HEADER_CUE.search(text) else None), None, named[0]
    first = _FIRST_PARAGRAPH.match(html, open_end, close_start)
    if first is not None:
        text = html_to_text(first.group(1))
        if len(text) <= _SHORT_HEADER and _HEADER_CUE.search(text) and (named := names.members_in(text)):
            return None, (first.start(), first.end()), named[0]
    return None, None, None


def _attributed(paragraph: str, names, label: Label) -> str:
    """A header paragraph a member wrote above or atop a blockquote ("X wrote :", "引用 X 的话") with the members it
    names labelled by ``label`` as a quote header's are: it attributes a quote, like the quote button's header."""
    return f"<p>{html_lib.escape(names.attribute(html_to_text(paragraph), label))}</p>"


def _matched_group(match: re.Match, kind: str = "name") -> str:
    """The ``kind`` group (name or title) of the language that matched."""
    return next(group for group, value in match.groupdict().items() if value is not None and group.startswith(kind))


def _replace_groups(match: re.Match, replacements: dict[str, str | None]) -> str:
    """The match with the groups of each kind given a replacement (None keeps the group) replaced."""
    spans = sorted((match.span(_matched_group(match, kind)), replacement)
                   for kind, replacement in replacements.items() if replacement is not None)
    whole, offset, pieces, last = match.group(), match.start(), [], 0
    for (start, end), replacement in spans:
        pieces += [whole[last:start - offset], replacement]
        last = end - offset
    return "".join(pieces) + whole[last:]


def _top_level_blocks(html: str) -> list[tuple[int, int, int, int]]:
    """(open start, open end, close start, close end) of each outermost blockquote (nesting counted)."""
    blocks, depth, opened = [], 0, None
    for tag in _BLOCKQUOTE_TAG.finditer(html):
        if not tag.group(1):
            depth += 1
            if depth == 1:
                opened = tag
        elif depth:
            depth -= 1
            if depth == 0:
                blocks.append((opened.start(), opened.end(), tag.start(), tag.end()))
    return blocks
