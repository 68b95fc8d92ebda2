"""A withdrawn member's own sentences, recognised wherever someone else copied them.

Quote headers and quoted-post links catch most quotes, but a member can paste a withdrawn member's words with a
header the quote button did not write, or with none at all. Every sentence a withdrawn member wrote (posts, task
answers, competition entries) is kept as a key: its letters, digits and characters, folded like names are
(``name_parts.fold_text``: case, full-width, traditional characters), without spaces or punctuation. A sentence in
someone else's text with the same key is their words and leaves the export; a blockquote holding one is dropped
whole. Sentences end at . ! ? ; : where a space, the end or a Chinese character follows (not inside a link, a price
or "e.g"), at 。！？；： and at a line's end; a clause between commas of a sentence
counts as well, so a copied half-sentence is recognised too.

Only a sentence long enough to be one person's own is kept: 40 letters (about eight English words) or 15 Chinese
characters, or a mix in that proportion (Chinese says in one character what English says in about 2.7 letters).
Members write the same short sentences every day ("Thanks so much for sharing this!", 谢谢分享，已经下单了！: 34
letters or 14 characters and under): someone else's own words are no copy of theirs and stay.

Commonplaces. In a community that writes alike, long everyday sentences recur too (上次推荐的那款面霜我买了，真的好用).
A sentence of the withdrawn member's is a commonplace, not one person's words, when two other members or more wrote
it as their own words (quotes taken out: blockquotes, text in quotation marks, "> " lines), or when another member
wrote it before the withdrawn member first did: a copy cannot come before its source, and two people pasting the
same stranger's sentence without a quote is rarer than two people saying the same thing. Members who ever quoted a
withdrawn member's post with the quote button have read them, so what they write after them may be an echo: they
do not count among the two (they do when they wrote it first). A commonplace stays in
others' own text; it still leaves when quoted from the withdrawn member (by the quote button's header, a header of
the member's own, a reply to their post, an inline "X 说：“…”", or a blockquote holding it: ``holds`` reads every
sentence of theirs, commonplace or not). The same count decides for each run of ten words (below), so a
commonplace pasted after a name ("老周上次推荐的那款面霜我买了，真的好用") stays as well. Members are counted by
account; posts of erased accounts count for nobody, so they make nothing common. The count reads every text of the
community once (``load_withdrawn_words``), never per row; the table is kept for each state of the community
(``shared_withdrawn_words``: who withdrew, and how many posts, task answers and entries there are, with and without
an author, their newest id and newest change), so the research pages read it once until something it reads
changes, and an export's workers read it once between them (``parallel_rows``).

Copies need not be whole sentences: a sentence pasted mid-line ("I read somewhere that <their sentence> anyway") or
half a sentence is found by its shingles: every run of ten words (a Chinese character counts as a word) of the
member's texts is kept (hashed by the numbers of its words in the table, not by Python's string hashes, which
differ in each process: a table built in one process finds copies in another), and in each sentence of someone
else's text the words runs of theirs cover are theirs when they are the whole sentence or ten words or more in a
row, and the stretch they make (with such words running on into the next sentence) is as long as a kept sentence
must be. A run that covers only the end of one sentence and the start of the next finds nothing: two people's
sentences may end and begin alike. Runs are ten words long, as long as the shortest copy: shorter runs, each written
somewhere by them, would stitch together a sentence of someone else's that they never wrote whole, in a
community whose sentences follow a few patterns ("这款…的…有点厚重").

No fragments. When a copy is found, the whole sentence it stands in leaves the export (or, when the member set it
in quotation marks, the quotation: "楼上说「…」，我试过了" keeps "楼上说，我试过了"), not the copied stretch alone: "老周<their sentence>" would otherwise leave "老周", a name that the name rules judge by the words around it
(and so leave unreplaced once those words are gone), and "朋友说<their sentence>，真的假的" would leave "朋友说真的
假的", words that say nothing without what was cut. Cutting the sentence costs a few words of the copier's own
around the copy; judging names on the uncut text instead would keep those words but still export half-sentences
that point at the missing one.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Iterable

import sqlalchemy as sa
from flask import current_app

from app.competitions.models import CompetitionEntry
from app.extensions import db
from app.forum.models import Post
from app.research.name_parts import CJK_RE, TOKEN_RE, fold, fold_text
from app.research.quotes import QuoteRules
from app.tasks.models import TaskSubmission
from app.text.markup import html_to_text

_SENTENCE_RE = re.compile(r"(?:[^.!?。！？；;:：\n]|[.!?;:](?=[!-~]))+[.!?。！？；;:：]*\n?")
_CLAUSE_RE = re.compile(r"[^,，、]+")
_NOT_WORD_RE = re.compile(r"[\W_]+")
_MIN_LATIN, _MIN_CJK = 40, 15  # a sentence only one person would have written: 40 letters, or 15 characters
_SHINGLE, _MIN_SPAN = 10, 10  # words in a shingle; words in a row a copy must cover
_COMMON = 2  # other members who wrote a sentence as their own words make it a commonplace
_QUOTATION_RE = re.compile(r"“[^”\n]*”|「[^」\n]*」|『[^』\n]*』|\"[^\"\n]*\"")
# What others quote rather than write: words in quotation marks and "> " lines (blockquotes are stripped as HTML).
_QUOTED_RE = re.compile(rf"{_QUOTATION_RE.pattern}|^[ \t]*[>＞].*$", re.MULTILINE)
_MAY_QUOTE = re.compile("[“「『\">＞]")
_CLAUSE_MARK = re.compile("[,，、]")
_LEADING_SPACE = re.compile(r"[ \t\u3000]*")
_FROZEN = "a frozen table of withdrawn words takes no more texts"
_KEPT_TABLES = 1  # community states kept: the newest (a state never comes back once something changed)
_TABLES: dict[tuple, WithdrawnWords] = {}  # community state -> its table, oldest first
_TABLES_LOCK = threading.Lock()
# Each kind of text: table, text, author, when written, when changed (a withdrawn member's text counts at the first,
# others' at the last: an edit that pastes their sentence into an old post does not make it come first).
_SOURCES = ((Post, Post.body_html, Post.author_id, Post.created_at, sa.func.coalesce(Post.edited_at, Post.created_at)),
            (TaskSubmission, TaskSubmission.text_html, TaskSubmission.user_id, TaskSubmission.created_at,
             TaskSubmission.updated_at),
            (CompetitionEntry, CompetitionEntry.body_html, CompetitionEntry.user_id, CompetitionEntry.created_at,
             CompetitionEntry.updated_at))
reads = 0  # how many times this process read the community's text for a table (tests and benchmarks count them)


def _tokens(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """The folded words of a text (a Chinese character is one) and where each stands."""
    folded = fold_text(text)
    spans = list(TOKEN_RE.finditer(folded if folded is not None else text))
    keys = [span.group() if folded is not None else fold(span.group()) for span in spans]
    pairs = [(key, span.span()) for key, span in zip(keys, spans) if key]
    return [key for key, _ in pairs], [span for _, span in pairs]


def _shingles(ids: list[int]) -> list[int]:
    """Each run of ten words, by the numbers of its words: hashes of numbers are the same in every process (those
    of strings are seeded differently in each), so a table built in one process finds copies in another."""
    return [hash(tuple(ids[start:start + _SHINGLE])) for start in range(len(ids) - _SHINGLE + 1)]


def sentence_key(sentence: str) -> str | None:
    """The key of one sentence, or None when it is too short to be anyone's own."""
    folded = fold_text(sentence) or sentence.casefold()
    key = _NOT_WORD_RE.sub("", folded)
    cjk = len(CJK_RE.findall(key))
    return key if (len(key) - cjk) / _MIN_LATIN + cjk / _MIN_CJK >= 1 else None


