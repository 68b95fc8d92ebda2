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
distinct authors (one voice does not make a community's word) and passes both thresholds. A "+" right next to a
stretch is a neighbour, not a boundary (刷酸 in 刷酸+a醇 is always followed by "+").

**Compounds (whole tokens).** A new term is often made of pieces jieba does know: a Latin run and Chinese (pdrn水光,
mlbb唇釉), known words in a new compound (沉浸式护肤, 油皮亲妈), parts joined by "+" (刷酸+a醇). ``CompoundFinder``
scores every n-gram of up to ``MAX_TOKENS`` adjacent tokens of a run with Chinese the same two ways, but stricter,
since known words are always followed by something: its freedom is the branching entropy over the *actual*
neighbouring tokens (the run's edge counting as one outcome), and it holds no particle or Chinese stop word. So a
compound that members write in many places wins over its known first word (沉浸 is always followed by 式护肤), while
the words of one recurring sentence (我已经回购, 质地比想象中清爽) are no term.

**The longest term wins.** A term found mostly (``SUBSUMED`` of its uses) inside a longer one found too is that
one's piece and is left out (刷酸 of 刷酸+a醇, "glass skin" of "glass skin routine").

**Collocations (English).** Adjacent word pairs with no punctuation between them and no stop word in them are
scored by pointwise mutual information and Dunning's log-likelihood ratio G² over the 2x2 table of the pair's
words; a pair must pass frequency and author floors, both thresholds, and the rarer word must occur in the pair at
least ``MIN_DOMINANCE`` of the time. Where two accepted pairs chain into a three-word stretch that holds most uses of
both (glass skin | skin routine), the three words are the phrase; where they chain only sometimes (tried double |
double cleansing) only the more cohesive pair is kept.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from app.research.term_text import CJK_CHAR, JOINER, PARTICLES

MAX_UNITS = 6
MAX_TOKENS = 6  # tokens in a compound
MAX_CHARS = 12  # characters in a compound
SUBSUMED = 0.7  # a term found mostly (this share of its uses) inside a longer one is that one's piece
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

    def add_stretch(self, units: list[str], author: int | None, before: str | None = None,
                    after: str | None = None) -> None:
        """One maximal stretch of fragments of one post; ``before`` / ``after``: a joiner ("+") standing right next
        to it, which is a neighbour like a fragment (the stretch goes on as one term), not a boundary."""
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
                if start or before:
                    found.left[units[start - 1] if start else before] += 1
                else:
                    found.boundaries_left += 1
                if end < size or after:
                    found.right[units[end] if end < size else after] += 1
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


def _chinese_stop(unit: str, is_stop) -> bool:
    return not unit.isascii() and is_stop(unit)


class CompoundFinder:
    """Terms made of whole tokens: a Latin run and Chinese (pdrn水光), known words in a new compound (沉浸式护肤,
    油皮亲妈), parts joined by "+" (刷酸+a醇). Candidates are n-grams of 2 to ``MAX_TOKENS`` adjacent tokens of a run
    with Chinese that neither start nor end with a stop word or a joiner and hold no particle and no Chinese stop
    word (known function words between known words make a phrase, not a term: 我已经回购). Cohesion is the PMI
    of the weakest split between tokens; freedom the smaller branching entropy over the *actual* neighbouring tokens,
    the run's edge (punctuation, space, start or end of the text) being one outcome: a known word is always followed
    by something, so only a string that stands in many different places counts as free, and the words of one
    recurring sentence do not. Counting goes level by level (an n-gram is counted only when both of its
    (n-1)-grams are frequent), so memory stays bounded."""

    def __init__(self, is_stop) -> None:
        self.runs: list[tuple[int | None, tuple[str, ...]]] = []
        self.is_stop = is_stop
        self.units = 0

    def add_run(self, units: list[str], author: int | None) -> None:
        self.runs.append((author, tuple(units)))
        self.units += len(units)

    def _counts(self, min_count: int) -> Counter:
        counts: Counter = Counter(unit for _author, run in self.runs for unit in run)
        counts = Counter({(unit,): n for unit, n in counts.items()})
        frequent = {gram for gram, n in counts.items() if n >= min_count}
        for size in range(2, MAX_TOKENS + 1):
            level: Counter = Counter()
            for _author, run in self.runs:
                for start in range(len(run) - size + 1):
                    gram = run[start:start + size]
                    if gram[:-1] in frequent and gram[1:] in frequent:
                        level[gram] += 1
            counts.update(level)
            frequent = {gram for gram, n in level.items() if n >= min_count}
            if not frequent:
                break
        return counts

    def _candidate(self, gram: tuple[str, ...]) -> bool:
        return (len(gram) >= 2 and len("".join(gram)) <= MAX_CHARS and any(CJK_CHAR.search(unit) for unit in gram)
                and gram[0] != JOINER and gram[-1] != JOINER
                and not any(unit in PARTICLES or _chinese_stop(unit, self.is_stop) for unit in gram)
                and not self.is_stop(gram[0]) and not self.is_stop(gram[-1]))

    def words(self, *, min_count: int, min_authors: int) -> list[Discovered]:
        counts = self._counts(min_count)
        wanted = {gram for gram, n in counts.items() if n >= min_count and self._candidate(gram)}
        seen = {gram: Candidate(gram, count=counts[gram]) for gram in wanted}
        for author, run in self.runs:
            for start in range(len(run) - 1):
                for end in range(start + 2, min(len(run), start + MAX_TOKENS) + 1):
                    found = seen.get(run[start:end])
                    if found is None:
                        continue
                    found.authors.add(author)
                    found.left[run[start - 1] if start else BOUNDARY] += 1
                    found.right[run[end] if end < len(run) else BOUNDARY] += 1
        result = []
        for gram, candidate in seen.items():
            if len(candidate.authors) < min_authors:
                continue
            pmi = min(math.log(counts[gram] * self.units / (counts[gram[:k]] * counts[gram[k:]]))
                      for k in range(1, len(gram)))
            freedom = min(_entropy(candidate.left, 0), _entropy(candidate.right, 0))
            if pmi >= MIN_PMI and freedom >= MIN_ENTROPY:
                result.append(Discovered("".join(gram), candidate.count, len(candidate.authors), round(pmi, 3),
                                         "word"))
        return result


def _longest(found: list[Discovered]) -> list[Discovered]:
    """The longest cohesive terms: one that occurs mostly inside a longer one found too (刷酸 inside 刷酸+a醇, glass
    skin inside glass skin routine) is left out, and a key found twice is kept once."""
    best: dict[str, Discovered] = {}
    for item in found:
        if item.key not in best or item.score > best[item.key].score:
            best[item.key] = item
    kept = []
    for item in best.values():
        inside = [other for other in best.values() if len(other.key) > len(item.key) and _contains(other, item)]
        if not any(other.count >= SUBSUMED * item.count for other in inside):
            kept.append(item)
    return kept


def _contains(longer: Discovered, shorter: Discovered) -> bool:
    if longer.kind == "phrase" or shorter.kind == "phrase":
        return f" {shorter.key} " in f" {longer.key} "
    return shorter.key in longer.key


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
        self.triple_authors: dict[tuple[str, str, str], set] = defaultdict(set)
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
            if not any(is_stop(word) or word.isdigit() for word in triple):
                self.triple_authors[triple].add(author)

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
        found = [Discovered(" ".join(triple), count, len(self.triple_authors[triple]), round(pmi, 3), "phrase")
                 for pmi, triple, count in self._triples(scored, min_count, min_authors)]
        kept: list[tuple[float, tuple[str, str], int]] = []
        for pmi, pair, count in scored:
            if not any(self._chained(pair, other, count) for _pmi, other, _count in kept):
                kept.append((pmi, pair, count))
        return found + [Discovered(" ".join(pair), count, len(self.pair_authors[pair]), round(pmi, 3), "phrase")
                        for pmi, pair, count in kept]

    def _triples(self, scored, min_count: int, min_authors: int):
        """Three-word phrases: two accepted pairs that chain (glass skin | skin routine) into a stretch that holds
        most uses of each (``SUBSUMED``); the weaker pair's cohesion is the phrase's."""
        accepted = {pair: (pmi, count) for pmi, pair, count in scored}
        for (first, second), (pmi, count) in accepted.items():
            for (head, tail), (other_pmi, other_count) in accepted.items():
                if head != second:
                    continue
                triple = (first, second, tail)
                together = self.triples[triple]
                if (together >= min_count and len(self.triple_authors[triple]) >= min_authors
                        and together >= SUBSUMED * max(count, other_count)):
                    yield min(pmi, other_pmi), triple, together

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
    words, compounds, phrases = WordFinder(), CompoundFinder(is_stop), PhraseFinder()
    for author, tokens in streams:
        stretch: list[str] = []
        before = None
        mixed: list[str] = []  # the tokens of one run with Chinese (a compound's candidates)
        run: list[str] = []
        previous = None
        for token in tokens:
            adjacent = previous is not None and previous.end == token.start
            if token.fragment and adjacent and stretch:
                stretch.append(token.text)
            else:
                if len(stretch) >= 2:
                    words.add_stretch(stretch, author, before, token.text if adjacent and token.text == JOINER
                                      else None)
                before = previous.text if adjacent and token.fragment and previous.text == JOINER else None
                stretch = [token.text] if token.fragment else []
            if adjacent and mixed:
                mixed.append(token.text)
            else:
                if len(mixed) >= 2 and any(CJK_CHAR.search(unit) for unit in mixed):
                    compounds.add_run(mixed, author)
                mixed = [token.text]
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
            words.add_stretch(stretch, author, before)
        if len(mixed) >= 2 and any(CJK_CHAR.search(unit) for unit in mixed):
            compounds.add_run(mixed, author)
        if run:
            phrases.add_run(run, author, is_stop)
    found = words.words(min_count=min_count, min_authors=min_authors)
    found += compounds.words(min_count=min_count, min_authors=min_authors)
    found += phrases.phrases(min_count=min_count, min_authors=min_authors)
    return _longest(found)
