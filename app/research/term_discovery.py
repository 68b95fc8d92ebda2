"""Finding the community's own terms in its text: new Chinese and mixed-script words, and English collocations.

Both methods read token streams that ``term_text`` made from cleaned, normalised text (NFKC, lower case, quotes,
URLs, @mentions and members' names taken out) and cut by the community's jieba tokenizer (no HMM, so that a word
jieba does not know falls apart into single characters and letters instead of being guessed).

**New words (Chinese and mixed script).** A stretch of adjacent *fragments* (single Chinese characters that are not
grammatical particles, and the one- to three-letter Latin or digit pieces inside a Chinese run, as in a醇) is
where an unknown word hides: known words and punctuation bound it. Every n-gram of 2 to ``MAX_UNITS`` fragments
inside such a stretch is a candidate, scored by two classic measures of new-word discovery:

* **cohesion**, the pointwise mutual information of its weakest split, ``min_k log(c(w) N / (c(w[:k]) c(w[k:])))``
  with ``c`` the n-gram counts among the ``N`` fragments: high when the parts occur together far more often than
  chance would have them;
* **freedom**, the smaller of its left and right *branching entropies* ``H = -sum p(x) log p(x)`` over the
  fragments seen next to it. A neighbour that is not a fragment (a known word, punctuation, the start or end of the
  text) is a boundary and counts as an outcome of its own each time, so a candidate bounded by known words is free,
  while a piece of a longer word (醇 inside a醇, when a醇 is the word) always has the same neighbour and an entropy near zero.

A candidate becomes a term when it occurs at least ``min_count`` times, in posts of at least ``min_authors``
distinct authors (one voice does not make a community's word) and passes both thresholds.

**Collocations (English).** Adjacent word pairs with no punctuation between them and no stop word in them are
scored by pointwise mutual information and Dunning's log-likelihood ratio G² over the 2x2 table of the pair's
words; a pair must pass frequency and author floors, both thresholds, and the rarer word must occur in the pair at
least ``MIN_DOMINANCE`` of the time. Where two accepted pairs chain into a frequent three-word stretch (tried double
| double cleansing) only the more cohesive one is kept.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

MAX_UNITS = 6
MIN_PMI = 2.0  # nats: the parts occur together at least e^2 (about 7) times as often as chance
MIN_ENTROPY = 0.9  # nats, on each side
MIN_LLR = 15.13  # G² for p < 0.0001 at one degree of freedom
MIN_DOMINANCE = 0.3
BOUNDARY = None


@dataclass
class Candidate:
    units: tuple[str, ...]
    count: int = 0
    authors: set = field(default_factory=set)
    left: Counter = field(default_factory=Counter)
    right: Counter = field(default_factory=Counter)
    boundaries_left: int = 0
    boundaries_right: int = 0


@dataclass(frozen=True)
class Discovered:
    key: str  # as it is matched: lower case, words of a phrase joined by one space
    count: int
    authors: int
    score: float  # cohesion (PMI, nats)
    kind: str  # "word" or "phrase"


def _entropy(counter: Counter, boundaries: int) -> float:
    total = sum(counter.values()) + boundaries
    if not total:
        return 0.0
    entropy = -sum(n / total * math.log(n / total) for n in counter.values())
    return entropy + boundaries * (1 / total) * math.log(total)  # each boundary is an outcome of its own


class WordFinder:
    """Collects fragment stretches, then scores the n-grams in them (see the module)."""

    def __init__(self) -> None:
        self.grams: dict[tuple[str, ...], Candidate] = {}
        self.units = 0

    def add_stretch(self, units: list[str], author: int | None) -> None:
        """One maximal stretch of fragments of one post."""
        size = len(units)
        self.units += size
        for start in range(size):
            for end in range(start + 1, min(size, start + MAX_UNITS) + 1):
                gram = tuple(units[start:end])
                found = self.grams.get(gram)
                if found is None:
                    found = self.grams[gram] = Candidate(gram)
                found.count += 1
                if end - start < 2:
                    continue
                found.authors.add(author)
                if start:
                    found.left[units[start - 1]] += 1
                else:
                    found.boundaries_left += 1
                if end < size:
                    found.right[units[end]] += 1
                else:
                    found.boundaries_right += 1

    def cohesion(self, gram: tuple[str, ...]) -> float:
        whole = self.grams[gram].count
        return min(math.log(whole * self.units / (self.grams[gram[:k]].count * self.grams[gram[k:]].count))
                   for k in range(1, len(gram)))

    def words(self, *, min_count: int, min_authors: int) -> list[Discovered]:
        found = []
        for gram, candidate in self.grams.items():
            if (len(gram) < 2 or candidate.count < min_count or len(candidate.authors) < min_authors
                    or not any(not unit.isascii() for unit in gram)):
                continue
            freedom = min(_entropy(candidate.left, candidate.boundaries_left),
                          _entropy(candidate.right, candidate.boundaries_right))
            pmi = self.cohesion(gram)
            if pmi >= MIN_PMI and freedom >= MIN_ENTROPY:
                found.append(Discovered("".join(gram), candidate.count, len(candidate.authors), round(pmi, 3), "word"))
        return found


def _g2(k11: int, k12: int, k21: int, k22: int) -> float:
    """Dunning's log-likelihood ratio for a 2x2 table of counts."""
    def h(*counts: int) -> float:
        total = sum(counts)
        return sum(c * math.log(c / total) for c in counts if c)

    return 2 * (h(k11, k12, k21, k22) - h(k11 + k12, k21 + k22) - h(k11 + k21, k12 + k22))