def _split_at(text: str, keys: set[str]) -> list[str]:
    """The text in the stretches between its sentences whose key is one of ``keys``."""
    if not keys:
        return [text]
    segments, current = [], []
    for sentence in _SENTENCE_RE.findall(text):
        if sentence_key(sentence) in keys:
            segments.append("".join(current))
            current = []
        else:
            current.append(sentence)
    return [*segments, "".join(current)]


def _sentence_keys(text: str):
    """(key, sentence) of each sentence and clause of the text long enough to be someone's own."""
    for sentence in _SENTENCE_RE.findall(text or ""):
        for piece in (sentence, *_CLAUSE_RE.findall(sentence)):
            if key := sentence_key(piece):
                yield key, piece


def _earlier(at, than) -> bool:
    return at is not None and than is not None and at < than


def _first(times: dict, item, at) -> None:
    """Keep the earliest known time ``item`` was written (None: unknown)."""
    if item not in times or (at is not None and (times[item] is None or at < times[item])):
        times[item] = at


class WithdrawnWords:
    """The sentence keys of the members who withdrew consent, less the commonplaces others wrote too."""

    def __init__(self, texts: Iterable[str] = ()) -> None:
        # every key of theirs -> when they first wrote it (None: unknown); a set of them once frozen
        self.all_keys: dict[str, object] | frozenset[str] = {}
        self.all_shingles: dict[int, object] | frozenset[int] = {}  # every run of ten words of theirs -> when first
        self.keys: set[str] = set()  # the keys that are theirs alone (after ``_settle``)
        self.shingles: set[int] = set()
        self._key_shingles: dict[str, list[int]] = {}
        self._shingle_starts: set[str] = set()  # the first words of their runs: a cheap look before hashing one
        self.vocabulary: dict[str, int] = {}  # each word they wrote -> its number (a run is hashed by numbers)
        self._texts: list[str] = []
        self._writers: dict[object, dict] = {}  # key or shingle -> {other author: when they first wrote it}
        self.readers: set = set()  # members who quoted a withdrawn member's post: what they write may echo it
        self._settled = True
        self._frozen = False
        for text in texts:
            self.learn(text)

    def _ids(self, words: list[str], *, grow: bool = False) -> list[int]:
        """The numbers of the words; -1 for a word they never wrote (no run of theirs holds it)."""
        vocabulary = self.vocabulary
        if grow:
            return [vocabulary.setdefault(word, len(vocabulary)) for word in words]
        return [vocabulary.get(word, -1) for word in words]

    def learn(self, text: str, at=None) -> None:
        """A text a withdrawn member wrote (at ``at``, any comparable time; None when unknown)."""
        if self._frozen:
            raise RuntimeError(_FROZEN)
        text = text or ""
        for key, piece in _sentence_keys(text):
            _first(self.all_keys, key, at)
            if key not in self._key_shingles:
                self._key_shingles[key] = _shingles(self._ids(_tokens(piece)[0], grow=True))
        words = _tokens(text)[0]
        for shingle in _shingles(self._ids(words, grow=True)):
            _first(self.all_shingles, shingle, at)
        self._shingle_starts.update(words[:max(0, len(words) - _SHINGLE + 1)])
        self._texts.append(text)
        self._settled = False

    def learn_others(self, text: str, *, author, at=None) -> None:
        """A text another member wrote: what in it is their own words counts towards commonplaces."""
        if self._frozen:
            raise RuntimeError(_FROZEN)
        if not self.all_keys or not text:
            return
        own = _QUOTED_RE.sub("\n", text) if _MAY_QUOTE.search(text) else text
        folded = fold_text(own)
        if folded is None:  # folding changes its length: the slow way, piece by piece
            found = {key for key, _piece in _sentence_keys(own) if key in self.all_keys}
            words = _tokens(own)[0]
        else:  # folded once: a sentence's key is its folded letters (only long ones are in all_keys)
            found = set()
            for sentence in _SENTENCE_RE.findall(folded):
                pieces = _CLAUSE_RE.findall(sentence) if _CLAUSE_MARK.search(sentence) else ()
                found.update(key for piece in (sentence, *pieces) if (key := _NOT_WORD_RE.sub("", piece)) in self.all_keys)
            words = TOKEN_RE.findall(folded)
        starts, ids = self._shingle_starts, self._ids(words)
        found.update(shingle for index in range(len(words) - _SHINGLE + 1) if words[index] in starts
                     and (shingle := hash(tuple(ids[index:index + _SHINGLE]))) in self.all_shingles)
        for item in found:
            _first(self._writers.setdefault(item, {}), author, at)
        self._settled = self._settled and not found

    def _common(self, writers: dict, theirs_at) -> bool:
        """Two other writers or more who never quoted a withdrawn member, or one who wrote it before the withdrawn
        member did."""
        return (len(writers.keys() - self.readers) >= _COMMON
                or any(_earlier(at, theirs_at) for at in writers.values()))

    def _whole_sentence_writers(self, key: str) -> dict:
        """The other members who wrote every run of ten words of a sentence of theirs (inside longer sentences
        of their own too: "…真的好用，还会回购"), each with when they had written all of it."""
        shingles = self._key_shingles.get(key) or []
        shared = dict(self._writers.get(shingles[0], {})) if shingles else {}
        for shingle in shingles[1:]:
            writers = self._writers.get(shingle, {})
            shared = {author: None if at is None or writers[author] is None else max(at, writers[author])
                      for author, at in shared.items() if author in writers}
        return shared

    def _settle(self) -> None:
        """Decide which keys and shingles are theirs alone, once every text has been read."""
        if self._settled:
            return
        common = {key for key, at in self.all_keys.items()
                  if self._common(self._writers.get(key, {}), at) or self._common(self._whole_sentence_writers(key), at)}
        self.keys = set(self.all_keys) - common
        self.shingles = set()
        for text in self._texts:  # a commonplace's runs are nobody's in particular; runs across it neither
            for segment in _split_at(text, common):
                self.shingles.update(shingle for shingle in _shingles(self._ids(_tokens(segment)[0]))
                                     if not self._common(self._writers.get(shingle, {}), self.all_shingles[shingle]))
        self._settled = True

    def freeze(self) -> WithdrawnWords:
        """Settle, and drop what only reading the texts needed (the table as kept and sent): it takes no more texts."""
        self._settle()
        self.all_keys, self.all_shingles = frozenset(self.all_keys), frozenset(self.all_shingles)
        self._texts, self._writers, self._key_shingles, self._shingle_starts, self.readers = [], {}, {}, set(), set()
        self._frozen = True
        return self

    def copied(self, text: str, *, commonplaces: bool = False) -> list[tuple[int, int]]:
        """(start, end) of each stretch of the text that runs of a withdrawn member's words cover, judged sentence
        by sentence (``_copies``); with ``commonplaces``, runs others wrote too count as well."""
        self._settle()
        shingles = self.all_shingles if commonplaces else self.shingles
        if not shingles or not text:
            return []
        words, spans = _tokens(text)
        covered = bytearray(len(words))
        for start, shingle in enumerate(_shingles(self._ids(words))):
            if shingle in shingles:
                covered[start:start + _SHINGLE] = b"\x01" * _SHINGLE
        return _copies(text, spans, covered)

    def _theirs(self, sentence: str, keys) -> bool:
        """Whether a sentence, or a clause of it, is a withdrawn member's."""
        return any(sentence_key(piece) in keys for piece in (sentence, *_CLAUSE_RE.findall(sentence)))

    def holds(self, text: str, *, commonplaces: bool = True) -> bool:
        """Whether the text (a quote) holds a sentence of a withdrawn member: commonplaces count too, unless the
        quote is known to be someone else's (``commonplaces=False``: a header names a member who did not withdraw)."""
        self._settle()
        keys = self.all_keys if commonplaces else self.keys
        return bool(keys) and (any(self._theirs(s, keys) for s in _SENTENCE_RE.findall(text or ""))
                               or bool(self.copied(text, commonplaces=commonplaces)))

    def remove(self, text: str, *, commonplaces: bool = False) -> str:
        """The text without the sentences of withdrawn members: each sentence that is theirs or holds a copy of
        theirs leaves whole. With ``commonplaces`` (a reply to a withdrawn member's post) their commonplaces leave
        too: there they may be quoted."""
        self._settle()
        keys, shingles = (self.all_keys, self.all_shingles) if commonplaces else (self.keys, self.shingles)
        if not keys and not shingles or not text:
            return text
        cuts = [sentence.span() for sentence in _SENTENCE_RE.finditer(text)
                 if keys and self._theirs(sentence.group(), keys)]
        for start, end in self.copied(text, commonplaces=commonplaces):
            cuts.append(_whole(text, start, end))
        if not cuts:
            return text
        pieces, last = [], 0
        for start, end in sorted(cuts):
            if end <= last:
                continue
            pieces.append(text[last:max(start, last)])
            last = end
            kept = "".join(pieces)
            if not kept.strip(" \t\u3000") or kept.endswith("\n"):  # no space left where the text or a line starts
                last = _LEADING_SPACE.match(text, last).end()
        return "".join(pieces) + text[last:]


