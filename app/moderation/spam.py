"""Spam scoring: cheap rules on write, and the `clear_spam` sweep that adds context only known later."""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa

from app import audit
from app.core.settings import Checkpoint, get_setting, set_checkpoint
from app.db import ContentState
from app.extensions import db
from app.forum.models import Post, Thread
from app.members.models import User
from app.moderation.models import Flag, ReviewKind
from app.moderation.queue import open_item
from app.text.scrub import EMAIL_RE, QQ_RE, WECHAT_RE, has_phone
from app.uploads.services import DAILY_QUOTA, QUOTA_SETTING

DEFAULTS = {
    "spam.hold_threshold": 5.0,        # on write: at or above, the post waits for review
    "spam.quarantine_threshold": 8.0,  # in the sweep: at or above, the post is quarantined as spam
    "spam.blocked_words": [],
    "spam.retention_days": 90,
    "flags.hide_threshold": 3,
    QUOTA_SETTING: DAILY_QUOTA,  # images a member may send in 24 hours (posts, tasks, entries)
}
CHECKPOINT = "clear_spam"
SWEEP_BATCH = 2000
NEW_MEMBER_DAYS = 7

URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>()\"']+", re.IGNORECASE)
CONTACT_PHRASE_RE = re.compile(r"加\s*(?:我)?\s*(?:微信|微|v|vx|薇|qq|好友)|私聊我|私信我|代购|刷单|兼职日结", re.IGNORECASE)
_NORMALISE_RE = re.compile(r"[\W_]+", re.UNICODE)


def setting(key: str):
    return get_setting(key, DEFAULTS[key])


def text_hash(text: str) -> str:
    """A hash of the text with case, spacing and punctuation removed, to spot copies."""
    return hashlib.sha1(_NORMALISE_RE.sub("", text.casefold()).encode()).hexdigest()


@dataclass
class Score:
    value: float = 0.0
    reasons: list[str] = field(default_factory=list)

    def add(self, points: float, reason: str) -> None:
        self.value += points
        self.reasons.append(reason)


def score_text(text: str, *, is_new_member: bool, blocked_words: list[str]) -> Score:
    """The rules that need only the text and whether the author is new."""
    score = Score()
    links = len(URL_RE.findall(text))
    if links:
        score.add(min(links, 3) * (3 if is_new_member else 1), f"links:{links}" + (":new-member" if is_new_member else ""))
    contact = 0.0
    for found, points, name in ((EMAIL_RE.search, 3, "email"), (has_phone, 3, "phone"),
                                (WECHAT_RE.search, 4, "wechat-id"), (QQ_RE.search, 4, "qq-id"),
                                (CONTACT_PHRASE_RE.search, 3, "contact-phrase")):
        if found(text):
            contact += points
            score.reasons.append(name)
    score.value += min(contact, 7)
    lowered = text.casefold()
    for word in blocked_words:
        if word and word.casefold() in lowered:
            score.add(5, f"blocked-word:{word}")
    return score


def is_new_member(user: User | None, now: datetime) -> bool:
    return user is None or user.created_at > now - timedelta(days=NEW_MEMBER_DAYS) or user.post_count < 3


def check_on_write(post: Post, author: User, *, now: datetime, title: str | None = None) -> Score:
    """Score a new post (and its thread title); above the hold threshold it waits for review."""
    text = f"{title}\n{post.body}" if title else post.body
    post.body_hash = text_hash(post.body)
    if author.is_host:
        return Score()
    score = score_text(text, is_new_member=is_new_member(author, now), blocked_words=setting("spam.blocked_words"))
    repeats = db.session.scalar(
        sa.select(sa.func.count()).select_from(Post).where(
            Post.author_id == author.id, Post.body_hash == post.body_hash, Post.id != post.id,
            Post.created_at >= now - timedelta(days=1)))
    if repeats:
        score.add(3, f"repeated-text:{repeats}")
    recent = db.session.scalar(
        sa.select(sa.func.count()).select_from(Post).where(
            Post.author_id == author.id, Post.created_at >= now - timedelta(minutes=2)))
    if recent >= 5:
        score.add(3, f"burst:{recent}")
    post.spam_score, post.spam_reasons = score.value, score.reasons
    if score.value >= float(setting("spam.hold_threshold")):
        post.state = ContentState.PENDING.value
        if post.number == 1:
            post.thread.state = ContentState.PENDING.value
        open_item(post, ReviewKind.PENDING, score=score.value, reasons=score.reasons, now=now)
    return score


def _initial_checkpoint(now: datetime) -> int:
    """First run: start a day back rather than re-scoring the whole history."""
    first_recent = db.session.scalar(sa.select(sa.func.min(Post.id)).where(Post.created_at >= now - timedelta(days=1)))
    return (first_recent - 1) if first_recent else (db.session.scalar(sa.select(sa.func.max(Post.id))) or 0)


