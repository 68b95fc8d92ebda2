"""Word frequency and emerging terms over member posts: jieba for Chinese, words for English."""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa

from app.db import ContentState
from app.extensions import db
from app.forum.models import Post, Thread
from app.members.models import User
from app.members.queries import members_only, taking_part_in_research
from app.research.quotes import QuoteRules
from app.text.markup import html_to_text
from app.text.segment import jieba_ready

MAX_POSTS = 50_000  # an analysis reads at most this many (most recent) posts
_HERE = Path(__file__).resolve().parent
_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[a-z][a-z'-]{1,29}|[\u3400-\u9fff]+|\d+")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    words = set()
    for name in ("stopwords_en.txt", "stopwords_zh.txt"):
        words.update((_HERE / name).read_text(encoding="utf-8").split())
    return frozenset(words)


def _jieba():
    return jieba_ready()


def tokens(text: str) -> list[str]:
    """Meaningful terms of a text: jieba words (2+ characters) for Chinese, lower-cased words for English."""
    text = text.lower()
    result: list[str] = []
    for chunk in _WORD.findall(text):
        if _CJK.match(chunk):
            result.extend(w for w in _jieba().lcut(chunk) if len(w) >= 2 and w not in stop_words())
        elif not chunk.isdigit() and len(chunk) >= 3 and chunk not in stop_words():
            result.append(chunk.strip("'-"))
    return result


def _member_posts(*, start: datetime | None, end: datetime | None, thread_ids=None, category_ids=None,
                  user_ids=None) -> sa.Select:
    published = ContentState.PUBLISHED.value
    select = (sa.select(Post.body_html).join(Thread, Post.thread_id == Thread.id).join(User, Post.author_id == User.id)
              .where(Post.state == published, Thread.state == published, members_only(), taking_part_in_research())
              .order_by(Post.created_at.desc()).limit(MAX_POSTS))
    if start:
        select = select.where(Post.created_at >= start)
    if end:
        select = select.where(Post.created_at < end)
    if thread_ids:
        select = select.where(Post.thread_id.in_(thread_ids))
    if category_ids:
        select = select.where(Thread.category_id.in_(category_ids))
    if user_ids is not None:
        select = select.where(Post.author_id.in_(user_ids))
    return select


def count_terms(select: sa.Select) -> tuple[Counter, int]:
    """Term counts and how many posts were read; quoted text is left out (it is someone else's words, perhaps a
    member's who withdrew consent, and would count twice)."""
    rules = QuoteRules()
    counts: Counter = Counter()
    posts = 0
    for (html,) in db.session.execute(select):
        posts += 1
        counts.update(tokens(html_to_text(rules.strip(html))))
    return counts, posts


def word_frequency(**filters) -> tuple[list[tuple[str, int]], int]:
    """The 100 most frequent terms in the selection, and the number of posts read."""
    counts, posts = count_terms(_member_posts(**filters))
    return counts.most_common(100), posts


@dataclass
class EmergingTerm:
    term: str
    recent: int
    previous: int
    ratio: float


def emerging_terms(now: datetime, *, days: int = 7, min_count: int = 5, smoothing: float = 2.0,
                   limit: int = 30, **filters) -> list[EmergingTerm]:
    """Terms whose share of the last ``days`` rose most against the ``days`` before (smoothed ratio)."""
    recent, _ = count_terms(_member_posts(start=now - timedelta(days=days), end=now, **filters))
    previous, _ = count_terms(_member_posts(start=now - timedelta(days=2 * days), end=now - timedelta(days=days),
                                            **filters))
    recent_total, previous_total = sum(recent.values()) or 1, sum(previous.values()) or 1
    scale = previous_total / recent_total  # compare shares, not raw counts, when volumes differ
    ranked = [
        EmergingTerm(term, count, previous.get(term, 0),
                     (count + smoothing) * scale / (previous.get(term, 0) + smoothing))
        for term, count in recent.items() if count >= min_count
    ]
    ranked.sort(key=lambda t: (-t.ratio, -t.recent, t.term))
    return ranked[:limit]


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