def _copies(text: str, spans: list[tuple[int, int]], covered: bytearray) -> list[tuple[int, int]]:
    """The copies among the words runs of theirs cover (``covered``, one flag per word of ``spans``).

    Runs of ten words cross sentence ends, so on their own they would find a copy in two sentences of someone
    else's that merely end and begin as two neighbouring sentences of theirs do ("…性价比一般。这款面霜的…"). So each
    sentence is judged by itself: the covered words count when they are the whole sentence, or ten words or more in
    a row inside it. Counting words that run on into the next sentence's make one stretch with them (two sentences
    of theirs pasted in a row), and a stretch is a copy when it is as long as a kept sentence must be."""
    pieces: list[list[int]] = []  # [first word, word after the last] of the stretches that count, in order
    word, count = 0, len(spans)
    for sentence in (*_SENTENCE_RE.finditer(text), None):
        first = word
        while word < count and (sentence is None or spans[word][0] < sentence.end()):
            word += 1
        runs = [(first, word)] if first < word and all(covered[first:word]) else _runs(covered, first, word)
        for start, end in runs:
            if pieces and pieces[-1][1] == start:
                pieces[-1][1] = end
            else:
                pieces.append([start, end])
    return [(spans[start][0], spans[end - 1][1]) for start, end in pieces
            if sentence_key(text[spans[start][0]:spans[end - 1][1]]) is not None]


