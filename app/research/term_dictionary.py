"""The community's term dictionary: terms discovered from its text (a scheduled job), added, merged or blocked by
researchers, and the stop-word lists they edit. Everything here feeds one ``Lexicon`` that the word analyses use.

jieba learns the community's words on a ``jieba.Tokenizer`` of its own (never the global one that search uses),
built once per process and brought up to date with the dictionary table before each analysis (words added with
``add_word``, blocked or removed ones taken back with ``del_word``).
"""
from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import gettext as _

from app import audit
from app.core.exceptions import DomainError
from app.core.settings import get_checkpoint, set_checkpoint
from app.db import ContentState, utcnow
from app.extensions import db
from app.forum.models import Post, Thread
from app.members.models import User
from app.members.queries import members_only, taking_part_in_research
from app.research.member_names import load_member_names
from app.research.models import StopWordEdit, Term
from app.research.stopwords import stop_words as builtin_stop_words
from app.research.term_discovery import discover
from app.research.term_text import Lexicon, OwnWords, fold
from app.security.roles import Permission

_USERDICT = Path(__file__).resolve().parent / "userdict.txt"
DISCOVERY_DAYS = 90
BURST_COUNT = 20
FRESH_FOR = timedelta(hours=6)  # the refresh_terms job's interval
_DISCOVERED_AT = "terms_discovered_at"  # checkpoint: when discovery last ran (epoch seconds)
MAX_TERM = 40
MAX_POSTS = 50_000  # an analysis reads at most this many (most recent) posts
STATUSES = ("discovered", "added", "blocked")
_lock = threading.RLock()
_tokenizer = None
_taught: set[str] = set()


def stop_words() -> frozenset[str]:
    """The shipped lists with the researchers' edits applied."""
    edits = dict(db.session.execute(sa.select(StopWordEdit.word, StopWordEdit.is_stop)).all())
    added = {word for word, is_stop in edits.items() if is_stop}
    removed = {word for word, is_stop in edits.items() if not is_stop}
    return frozenset((builtin_stop_words() | added) - removed)


def _base_tokenizer():
    """jieba's default dictionary and the shipped consumer vocabulary, on a tokenizer of our own."""
    global _tokenizer
    if _tokenizer is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        if has_app_context():
            Path(current_app.instance_path).mkdir(parents=True, exist_ok=True)
            tokenizer.tmp_dir = current_app.instance_path
        tokenizer.initialize()
        with _USERDICT.open("rb") as userdict:
            tokenizer.load_userdict(userdict)
        _tokenizer = tokenizer
    return _tokenizer


def _teach(words: set[str]):
    """The community tokenizer knowing exactly ``words`` beyond its base dictionaries."""
    with _lock:
        tokenizer = _base_tokenizer()
        for word in words - _taught:
            tokenizer.add_word(word, freq=max(tokenizer.suggest_freq(word, tune=False), 10))
        for word in _taught - words:
            tokenizer.del_word(word)
        _taught.clear()
        _taught.update(words)
        return tokenizer


def term_key(text: str) -> str:
    """The folded form a term is stored and matched in: normalised, spaces collapsed."""
    return " ".join(fold(text).split())


def lexicon() -> Lexicon:
    """The community's lexicon as the dictionary table says now."""
    rows = db.session.execute(sa.select(Term.id, Term.key, Term.display, Term.status, Term.merged_into_id)).all()
    by_id = {row.id: row for row in rows}
    blocked = frozenset(row.key for row in rows if row.status == "blocked")
    canonical, phrases, words = {}, {}, set()
    for row in rows:
        if row.status == "blocked":
            continue
        target = by_id.get(row.merged_into_id) if row.merged_into_id else row
        canonical[row.key] = (target or row).display
        if " " in row.key:
            phrases[tuple(row.key.split(" "))] = row.key
        else:
            words.add(row.key)
    return Lexicon(_teach(words), phrases=phrases, canonical=canonical, blocked=blocked, stop=stop_words(),
                   known=frozenset(canonical), lock=_lock)


def _require_researcher(by: User) -> None:
    if not by.can(Permission.RESEARCH):
        raise DomainError(_("Only researchers edit the term dictionary."))


