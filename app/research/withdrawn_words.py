"""A withdrawn member's own sentences, recognised wherever someone else copied them.

Quote headers and quoted-post links catch most quotes, but a member can paste a withdrawn member's words with a
header the quote button did not write, or with none at all. Every sentence a withdrawn member wrote (posts, task
answers, competition entries) is kept as a key: its letters, digits and characters, folded like names are
(``name_parts.fold_text``: case, full-width, traditional characters), without spaces or punctuation. A sentence in
someone else's text with the same key is their words and leaves the export; a blockquote holding one is dropped
whole. Sentences end at . ! ? ; : and a line's end (and their Chinese forms); a clause between commas of a sentence
counts as well, so a copied half-sentence is recognised too.

Only a sentence long enough to be one person's own is kept: 40 letters (about eight English words) or 15 Chinese
characters, or a mix in that proportion (Chinese says in one character what English says in about 2.7 letters).
Members write the same short sentences every day ("Thanks so much for sharing this!", "I have the same problem with
my skin.", 谢谢分享，已经下单了！, 这个真的很好用，已经回购三次了！: 34 letters or 14 characters and under): when a
withdrawn member once wrote one too, someone else's own words are no copy of theirs and stay. A sentence of that
length with something in it (神经酰胺面霜一周就把脱皮修好了, "the ceramide cream fixed my flaky cheeks in a week") is
all but never written twice by chance. The cost: a withdrawn member's short sentence copied without a quote stays.

Copies need not be whole sentences: a sentence pasted mid-line ("I read somewhere that <their sentence> anyway") or
half a sentence is found by its shingles: every run of eight words (a Chinese character counts as a word) of the
member's texts is kept, and wherever runs of theirs cover ten words or more in a row of someone else's text, that
stretch (the longest one matching) leaves the export when it is as long as a kept sentence must be.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import sqlalchemy as sa

from app.competitions.models import CompetitionEntry
from app.extensions import db
from app.forum.models import Post
from app.research.name_parts import CJK_RE, TOKEN_RE, fold, fold_text
from app.tasks.models import TaskSubmission
from app.text.markup import html_to_text

_SENTENCE_RE = re.compile(r"[^.!?。！？；;:：\n]+[.!?。！？；;:：]*\n?")
_CLAUSE_RE = re.compile(r"[^,，、]+")
_NOT_WORD_RE = re.compile(r"[\W_]+")
_MIN_LATIN, _MIN_CJK = 40, 15  # a sentence only one person would have written: 40 letters, or 15 characters
_SHINGLE, _MIN_SPAN = 8, 10  # words in a shingle; words in a row a copy must cover
_TRAILING = re.compile(r"[\s.,!?;:。，！？；：、…\"”」』)）]*")


def _tokens(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """The folded words of a text (a Chinese character is one) and where each stands."""
    folded = fold_text(text)
    spans = list(TOKEN_RE.finditer(folded if folded is not None else text))
    keys = [span.group() if folded is not None else fold(span.group()) for span in spans]
    pairs = [(key, span.span()) for key, span in zip(keys, spans) if key]
    return [key for key, _ in pairs], [span for _, span in pairs]


def sentence_key(sentence: str) -> str | None:
    """The key of one sentence, or None when it is too short to be anyone's own."""
    folded = fold_text(sentence) or sentence.casefold()
    key = _NOT_WORD_RE.sub("", folded)
    cjk = len(CJK_RE.findall(key))
    return key if (len(key) - cjk) / _MIN_LATIN + cjk / _MIN_CJK >= 1 else None


class WithdrawnWords:
    """The sentence keys of the members who withdrew consent."""

    def __init__(self, texts: Iterable[str] = ()) -> None:
        self.keys: set[str] = set()
        self.shingles: set[int] = set()
        for text in texts:
            self.learn(text)

    def learn(self, text: str) -> None:
        for sentence in _SENTENCE_RE.findall(text or ""):
            for piece in (sentence, *_CLAUSE_RE.findall(sentence)):
                if key := sentence_key(piece):
                    self.keys.add(key)
        words, _spans = _tokens(text or "")
        for start in range(len(words) - _SHINGLE + 1):
            self.shingles.add(hash(tuple(words[start:start + _SHINGLE])))

    def copied(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of each stretch of the text that runs of a withdrawn member's words cover (ten words or
        more in a row)."""
        if not self.shingles or not text:
            return []
        words, spans = _tokens(text)
        covered = bytearray(len(words))
        for start in range(len(words) - _SHINGLE + 1):
            if hash(tuple(words[start:start + _SHINGLE])) in self.shingles:
                covered[start:start + _SHINGLE] = b"\x01" * _SHINGLE
        found, index = [], 0
        while index < len(words):
            if not covered[index]:
                index += 1
                continue
            end = index
            while end < len(words) and covered[end]:
                end += 1
            if end - index >= _MIN_SPAN and sentence_key(text[spans[index][0]:spans[end - 1][1]]) is not None:
                found.append((spans[index][0], spans[end - 1][1]))
            index = end
        return found

    def _theirs(self, sentence: str) -> bool:
        """Whether a sentence, or a clause of it, is a withdrawn member's."""
        return any(sentence_key(piece) in self.keys for piece in (sentence, *_CLAUSE_RE.findall(sentence)))

    def holds(self, text: str) -> bool:
        """Whether the text holds a sentence of a withdrawn member."""
        return bool(self.keys) and (any(self._theirs(s) for s in _SENTENCE_RE.findall(text or ""))
                                    or bool(self.copied(text)))

    def remove(self, text: str) -> str:
        """The text without the sentences of withdrawn members."""
        if not self.keys or not text:
            return text
        pieces, last = [], 0
        for sentence in _SENTENCE_RE.finditer(text):
            if self._theirs(sentence.group()):
                pieces.append(text[last:sentence.start()])
                last = sentence.end()
        text = "".join(pieces) + text[last:] if pieces else text
        pieces, last = [], 0
        for start, end in self.copied(text):
            pieces.append(text[last:start])
            last = _TRAILING.match(text, end).end()
        return "".join(pieces) + text[last:] if pieces else text


def load_withdrawn_words(user_ids: set[int], strip=lambda html: html) -> WithdrawnWords:
    """The sentences of these members' posts, task answers and competition entries; ``strip`` takes the quotes out
    of a post's HTML (``QuoteRules.strip``), so words they quoted from others stay others' words."""
    words = WithdrawnWords()
    if not user_ids:
        return words
    ids = sorted(user_ids)
    sources = ((Post.body_html, Post.author_id), (TaskSubmission.text_html, TaskSubmission.user_id),
               (CompetitionEntry.body_html, CompetitionEntry.user_id))
    for column, author in sources:
        for (html,) in db.session.execute(sa.select(column).where(author.in_(ids))):
            words.learn(html_to_text(strip(html or "")))
    for (title,) in db.session.execute(sa.select(CompetitionEntry.title).where(CompetitionEntry.user_id.in_(ids))):
        words.learn(title)
    return words