def _runs(covered: bytearray, first: int, last: int) -> list[tuple[int, int]]:
    """The runs of ten covered words or more between words ``first`` and ``last`` (exclusive)."""
    runs, index = [], first
    while index < last:
        if not covered[index]:
            index += 1
            continue
        end = index
        while end < last and covered[end]:
            end += 1
        if end - index >= _MIN_SPAN:
            runs.append((index, end))
        index = end
    return runs


def _whole(text: str, start: int, end: int) -> tuple[int, int]:
    """What leaves with a copy at start..end: the quotation it stands in, when the member set it in quotation
    marks (the rest of the sentence is then the quoter's own: "楼上说「…」，我试过了"), else every sentence it
    touches."""
    for quotation in _QUOTATION_RE.finditer(text, max(0, text.rfind("\n", 0, start) + 1)):
        if quotation.start() > start:
            break
        if quotation.end() >= end:
            return quotation.span()
    sentences = [sentence.span() for sentence in _SENTENCE_RE.finditer(text) if sentence.start() < end
                 and sentence.end() > start]
    return (sentences[0][0], sentences[-1][1]) if sentences else (start, end)


def shared_withdrawn_words(user_ids: set[int] | frozenset[int]) -> WithdrawnWords:
    """The table of ``load_withdrawn_words`` (quotes taken out by the community's quote rules), read once for each
    state of the community and kept for the requests and exports after it (see ``_community_state``)."""
    if not user_ids:
        return WithdrawnWords().freeze()
    key = _community_state(user_ids)
    with _TABLES_LOCK:
        words = _TABLES.pop(key, None)
        if words is not None:
            _TABLES[key] = words  # the newest last
            return words
    words = load_withdrawn_words(set(user_ids), strip=QuoteRules().strip)  # not under the lock: it takes seconds
    with _TABLES_LOCK:
        _TABLES[key] = words
        while len(_TABLES) > _KEPT_TABLES:
            del _TABLES[next(iter(_TABLES))]  # the oldest
    return words