class PhraseFinder:
    """Counts English words and adjacent pairs, then keeps the collocations (see the module)."""

    def __init__(self) -> None:
        self.words: Counter = Counter()
        self.pairs: Counter = Counter()
        self.triples: Counter = Counter()
        self.pair_authors: dict[tuple[str, str], set] = defaultdict(set)
        self.total = 0

    def add_run(self, words: list[str], author: int | None, is_stop) -> None:
        """Words that stand together (no punctuation between); stop words count as words but pair with nothing."""
        self.words.update(words)
        self.total += len(words)
        for first, second in pairwise(words):
            if not (is_stop(first) or is_stop(second) or first.isdigit() or second.isdigit()):
                self.pairs[(first, second)] += 1
                self.pair_authors[(first, second)].add(author)
        for triple in zip(words, words[1:], words[2:]):
            self.triples[triple] += 1

    def phrases(self, *, min_count: int, min_authors: int) -> list[Discovered]:
        scored = []
        for pair, count in self.pairs.items():
            if count < min_count or len(self.pair_authors[pair]) < min_authors:
                continue
            first, second = self.words[pair[0]], self.words[pair[1]]
            pmi = math.log(count * self.total / (first * second))
            llr = _g2(count, first - count, second - count, self.total - first - second + count)
            if pmi >= MIN_PMI and llr >= MIN_LLR and count / min(first, second) >= MIN_DOMINANCE:
                scored.append((pmi, pair, count))
        scored.sort(key=lambda item: (-item[0], item[1]))
        kept: list[tuple[float, tuple[str, str], int]] = []
        for pmi, pair, count in scored:
            if not any(self._chained(pair, other, count) for _pmi, other, _count in kept):
                kept.append((pmi, pair, count))
        return [Discovered(" ".join(pair), count, len(self.pair_authors[pair]), round(pmi, 3), "phrase")
                for pmi, pair, count in kept]

    def _chained(self, pair: tuple[str, str], other: tuple[str, str], count: int) -> bool:
        """Whether ``pair`` mostly occurs chained to the already kept ``other`` (a b | b c, or b c | a b)."""
        if pair[0] == other[1]:
            return self.triples[(other[0], pair[0], pair[1])] * 2 >= count
        if pair[1] == other[0]:
            return self.triples[(pair[0], pair[1], other[1])] * 2 >= count
        return False


def discover(streams: Iterable[tuple[int | None, list]], *, is_stop, min_count: int = 5,
             min_authors: int = 3) -> list[Discovered]:
    """New words and phrases in ``streams``: (author, tokens) per post, tokens as ``term_text.Token``."""
    words, phrases = WordFinder(), PhraseFinder()
    for author, tokens in streams:
        stretch: list[str] = []
        run: list[str] = []
        previous = None
        for token in tokens:
            adjacent = previous is not None and previous.end == token.start
            if token.fragment and adjacent and stretch:
                stretch.append(token.text)
            else:
                if len(stretch) >= 2:
                    words.add_stretch(stretch, author)
                stretch = [token.text] if token.fragment else []
            if token.word:
                together = previous is not None and previous.word and token.spaced_from(previous)
                if not together and run:
                    phrases.add_run(run, author, is_stop)
                    run = []
                run.append(token.text)
            elif run:
                phrases.add_run(run, author, is_stop)
                run = []
            previous = token
        if len(stretch) >= 2:
            words.add_stretch(stretch, author)
        if run:
            phrases.add_run(run, author, is_stop)
    found = words.words(min_count=min_count, min_authors=min_authors)
    found += phrases.phrases(min_count=min_count, min_authors=min_authors)
    return found