def _clean_term(text: str) -> str:
    key = term_key(text or "")
    if not key or len(key) > MAX_TERM:
        raise DomainError(_("A term has 1 to %(max)d characters.", max=MAX_TERM), "term")
    return key


def _display(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def add_term(text: str, *, by: User) -> Term:
    """Add a term (or take a blocked or discovered one as the researchers' own); case and width variants are one."""
    _require_researcher(by)
    key = _clean_term(text)
    term = db.session.scalar(sa.select(Term).where(Term.key == key))
    before = {"status": term.status} if term else None
    if term is None:
        term = Term(key=key, display=_display(text), score=0)
        db.session.add(term)
    term.status, term.updated_at, term.updated_by_id = "added", utcnow(), by.id
    db.session.flush()
    audit.record(by, "term.add", term, before=before, after={"term": term.display})
    return term


def merge_terms(variant: Term, into: Term, *, by: User) -> None:
    """Count ``variant`` as ``into`` from now on (both stay in the dictionary)."""
    _require_researcher(by)
    if variant.id == into.id or into.merged_into_id == variant.id:
        raise DomainError(_("A term cannot be merged into itself."), "into")
    target = into.merged_into or into
    for term in db.session.scalars(sa.select(Term).where(Term.merged_into_id == variant.id)):
        term.merged_into_id = target.id  # what was merged into the variant follows it
    variant.merged_into_id, variant.updated_at, variant.updated_by_id = target.id, utcnow(), by.id
    audit.record(by, "term.merge", variant, after={"term": variant.display, "into": target.display})


def set_blocked(term: Term, blocked: bool, *, by: User) -> None:
    """Block a term (never counted, never cut whole) or unblock it (back as a researcher's term)."""
    _require_researcher(by)
    before = term.status
    term.status = "blocked" if blocked else "added"
    term.updated_at, term.updated_by_id = utcnow(), by.id
    audit.record(by, "term.block" if blocked else "term.unblock", term, before={"status": before},
                 after={"term": term.display})


def set_stop_word(word: str, is_stop: bool, *, by: User) -> StopWordEdit:
    """Add a word to the stop words or take one out (the built-in lists are not changed, the edit is stored)."""
    _require_researcher(by)
    word = _clean_term(word)
    edit = db.session.scalar(sa.select(StopWordEdit).where(StopWordEdit.word == word))
    if edit is None:
        edit = StopWordEdit(word=word)
        db.session.add(edit)
    edit.is_stop, edit.updated_at, edit.updated_by_id = is_stop, utcnow(), by.id
    db.session.flush()
    audit.record(by, "stopword.add" if is_stop else "stopword.remove", None, after={"word": word})
    return edit


def counted_posts(*columns, start: datetime | None, end: datetime | None, thread_ids=None, category_ids=None,
                  limit: int = MAX_POSTS) -> sa.Select:
    """The posts whose words count, newest first: published posts of published threads (not hidden, pending or
    spam), by ordinary members (not hosts or researchers) who take part in research (not withdrawn)."""
    published = ContentState.PUBLISHED.value
    select = (sa.select(*columns).join(Thread, Post.thread_id == Thread.id).join(User, Post.author_id == User.id)
              .where(Post.state == published, Thread.state == published, members_only(), taking_part_in_research())
              .order_by(Post.created_at.desc()).limit(limit))
    if start:
        select = select.where(Post.created_at >= start)
    if end:
        select = select.where(Post.created_at < end)
    if thread_ids:
        select = select.where(Post.thread_id.in_(thread_ids))
    if category_ids:
        select = select.where(Thread.category_id.in_(category_ids))
    return select


def discovery_streams(rows, lex: Lexicon, names=None, rules=None):
    """(author, tokens) for post rows of (author id, body HTML): the authors' own words only (``OwnWords``: no
    quotes, names, nor words of members who withdrew from research)."""
    own = OwnWords(names, rules)
    for author, html in rows:
        yield author, lex.raw_tokens(fold(own(html)))


def refresh_discoveries(now: datetime, *, days: int = DISCOVERY_DAYS, min_count: int = 5,
                        min_authors: int = 3) -> int:
    """Discover terms in the last ``days`` of member posts and store new ones; researchers' choices stay."""
    lex = lexicon()
    names = load_member_names()
    rows = db.session.execute(counted_posts(Post.author_id, Post.body_html, start=now - timedelta(days=days),
                                            end=now)).all()
    found = discover(discovery_streams(rows, lex, names), is_stop=lex.is_stop, min_count=min_count, min_authors=1)
    # A term of one or two voices enters only when it is hammered: it is then cut whole and shows up, apart, as
    # "possible spam or one voice" instead of as stray characters.
    found = [item for item in found if item.authors >= min_authors or item.count >= BURST_COUNT]
    existing = {term.key: term for term in db.session.scalars(sa.select(Term))}
    new: list[Term] = []
    for item in found:
        # jieba's own dictionaries cut it whole already (a word taken back with del_word stays in FREQ at 0)
        known = lex.tokenizer.FREQ.get(item.key, 0) > 0 and item.key not in _taught
        if item.key in lex.stop or names.find(item.key) is not None or (known and item.key not in existing):
            continue
        term = existing.get(item.key)
        if term is None:
            term = Term(key=item.key, display=item.key, status="discovered")
            db.session.add(term)
            new.append(term)
        term.score, term.posts, term.authors, term.updated_at = item.score, item.count, item.authors, now
    _surface_forms(rows, [t for t in existing.values() if t.status == "discovered"] + new)
    set_checkpoint(_DISCOVERED_AT, int(now.timestamp()))
    if new:
        audit.record(None, "term.discover", None, after={"added": [t.display for t in new][:50]}, job="refresh_terms")
    return len(new)


def ensure_fresh(now: datetime, *, max_age: timedelta = FRESH_FOR) -> int:
    """Discover now when no discovery ran in the last ``max_age`` (a new community, or the scheduler is not
    running), so that an analysis never cuts a community's words with a stale dictionary; returns terms added."""
    last = get_checkpoint(_DISCOVERED_AT)
    if last and abs(now.timestamp() - last) <= max_age.total_seconds():
        return 0
    return refresh_discoveries(now)


def _surface_forms(rows, terms: list[Term]) -> None:
    """Show a discovered term as members most often wrote it (VC精华 rather than the folded vc精华)."""
    pending = {t.key: t for t in terms if t.display == t.key}
    if not pending:
        return
    seen: dict[str, Counter] = {key: Counter() for key in pending}
    patterns = {key: re.compile(re.escape(key).replace(r"\ ", r"\s+"), re.IGNORECASE) for key in pending}
    for _author, html in rows[:5000]:
        text = unicodedata.normalize("NFKC", html)
        for key, pattern in patterns.items():
            if len(seen[key]) < 50:
                seen[key].update(m.group() for m in pattern.finditer(text))
    for key, term in pending.items():
        if seen[key]:
            term.display = _display(seen[key].most_common(1)[0][0])[:80]


def dictionary_terms(status: str | None = None) -> list[Term]:
    """The dictionary, most recently changed first, optionally of one status."""
    select = sa.select(Term).order_by(Term.updated_at.desc(), Term.key)
    if status in STATUSES:
        select = select.where(Term.status == status)
    return list(db.session.scalars(select.limit(500)))


def stop_word_edits() -> list[StopWordEdit]:
    return list(db.session.scalars(sa.select(StopWordEdit).order_by(StopWordEdit.word)))


def find_or_add(text: str, *, by: User) -> Term:
    """The dictionary's term for ``text`` (any case or width), added as the researchers' own if it is new."""
    term = db.session.scalar(sa.select(Term).where(Term.key == _clean_term(text)))
    return term if term is not None else add_term(text, by=by)


def merge_by_text(variant: str, into: str, *, by: User) -> None:
    """Merge two terms named by text (either may be new to the dictionary)."""
    _require_researcher(by)
    if term_key(variant or "") == term_key(into or ""):
        raise DomainError(_("These are the same term already (case and width do not matter)."), "into")
    merge_terms(find_or_add(variant, by=by), find_or_add(into, by=by), by=by)


def discover_now(now: datetime, *, by: User) -> int:
    """A researcher runs the discovery job's work by hand (audited)."""
    _require_researcher(by)
    added = refresh_discoveries(now)
    audit.record(by, "term.discover_now", None, after={"added": added})
    return added


def stop_word_view() -> tuple[list[str], list[StopWordEdit]]:
    """The effective stop words (sorted) and the researchers' edits."""
    return sorted(stop_words()), stop_word_edits()
