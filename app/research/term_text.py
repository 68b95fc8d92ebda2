"""Member text made ready for counting terms: cleaned, normalised and cut into tokens by the community's lexicon.

Cleaning leaves only the author's own words: quote blocks and their "X wrote:" headers (also a header line left
without its quote), a withdrawn member's words quoted inline ("X 说：「…」", ``quotes.inline_quotes``) or copied
without any header (``withdrawn_words``), URLs and bare domains, @mentions and every member's name (current and
former) are taken out before anything is counted. The rest goes through the shared normaliser (NFKC, full width to
half width, lower case), so ＶＣ精华, VC精华 and vc精华 are one term.
"""
from __future__ import annotations

import re
import threading
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from itertools import pairwise

from app.research.member_names import MemberNames, load_member_names
from app.research.quotes import QuoteRules, inline_quotes
from app.research.withdrawn_words import WithdrawnWords, shared_withdrawn_words
from app.text.markup import html_to_text
from app.text.normalise import normalise

# A URL, a bare domain, or what is left of a URL after a withdrawn member's sentence ending in "http:" went (//host/…)
URL_RE = re.compile(r"(?:https?:)?//\S+|www\.\S+|\b[\w.-]+\.(?:com|cn|net|org|io|co|me|top|xyz|html?)\b(?:/\S*)?",
                    re.IGNORECASE)
MENTION_RE = re.compile(r"[@＠][^\s@＠,，。:：;；!！?？()（）]{1,30}")
_RUN = re.compile(r"[0-9a-z\u3400-\u9fff]+(?:[-'][0-9a-z]+)*(?:\+[0-9a-z\u3400-\u9fff]+(?:[-'][0-9a-z]+)*)*")
JOINER = "+"  # joins the parts of one term (刷酸+A醇): kept inside a run with Chinese, never counted alone
CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[a-z]")
# Grammatical particles: never part of a new word, so a stretch of unknown characters is cut at them.
PARTICLES = frozenset("的了吗呢吧啊呀啦哦嗯么着过地得嘛哈")
_BREAK = "\n"


@dataclass(slots=True)
class Token:
    text: str
    start: int
    end: int
    source: str = field(repr=False, default="")

    @property
    def fragment(self) -> bool:
        """A piece jieba could not join into a known word: one Chinese character (not a particle), or a short Latin
        or digit piece inside a Chinese run."""
        if len(self.text) == 1 and CJK_CHAR.match(self.text):
            return self.text not in PARTICLES
        return self.text.isascii() and self.text.isalnum() and len(self.text) <= 3 and self._in_cjk_run()

    @property
    def word(self) -> bool:
        """An English word (for collocations): Latin letters, standing apart from Chinese."""
        return self.text.isascii() and bool(_LATIN.search(self.text)) and not self._in_cjk_run()

    def _in_cjk_run(self) -> bool:
        before = self.source[self.start - 1:self.start]
        after = self.source[self.end:self.end + 1]
        return bool(CJK_CHAR.match(before) or CJK_CHAR.match(after))

    def spaced_from(self, previous: Token) -> bool:
        """Whether only spaces (or a hyphen) stand between ``previous`` and this token."""
        gap = self.source[previous.end:self.start]
        return 0 < len(gap) <= 3 and not gap.strip(" \t-")


def own_words(html: str, rules: QuoteRules, names: MemberNames, withdrawn: WithdrawnWords | None = None) -> str:
    """The author's own words as plain text: no quotes, quote headers, URLs, @mentions or members' names, and
    none of the words of a member who withdrew from research (quoted inline, or copied: ``withdrawn``)."""
    text = inline_quotes(html_to_text(rules.strip(html)), names, drop=False)
    if withdrawn is not None:
        text = withdrawn.remove(text)
    lines = [line for line in text.splitlines() if not rules.header.search(line.strip())]
    return names.replace(without_links(_BREAK.join(lines)), lambda _user_id: _BREAK)


class OwnWords:
    """``own_words`` with what it needs loaded once per analysis: the quote rules, members' names and the words
    of the members who withdrew from research."""

    def __init__(self, names: MemberNames | None = None, rules: QuoteRules | None = None) -> None:
        self.rules = rules or QuoteRules()
        self.names = names or load_member_names()
        self.withdrawn = shared_withdrawn_words(self.names.withdrawn)

    def __call__(self, html: str | None) -> str:
        return own_words(html or "", self.rules, self.names, self.withdrawn)


def without_links(text: str) -> str:
    """Text without URLs, bare domains and @mentions (each leaves a break, so no term spans it)."""
    return MENTION_RE.sub(_BREAK, URL_RE.sub(_BREAK, text))


def fold(text: str) -> str:
    """The normalised form terms are matched in (NFKC, lower case, typographic apostrophes as ')."""
    return normalise(text.replace("’", "'").replace("‘", "'"), messenger_words=False).text


class Lexicon:
    """The community's tokenizer plus what its dictionary says: phrases, merges, blocks and stop words."""

    def __init__(self, tokenizer, *, phrases: dict[tuple[str, ...], str], canonical: dict[str, str],
                 blocked: frozenset[str], stop: frozenset[str], known: frozenset[str],
                 lock: AbstractContextManager | None = None) -> None:
        self.tokenizer = tokenizer
        self.phrases = phrases  # words -> key
        self.longest = max((len(words) for words in phrases), default=1)
        self.canonical = canonical  # key -> display of the term it counts as
        self.blocked = blocked
        self.stop = stop
        self.known = known  # dictionary terms: kept whatever their length
        self.lock = lock or threading.Lock()  # the tokenizer's: jieba's dictionary is not safe to change mid-cut

    def is_stop(self, word: str) -> bool:
        return word in self.stop

    def raw_tokens(self, text: str) -> list[Token]:
        """Tokens of folded text: whole Latin words, jieba's cut (no HMM) for runs with Chinese."""
        tokens: list[Token] = []
        for match in _RUN.finditer(text):
            chunk, offset = match.group(), match.start()
            if chunk.isascii():  # Latin only: a "+" between words joins nothing
                for part in re.finditer(r"[^+]+", chunk):
                    tokens.append(Token(part.group(), offset + part.start(), offset + part.end(), text))
                continue
            with self.lock:
                pieces = list(self.tokenizer.tokenize(chunk, HMM=False))
            tokens += [Token(word, offset + start, offset + end, text) for word, start, end in pieces]
        return tokens

    def terms(self, text: str) -> list[str]:
        """The counted terms of folded text (display forms), phrases joined, stop words and blocked terms left out."""
        tokens = self.raw_tokens(text)
        found: list[str] = []
        index = 0
        while index < len(tokens):
            key, index = self._phrase_at(tokens, index)
            if key in self.blocked or key in self.stop:
                continue
            if key in self.known or self._countable(key):
                found.append(self.canonical.get(key, key))
        return found

    def _phrase_at(self, tokens: list[Token], index: int) -> tuple[str, int]:
        """The longest dictionary phrase starting at ``index`` (or the token itself) and the next index."""
        for size in range(min(self.longest, len(tokens) - index), 1, -1):
            span = tokens[index:index + size]
            words = tuple(t.text for t in span)
            if words in self.phrases and all(b.spaced_from(a) for a, b in pairwise(span)):
                return self.phrases[words], index + size
        return tokens[index].text, index + 1

    @staticmethod
    def _countable(token: str) -> bool:
        if token.isascii():
            return len(token) >= 3 and not token.isdigit() and bool(_LATIN.search(token))
        return len(token) >= 2