def _community_state(user_ids) -> tuple:
    """What the table depends on, read in one query: who withdrew, and for posts, task answers and competition
    entries how many there are, how many have an author, the newest id and the newest change. A new text, an
    edit (posts set ``edited_at``, answers and entries ``updated_at``), a purge, a text left without its author, a
    withdrawal or a consent given again each give a new state; hiding one does not change the table (it reads hidden
    texts too). So are the database and the community's languages (the quote rules')."""
    counts = sa.union_all(*(sa.select(sa.literal(position), sa.func.count(), sa.func.count(author),
                                      sa.func.max(model.id), sa.func.max(changed))
                            for position, (model, _text, author, _created, changed) in enumerate(_SOURCES)))
    rows = tuple(tuple(row) for row in sorted(db.session.execute(counts).all()))
    return (frozenset(user_ids), rows, db.engine.url.render_as_string(hide_password=True),
            tuple(current_app.config.get("LANGUAGES") or ()))


def load_withdrawn_words(user_ids: set[int], strip=lambda html: html) -> WithdrawnWords:
    """The sentences of these members' posts, task answers and competition entries, less those other members
    wrote as their own words too (commonplaces, above); ``strip`` takes the quotes out of a post's HTML
    (``QuoteRules.strip``), so words they quoted from others stay others' words and words others quoted from
    them count for nobody. Reads every text of the community: ``shared_withdrawn_words`` keeps what it read."""
    words = WithdrawnWords()
    if not user_ids:
        return words.freeze()
    global reads
    reads += 1
    ids = sorted(user_ids)
    for model, column, author, created, _edited in _SOURCES:  # in order: the same words get the same numbers
        for html, when in db.session.execute(sa.select(column, created).where(author.in_(ids)).order_by(model.id)):
            words.learn(html_to_text(strip(html or "")), at=when)
    for title, when in db.session.execute(sa.select(CompetitionEntry.title, CompetitionEntry.created_at)
                                          .where(CompetitionEntry.user_id.in_(ids)).order_by(CompetitionEntry.id)):
        words.learn(title, at=when)
    if words.all_keys:
        _learn_others(words, ids, strip)
    return words.freeze()


def add_reads(count: int) -> None:
    """Count reads of the community's text done for this process elsewhere (an export's worker processes)."""
    global reads
    reads += count


def _learn_others(words: WithdrawnWords, ids: list[int], strip) -> None:
    """Every other member's own words (replies to a withdrawn member's post left out: they may echo it), read once
    and streamed."""
    theirs = sa.select(Post.id).where(Post.author_id.in_(ids))
    words.readers.update(db.session.scalars(sa.select(Post.author_id).distinct()
                                            .where(Post.quoted_post_id.in_(theirs), Post.author_id.is_not(None))))
    for _model, column, author, _created, edited in _SOURCES:
        query = sa.select(column, author, edited).where(author.is_not(None), author.not_in(ids))
        if column is Post.body_html:
            query = query.where(sa.or_(Post.quoted_post_id.is_(None), Post.quoted_post_id.not_in(theirs)))
        for html, writer, when in db.session.execute(query.execution_options(yield_per=2000)):
            words.learn_others(html_to_text(strip(html or "")), author=writer, at=when)
