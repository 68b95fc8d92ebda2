"""Word frequency and emerging terms over the words members wrote themselves.

Which posts count: ``term_dictionary.counted_posts`` (published, by ordinary members taking part in research);
which words count: ``term_text`` (no quotes, quote headers, URLs, @mentions or members' names; the community's
lexicon with its discovered, added and merged terms; no stop words or blocked terms). Every count is given by posts
and by distinct authors.

**Emerging terms** rank by growth in *distinct authors*. For a term, ``y`` is the number of authors who used it in
the last ``days`` and ``b`` the number expected at its own baseline: the term's chance per post ``r`` is the one at
which the authors of the ``baseline_windows`` before (windows without any counted post left out), each posting as
much as they did, would have been as many as its authors were; ``b`` is then what the window's authors, posting as
much as they do now, would give at that rate (an author of ``n`` posts uses it with probability 1 - (1 - r)^n). So
a busier week, with more posts per member, does not make ordinary words look new. The score is the log ratio of the
two with a pseudo-count ``k`` on both sides, ``log((y + k) / (b + k))`` -- the log ratio of the posterior means of
two Poisson rates under the same Gamma prior -- so a term new from zero can rank, and ranks higher the more people
took it up, while a steady term scores about zero.

A rising term needs ``min_authors`` authors in the window and real growth: at least ``MIN_GROWTH`` times its
baseline (with the prior on both sides), and more authors than a term that merely grew that much would bring but
once in a hundred windows (``_grows``); a short list is shown rather than one padded with steady words. A term
that rises only because it stands in the posts of a term ranked above it (the words around a new term) is left out
(``_not_carried``). Terms that one member carries (one author, or one author writing most of the posts) are listed
apart as "possible spam or one voice".
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from app.db import utcnow
from app.extensions import db
from app.forum.models import Post
from app.research.deidentify import Deidentifier
from app.research.quotes import NOT_A_REPLY
from app.research.term_dictionary import counted_posts, ensure_fresh, lexicon
from app.research.term_text import OwnWords, fold, without_links
from app.text.scrub import scrub_contacts

PSEUDO_COUNT = 2.0
MIN_GROWTH = 2.0  # a rising term at least doubles its authors against its own baseline (both with the prior)
GROWTH_CONFIDENCE = 0.01  # ... and so many authors would come at merely that growth only this rarely
ONE_VOICE_SHARE = 0.8
EXAMPLES = 3  # excerpts shown per term, from different authors
EXAMPLE_CANDIDATES = 8  # posts of different authors kept per term to choose them from


def tokens(text: str) -> list[str]:
    """The counted terms of a plain text (see the module), in order."""
    return lexicon().terms(fold(without_links(text)))


@dataclass
class TermCount:
    term: str
    occurrences: int = 0
    posts: int = 0
    authors: int = 0


def _post_terms(rows, per_post):
    """Calls ``per_post(row, terms)`` for each row whose last column is body HTML, with the terms of the author's
    own words (``term_text.OwnWords``: never a withdrawn member's words quoted or copied into the post)."""
    lex, own = lexicon(), OwnWords()
    for row in rows:
        per_post(row, lex.terms(fold(own(row[-1]))))
    return own.names


def term_counts(*, start: datetime | None, end: datetime | None, **filters) -> tuple[list[TermCount], int]:
    """Every term in the selection with its occurrences, posts and distinct authors; and the posts read."""
    ensure_fresh(utcnow())
    counts: dict[str, TermCount] = {}
    authors: dict[str, set] = defaultdict(set)
    posts = 0

    def count(row, found: list[str]) -> None:
        nonlocal posts
        posts += 1
        for term, times in Counter(found).items():
            item = counts.get(term) or counts.setdefault(term, TermCount(term))
            item.occurrences += times
            item.posts += 1
            authors[term].add(row[0])

    names = _post_terms(db.session.execute(counted_posts(Post.author_id, Post.body_html, start=start, end=end,
                                                         **filters)), count)
    for term, item in counts.items():
        item.authors = len(authors[term])
    ranked = [c for c in counts.values() if names.find(c.term) is None]
    ranked.sort(key=lambda c: (-c.authors, -c.posts, c.term))
    return ranked, posts


def word_frequency(**filters) -> tuple[list[tuple[str, int]], int]:
    """The 100 most frequent terms (by occurrences) and the number of posts read."""
    counts, posts = term_counts(**filters)
    counts.sort(key=lambda c: (-c.occurrences, c.term))
    return [(c.term, c.occurrences) for c in counts[:100]], posts


@dataclass
class EmergingTerm:
    term: str
    recent: int  # distinct authors in the window
    previous: float  # distinct authors expected in the window at the term's baseline rate per post
    ratio: float  # the score: log((recent + k) / (previous + k))
    posts: int = 0
    threads: int = 0
    first_seen: datetime | None = None
    daily: list[int] = field(default_factory=list)  # distinct authors per day, oldest first
    examples: list[tuple[str, str]] = field(default_factory=list)  # (pseudonym, de-identified excerpt)
    top_author_share: float = 0.0


@dataclass
class EmergingReport:
    terms: list[EmergingTerm]
    one_voice: list[EmergingTerm]
    posts: int
    days: int


class _Tally:
    """Per term: authors per window, posts, threads, first seen, authors per day and example posts."""

    def __init__(self, now: datetime, days: int, windows: int) -> None:
        self.now, self.days, self.windows = now, days, windows
        self.authors: dict[str, list[set]] = defaultdict(lambda: [set() for _ in range(windows + 1)])
        self.active: list[set] = [set() for _ in range(windows + 1)]
        self.written: list[Counter] = [Counter() for _ in range(windows + 1)]  # counted posts per author
        self.rates: dict[str, float] = {}
        self.histograms: dict[int, Counter] = {}
        self.posts: Counter = Counter()
        self.by_author: dict[str, Counter] = defaultdict(Counter)
        self.threads: dict[str, set] = defaultdict(set)
        self.first: dict[str, datetime] = {}
        self.daily: dict[str, dict[int, set]] = defaultdict(lambda: defaultdict(set))
        self.examples: dict[str, list] = defaultdict(list)
        self.recent_posts: list[tuple[int, frozenset[str]]] = []  # (author, terms) of each post in the window
        self.read = 0

    def histogram(self, window: int) -> Counter:
        """Authors of the window by how many counted posts they wrote in it (once all posts are read)."""
        if window not in self.histograms:
            self.histograms[window] = Counter(self.written[window].values())
        return self.histograms[window]

    def add(self, row, found: list[str]) -> None:
        author, thread_id, created_at, post_id = row[0], row[1], row[2], row[3]
        age = self.now - created_at
        window = min(int(age / timedelta(days=self.days)), self.windows)
        day = int(age / timedelta(days=1))
        self.read += 1
        self.active[window].add(author)
        self.written[window][author] += 1
        if window == 0:
            self.recent_posts.append((author, frozenset(found)))
        for term in set(found):
            self.authors[term][window].add(author)
            self.daily[term][day].add(author)
            self.first[term] = min(self.first.get(term, created_at), created_at)
            if window == 0:
                self.posts[term] += 1
                self.by_author[term][author] += 1
                self.threads[term].add(thread_id)
                examples = self.examples[term]
                if len(examples) < EXAMPLE_CANDIDATES and all(a != author for a, _p in examples):
                    examples.append((author, post_id))


def _expected(rate: float, histogram: Counter) -> float:
    """Distinct authors expected when each post holds the term with probability ``rate``: an author who wrote ``n``
    posts used it at least once with probability 1 - (1 - rate)^n; ``histogram`` counts authors by posts written."""
    return sum(authors * (1 - (1 - rate) ** posts) for posts, authors in histogram.items())


def _baseline_rate(tally: _Tally, term: str) -> float:
    """The term's chance per post in the baseline windows: the rate at which the authors, posting as much as they
    did, would have been as many as the term's authors were (solved by bisection; 0 for a term not used then)."""
    busy = [w for w in range(1, tally.windows + 1) if tally.active[w]]
    used = sum(len(tally.authors[term][w]) for w in busy)
    if not used:
        return 0.0
    histograms = [tally.histogram(w) for w in busy]
    if used >= sum(sum(h.values()) for h in histograms):
        return 1.0
    low, high = 0.0, 1.0
    for _ in range(40):
        middle = (low + high) / 2
        if sum(_expected(middle, h) for h in histograms) < used:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def _scored(tally: _Tally, term: str, k: float) -> EmergingTerm:
    rate = tally.rates[term] = _baseline_rate(tally, term)
    recent, previous = len(tally.authors[term][0]), _expected(rate, tally.histogram(0))
    total_days = tally.days * (tally.windows + 1)
    return EmergingTerm(
        term, recent, round(previous, 2), round(math.log((recent + k) / (previous + k)), 3),
        posts=tally.posts[term], threads=len(tally.threads[term]), first_seen=tally.first.get(term),
        daily=[len(tally.daily[term].get(day, ())) for day in range(total_days - 1, -1, -1)],
        top_author_share=max(tally.by_author[term].values(), default=0) / (tally.posts[term] or 1))


def emerging_report(now: datetime, *, days: int = 7, baseline_windows: int = 4, min_authors: int = 3,
                    min_count: int = 3, pseudo_count: float = PSEUDO_COUNT, limit: int = 30,
                    **filters) -> EmergingReport:
    """Emerging terms of the last ``days`` against their own baseline, and one-voice bursts (see the module)."""
    ensure_fresh(now)
    tally = _Tally(now, days, baseline_windows)
    start = now - timedelta(days=days * (baseline_windows + 1))
    names = _post_terms(db.session.execute(counted_posts(
        Post.author_id, Post.thread_id, Post.created_at, Post.id, Post.body_html, start=start, end=now, **filters)),
        tally.add)
    rising, one_voice = [], []
    for term in tally.posts:
        if tally.posts[term] < min_count or names.find(term) is not None:
            continue
        item = _scored(tally, term, pseudo_count)
        if item.ratio <= 0:
            continue
        if item.recent >= min_authors and item.top_author_share < ONE_VOICE_SHARE:
            if _grows(item.recent, item.previous, pseudo_count):
                rising.append(item)
        elif item.recent < min_authors or item.top_author_share >= ONE_VOICE_SHARE:
            one_voice.append(item)
    rising.sort(key=lambda t: (-t.ratio, -t.recent, -t.posts, t.term))
    rising = _not_carried(rising, tally, pseudo_count, min_authors)
    one_voice.sort(key=lambda t: (-t.posts, t.term))
    rising, one_voice = rising[:limit], one_voice[:10]
    _add_examples(rising + one_voice, tally)
    return EmergingReport(rising, one_voice, tally.read, days)


def _grows(recent: int, expected: float, k: float) -> bool:
    """Real growth: ``recent`` authors are at least ``MIN_GROWTH`` times the ``expected`` (both with the prior
    ``k``), and more than a term that merely grew that much would bring but once in 1 / ``GROWTH_CONFIDENCE``
    windows (the upper tail of a Poisson count with ``MIN_GROWTH`` times the expected mean; conservative for distinct
    authors, who vary less than a Poisson count). A term new from zero needs only the first."""
    return (recent + k) / (expected + k) >= MIN_GROWTH and _at_least(recent, MIN_GROWTH * expected) <= GROWTH_CONFIDENCE


def _at_least(count: int, mean: float) -> float:
    """P(X >= count) for X ~ Poisson(mean)."""
    if mean <= 0:
        return 0.0 if count > 0 else 1.0
    term = below = math.exp(-mean)
    for i in range(1, count):
        term *= mean / i
        below += term
    return max(0.0, 1.0 - below)


def _not_carried(ranked: list[EmergingTerm], tally: _Tally, k: float, min_authors: int) -> list[EmergingTerm]:
    """The rising terms (best first) that rise on their own: a term whose growth comes from the posts of a term
    ranked above it (the words around a new term, 第一次尝试 before it, "routine" after "glass skin") is left
    out. A term stays when, counting only the window's posts without any term kept so far, it still has
    ``min_authors`` authors and still grows by ``MIN_GROWTH`` against its baseline."""
    kept: list[EmergingTerm] = []
    taken: set[str] = set()
    for item in ranked:
        if taken:
            rest = [(author, found) for author, found in tally.recent_posts if not found & taken]
            authors = {author for author, found in rest if item.term in found}
            expected = _expected(tally.rates[item.term], Counter(Counter(a for a, _found in rest).values()))
            if len(authors) < min_authors or not _grows(len(authors), expected, k):
                continue
        kept.append(item)
        taken.add(item.term)
    return kept


def emerging_terms(now: datetime, **options) -> list[EmergingTerm]:
    """The ranked emerging terms only (see ``emerging_report``)."""
    return emerging_report(now, **options).terms


def _add_examples(items: list[EmergingTerm], tally: _Tally) -> None:
    """Three short excerpts per term from different authors, de-identified as exports are (``Deidentifier``:
    quotes dropped, members' names as pseudonyms and a withdrawn member's as "[member]", a withdrawn member's
    copied words taken out, contact details scrubbed, forum links replaced); excerpts that still show the term
    come first."""
    wanted = {post_id for item in items for _a, post_id in tally.examples[item.term]}
    if not wanted:
        return
    deid = Deidentifier(identity="pseudonym", drop_quotes=True, clean=scrub_contacts)
    quoted = aliased(Post)
    posts = {post_id: (html, quoted_author if quoted_id is not None else NOT_A_REPLY)
             for post_id, html, quoted_id, quoted_author in db.session.execute(
                 sa.select(Post.id, Post.body_html, Post.quoted_post_id, quoted.author_id)
                 .outerjoin(quoted, Post.quoted_post_id == quoted.id).where(Post.id.in_(wanted)))}
    for item in items:
        found, others = [], []
        for author, post_id in tally.examples[item.term]:
            html, quoted_author = posts.get(post_id, ("", NOT_A_REPLY))
            excerpt, shows_term = _around(deid.post_text(html or "", quoted_author), item.term)
            if excerpt:
                (found if shows_term else others).append((deid.author(author, None), excerpt))
        item.examples = (found + others)[:EXAMPLES]


def _around(text: str, term: str, width: int = 50) -> tuple[str, bool]:
    """A stretch of ``text`` around the first place ``term`` occurs (matched loosely: case and spacing), and
    whether it occurs (else the stretch is the text's start)."""
    text = " ".join(text.split())
    match = re.search(r"\s*".join(re.escape(part) for part in term.split()), text, re.IGNORECASE)
    if match is None:
        return text[:2 * width] + ("…" if len(text) > 2 * width else ""), False
    start, end = max(0, match.start() - width), min(len(text), match.end() + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else ""), True


def sparkline(values: list[int], *, width: int = 120, height: int = 24) -> str:
    """SVG polyline points for a small server-rendered sparkline."""
    if not values:
        return ""
    top = max(values) or 1
    step = width / max(len(values) - 1, 1)
    return " ".join(f"{i * step:.1f},{height - 2 - (v / top) * (height - 4):.1f}" for i, v in enumerate(values))


def word_cloud(frequencies: list[tuple[str, int]], *, width: int = 720, height: int = 360) -> list[dict]:
    """Positions and sizes for a simple server-rendered SVG word cloud (row layout, biggest first)."""
    if not frequencies:
        return []
    top = frequencies[0][1]
    placed, x, y, row_height = [], 10.0, 0.0, 0.0
    for index, (term, count) in enumerate(frequencies[:60]):
        size = 12 + 30 * math.sqrt(count / top)
        advance = size * (0.62 * len(term) if term.isascii() else 1.05 * len(term)) + 14
        if x + advance > width:
            x, y, row_height = 10.0, y + row_height + 6, 0.0
        row_height = max(row_height, size)
        if y + size > height:
            break
        placed.append({"term": term, "count": count, "x": round(x, 1), "y": round(y + size, 1),
                       "size": round(size, 1), "tone": index % 5})
        x += advance
    return placed