def sweep_spam(now: datetime, *, batch_size: int = SWEEP_BATCH) -> int:
    """Re-score posts written since the checkpoint with later context; quarantine spam. Returns posts scored."""
    cursor = db.session.get(Checkpoint, CHECKPOINT)
    position = cursor.position if cursor else _initial_checkpoint(now)
    scored, copies = 0, {}  # copies: text hash -> accounts that posted it, shared by the sweep's batches
    while True:
        posts = db.session.scalars(
            sa.select(Post).where(Post.id > position).order_by(Post.id).limit(batch_size)).all()
        if not posts:
            break
        scored += _sweep_batch(posts, now, copies)
        position = posts[-1].id
        set_checkpoint(CHECKPOINT, position)
    if cursor is None and not scored:
        set_checkpoint(CHECKPOINT, position)
    return scored


def _sweep_batch(posts: list[Post], now: datetime, copies: dict[str, int]) -> int:
    for post in posts:
        if post.body_hash is None:
            post.body_hash = text_hash(post.body)
    live = [p for p in posts if p.state in (ContentState.PUBLISHED.value, ContentState.PENDING.value)]
    if not live:
        return len(posts)
    context = _SweepContext.load(live, now, copies)
    quarantined_by_author: dict[int, int] = defaultdict(int)
    verdicts: dict[int, Score] = {}
    for post in live:
        verdicts[post.id] = context.score(post)
        if verdicts[post.id].value >= context.threshold:
            quarantined_by_author[post.author_id] += 1
    # Second pass: an author whose posts are being quarantined now counts as a known spammer too.
    for post in live:
        score = verdicts[post.id]
        if score.value < context.threshold and quarantined_by_author.get(post.author_id):
            score.add(4, "author-spamming-now")
        if score.value >= context.threshold:
            quarantine(post, score, now=now)
    return len(posts)


class _SweepContext:
    """What the sweep knows beyond the text: duplicates across accounts, known spammers, flags."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.threshold = float(setting("spam.quarantine_threshold"))
        self.blocked = setting("spam.blocked_words")
        self.authors: dict[int, User] = {}
        self.copies: dict[str, int] = {}
        self.spammers: set[int] = set()
        self.flag_weight: dict[int, int] = {}

    @classmethod
    def load(cls, posts: list[Post], now: datetime, copies: dict[str, int]) -> _SweepContext:
        ctx = cls(now)
        author_ids = {p.author_id for p in posts if p.author_id}
        ctx.authors = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(author_ids)))}
        # Only hashes this sweep has not counted yet: a text repeated across batches is counted once.
        unseen = {p.body_hash for p in posts} - copies.keys()
        if unseen:
            copies.update({digest: 0 for digest in unseen})
            copies.update(db.session.execute(
                sa.select(Post.body_hash, sa.func.count(sa.distinct(Post.author_id)))
                .where(Post.body_hash.in_(unseen), Post.created_at >= now - timedelta(days=7))
                .group_by(Post.body_hash)).all())
        ctx.copies = copies
        ctx.spammers = set(db.session.scalars(
            sa.select(Post.author_id).distinct().where(Post.author_id.in_(author_ids),
                                                       Post.state == ContentState.SPAM.value)))
        ctx.flag_weight = dict(db.session.execute(
            sa.select(Flag.post_id, sa.func.sum(Flag.weight))
            .where(Flag.post_id.in_([p.id for p in posts]), Flag.resolved_at.is_(None))
            .group_by(Flag.post_id)).all())
        return ctx

    def score(self, post: Post) -> Score:
        author = self.authors.get(post.author_id)
        if author is not None and author.is_host:
            return Score()
        score = score_text(post.body, is_new_member=is_new_member(author, self.now), blocked_words=self.blocked)
        accounts = self.copies.get(post.body_hash, 0)
        if accounts >= 3 and len(_NORMALISE_RE.sub("", post.body)) >= 15:
            score.add(4, f"same-text-from-{accounts}-accounts")
        if post.author_id in self.spammers:
            score.add(4, "author-has-confirmed-spam")
        weight = self.flag_weight.get(post.id, 0)
        if weight:
            score.add(2 * weight, f"flag-weight:{weight}")
        return score


def quarantine(post: Post, score: Score, *, now: datetime) -> None:
    """Move a post (and a thread it opens) to the spam state, queue it for review, audit it."""
    before = post.state
    post.state, post.hidden_at, post.hide_reason = ContentState.SPAM.value, now, "clear_spam"
    post.spam_score, post.spam_reasons = score.value, score.reasons
    if post.number == 1:
        db.session.execute(sa.update(Thread).where(Thread.id == post.thread_id)
                           .values(state=ContentState.SPAM.value))
    open_item(post, ReviewKind.SPAM, score=score.value, reasons=score.reasons, now=now)
    audit.record(None, "post.quarantine", post, job="clear_spam", reason=", ".join(score.reasons),
                 before={"state": before}, after={"state": post.state, "score": score.value})
