"""A withdrawn member's own sentences, recognised wherever someone else copied them.

Quote headers and quoted-post links catch most quotes, but a member can paste a withdrawn member's words with a
header the quote button did not write, or with none at all. Every sentence a withdrawn member wrote (posts, task
answers, competition entries) is kept as a key: its letters, digits and characters, folded like names are
(``name_parts.fold_text``: case, full-width, traditional characters), without spaces or punctuation. A sentence in
someone else's text with the same key is their words and leaves the export; a blockquote holding one is dropped
whole. Sentences end at . ! ? ; : and a line's end (and their Chinese forms); a clause between commas of a sentence
counts as well, so a copied half-sentence is recognised too. Keys shorter than 16 letters or 8 Chinese characters ("thank you so much", 谢谢分享) are not kept: they say
nothing only one person could have written.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import sqlalchemy as sa

from app.competitions.models import CompetitionEntry
from app.extensions import db
from app.forum.models import Post
from app.research.name_parts import CJK_RE, fold_text
from app.tasks.models import TaskSubmission
from app.text.markup import html_to_text

_SENTENCE_RE = re.compile(r"[^.!?。！？；;:：\n]+[.!?。！？；;:：]*\n?")
_CLAUSE_RE = re.compile(r"[^,，、]+")
_NOT_WORD_RE = re.compile(r"[\W_]+")
_MIN_LATIN, _MIN_CJK = 16, 8


def sentence_key(sentence: str) -> str | None:
    """The key of one sentence, or None when it is too short to be anyone's own."""
    folded = fold_text(sentence) or sentence.casefold()
    key = _NOT_WORD_RE.sub("", folded)
    cjk = len(CJK_RE.findall(key))
    if cjk >= _MIN_CJK or len(key) - cjk + 2 * cjk >= _MIN_LATIN:
        return key
    return None


class WithdrawnWords:
    """The sentence keys of the members who withdrew consent."""

    def __init__(self, texts: Iterable[str] = ()) -> None:
        self.keys: set[str] = set()
        for text in texts:
            self.learn(text)

    def learn(self, text: str) -> None:
        for sentence in _SENTENCE_RE.findall(text or ""):
            for piece in (sentence, *_CLAUSE_RE.findall(sentence)):
                if key := sentence_key(piece):
                    self.keys.add(key)

    def _theirs(self, sentence: str) -> bool:
        """Whether a sentence, or a clause of it, is a withdrawn member's."""
        return any(sentence_key(piece) in self.keys for piece in (sentence, *_CLAUSE_RE.findall(sentence)))

    def holds(self, text: str) -> bool:
        """Whether the text holds a sentence of a withdrawn member."""
        return bool(self.keys) and any(self._theirs(s) for s in _SENTENCE_RE.findall(text or ""))

    def remove(self, text: str) -> str:
        """The text without the sentences of withdrawn members."""
        if not self.keys or not text:
            return text
        pieces, last = [], 0
        for sentence in _SENTENCE_RE.finditer(text):
            if self._theirs(sentence.group()):
                pieces.append(text[last:sentence.start()])
                last = sentence.end()
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
