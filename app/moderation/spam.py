"""Spam scoring: rules and the classifier on write, and the `clear_spam` sweep that adds context only known later.

Everything is judged on the normalised text (app.text.normalise.judging_text). On write: links that are not to the
community's own or allowed domains, contact details and phrases, a new member's first link or first posts with
contact details (trust levels, app.moderation.trust), near-duplicates of other accounts' recent posts (MinHash,
app.moderation.neardup), blocked words, repeats, bursts, and the classifier's probability (app.moderation.learning).
Each post's verdict is kept (SpamVerdict) for the filter's record and for learning from the hosts' decisions.
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, has_app_context

from app import audit
from app.core.settings import Checkpoint, get_setting, set_checkpoint
from app.db import ContentState
from app.extensions import db
from app.forum.models import Post, Thread
from app.members.models import User
from app.moderation import context as context_rules
from app.moderation import learning, neardup
from app.moderation.classifier import Behaviour, evidence
from app.moderation.models import Flag, ReviewKind
from app.moderation.queue import open_item
from app.moderation.signals import (
    TextSignals,
    is_allowed,
    is_shortener,
    message_emoji,
    without_addressed,
    without_quotes,
)
from app.moderation.spam_models import PostFingerprint, SpamVerdict
from app.moderation.trust import TrustLevel, current_level
from app.text.normalise import disguised_address, disguised_number, judging_text
from app.uploads.services import DAILY_QUOTA, QUOTA_SETTING

# Sites members link to in good faith: the big shops and platforms, their own short links, and the big forums and
# references (the community's own site is added from TEAHOUSE_PUBLIC_URL). Admins edit the list on the filter's page.
DEFAULT_ALLOWED_DOMAINS = [
    "tmall.com", "taobao.com", "m.tb.cn", "jd.com", "xiaohongshu.com", "xhslink.com", "weibo.com", "weibo.cn",
    "zhihu.com", "douban.com", "bilibili.com", "b23.tv", "douyin.com", "dianping.com", "mp.weixin.qq.com",
    "baidu.com", "amazon.com", "amazon.co.uk", "amazon.cn", "apple.com", "google.com", "youtube.com", "youtu.be",
    "wikipedia.org", "reddit.com", "redd.it", "github.com", "ncbi.nlm.nih.gov", "example.com", "example.org",
    "example.net",
]
DEFAULTS = {
    "spam.hold_threshold": 5.0,        # on write: at or above, the post waits for review
    "spam.quarantine_threshold": 8.0,  # in the sweep: at or above, the post is quarantined as spam
    "spam.blocked_words": [],
    "spam.retention_days": 90,
    "flags.hide_threshold": 3,
    QUOTA_SETTING: DAILY_QUOTA,  # images a member may send in 24 hours (posts, tasks, entries)
}
# Settings with a page of their own (the filter's page, app.moderation.admin_views), not the moderation settings form.
FILTER_DEFAULTS = {"spam.allowed_domains": DEFAULT_ALLOWED_DOMAINS}
CLASSIFIER_WEIGHT = 7.5  # the classifier's points at probability 1 (none at 0.5 and below): alone it holds from 0.83
YOUNG_CLASSIFIER_WEIGHT, YOUNG_HOLD_FROM = 14.0, 0.68  # a young account's post holds alone from p 0.68
# A member whose posts the hosts have accepted (trust level member or regular) is held on the classifier's word
# alone only when it is all but sure (from about p 0.985): its everyday talk is what the seed knows least, and a
# larger seed made single English words lean hard ("I research online…" scored 0.956 on its "online").
ESTABLISHED_CLASSIFIER_WEIGHT = 5.15
# An address spelled out ("dot com") is written to get past the link rules: a disguise, like a dressed-up number.
SPELLED_LINK_POINTS = 2
# Talk kept on the site with no contact detail or link (signals.TextSignals.kept_on_site: "站内私信我就行，不加微信") is
# not held on the classifier's word alone: a swap between members uses the words of an ad; another sign must join it.
ON_SITE_CLASSIFIER_CAP = 4.0
# The same text again from one account counts only when there is something to repeat: ads are sentences, while
# members ask "?" or say "+1" in thread after thread.
REPEAT_MIN_CHARS = 8
NEAR_DUPLICATE_POINTS, LONE_DUPLICATE_POINTS = 5, 2  # a copy with another spam sign is held; a bare copy is not
# A new member's post that only points to a private message or their own profile, with nothing said besides.
POINTER_ONLY_POINTS = 5
LURE_POINTS = 3  # a new member's family of lure (signals.LURES); two, or one with another sign, are held
CHECKPOINT = "clear_spam"
SWEEP_BATCH = 2000
NEW_MEMBER_DAYS = 7
_NORMALISE_RE = re.compile(r"[\W_]+", re.UNICODE)
CONTACT_POINTS = {"wechat-id": 4, "qq-id": 4, "phone": 3, "email": 3, "handle": 3, "spaced-id": 4, "disguised-number": 4}


def setting(key: str):
    return get_setting(key, DEFAULTS[key] if key in DEFAULTS else FILTER_DEFAULTS[key])


def allowed_domains() -> list[str]:
    """The allowed domains from the settings, plus the community's own host."""
    domains = list(setting("spam.allowed_domains"))
    public = current_app.config.get("PUBLIC_URL") if has_app_context() else None
    host = urlsplit(public).hostname if public else None
    if host and host not in {"localhost", "127.0.0.1"}:
        domains.append(host.removeprefix("www."))
    return domains


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


def score_text(text: str, *, is_new_member: bool, blocked_words: list[str], allowed: list[str] | None = None,
               signals: TextSignals | None = None) -> Score:
    """The rules that need only the (normalised) text and whether the author is new."""
    signals = signals or TextSignals.of(text)
    score = Score()
    links = counted_links(signals, allowed or [])
    if links:
        score.add(min(links, 3) * (3 if is_new_member else 1), f"links:{links}" + (":new-member" if is_new_member else ""))
    if len(set(signals.domains)) >= 3:
        score.add(3, f"link-farm:{len(set(signals.domains))}")
    if any(is_shortener(host) for host in signals.domains):
        score.add(2, "short-link")
    if links and signals.spelled_address and not signals.warning:  # a warning spells out the scam's address
        score.add(SPELLED_LINK_POINTS, "spelled-link")
    contact = 0.0
    for name in [] if signals.plain_public_account else signals.contact_ids:  # a member's own public account is allowed
        contact += CONTACT_POINTS[name]
        score.reasons.append(name)
    # A warning or a report names the phrases and lures of the ads it is about; with no contact detail or link of its
    # own, they are not the author's.
    reported = signals.warning and not signals.contact_ids and not links
    if signals.contact_phrase and not reported:
        contact += 3
        score.reasons.append("contact-phrase")
    score.value += min(contact, 7)
    lures = [] if reported else signals.lures
    if lures:
        points = LURE_POINTS if is_new_member else 1  # an established member may well write about such things
        score.add(min(points * len(lures), 2 * points), "lure:" + ",".join(lures))
    for word in blocked_words:
        if word and word.casefold() in signals.text:
            score.add(5, f"blocked-word:{word}")
    return score


def counted_links(signals: TextSignals, allowed: list[str]) -> int:
    """Links that count against a post: all but those to allowed domains."""
    return sum(1 for host in signals.domains if not is_allowed(host, allowed))


def is_new_member(user: User | None, now: datetime) -> bool:
    return user is None or user.created_at > now - timedelta(days=NEW_MEMBER_DAYS) or user.post_count < 3


def _count(where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Post).where(*where)) or 0


def _trust_rules(score: Score, post: Post, author: User, signals: TextSignals, links: int, now: datetime) -> bool:
    """A new member's first link, and contact details in a new member's first posts, wait for review."""
    earlier = _count([Post.author_id == author.id, Post.id != post.id, Post.state == ContentState.PUBLISHED.value])
    first_link = bool(links) and not _count([Post.author_id == author.id, Post.id != post.id,
                                             Post.state == ContentState.PUBLISHED.value, Post.body.contains("http")])
    if first_link:
        score.add(5, "first-link:new-member")
    if earlier < 3 and (signals.contact_ids or (signals.contact_phrase and links)):
        score.add(5, "contact-in-first-posts:new-member")
    elif signals.pointer_only:  # "已私", "名字就是答案", "👉💬👈": nothing said on the site but where to go
        score.add(POINTER_ONLY_POINTS, "pointer-only:new-member")
    elif earlier < 3 and signals.pointer and not signals.warning:
        score.add(3, "pointer-in-first-posts:new-member")
    return first_link


def check_on_write(post: Post, author: User, *, now: datetime, title: str | None = None) -> Score:
    """Score a new post (and its thread title); above the hold threshold it waits for review."""
    text = f"{title}\n{post.body}" if title else post.body
    post.body_hash = text_hash(post.body)
    if author.is_host:
        return Score()
    level = current_level(author, now)
    own = text if level == TrustLevel.NEW else without_quotes(text)
    judged = judged_text(post.body, title, level)
    if (post.number or 0) > 1 and context_rules.acknowledges_dm(judged) and context_rules.answers_host(post):
        # "好的已私信，谢谢" to a host who asked for a private message: no nudge to read one, no pointer elsewhere
        judged = context_rules.DM_ACK_RE.sub(" ", judged)
    signals = TextSignals(judged, disguised_number(own), disguised_address(own), message_emoji(own))
    allowed = allowed_domains()
    score = score_text(text, is_new_member=level == TrustLevel.NEW or is_new_member(author, now),
                       blocked_words=setting("spam.blocked_words"), allowed=allowed, signals=signals)
    links = counted_links(signals, allowed)
    first_link = level == TrustLevel.NEW and _trust_rules(score, post, author, signals, links, now)
    repeats = _count([Post.author_id == author.id, Post.body_hash == post.body_hash, Post.id != post.id,
                      Post.created_at >= now - timedelta(days=1)])
    if repeats and len(post.body.strip()) >= REPEAT_MIN_CHARS:  # a repeated "?" or "+1" is no campaign
        score.add(3, f"repeated-text:{repeats}")
    recent = _count([Post.author_id == author.id, Post.created_at >= now - timedelta(hours=1)])
    if _count([Post.author_id == author.id, Post.created_at >= now - timedelta(minutes=2)]) >= 5:
        score.add(3, f"burst:{recent}")
    accounts = _near_duplicates_on_write(post, author, signals, now)
    behaviour = Behaviour(age_days=max((now - author.created_at).total_seconds() / 86_400, 0), trust_level=int(level),
                          links=links, first_link=first_link, recent_posts=max(recent - 1, 0), duplicates=accounts,
                          contact_id=bool(signals.contact_ids))
    # A warning or report quotes the ads it is about: the classifier reads the member's own words around them.
    # The member a reply addresses ("@name") is no word of the writer's, and a private channel denied ("不用私我了") is
    # no offer of one.
    classified = without_addressed(judging_text(without_quotes(text)) if signals.warning else signals.offered)
    probability, version = add_classifier(score, classified, behaviour)
    if accounts:
        add_near_duplicate(score, accounts)
    post.spam_score, post.spam_reasons = score.value, score.reasons
    held = score.value >= float(setting("spam.hold_threshold"))
    _record_verdict(post, score, "held" if held else "published", now,
                    judged=(classified, probability, version, behaviour))
    if held:
        post.state = ContentState.PENDING.value
        if post.number == 1:
            post.thread.state = ContentState.PENDING.value
        open_item(post, ReviewKind.PENDING, score=score.value, reasons=score.reasons, now=now)
    return score


def judged_text(body: str, title: str | None, level: int) -> str:
    """What the filter reads of a post (and the title of a thread it opens): a new member's text whole, others'
    without what they quote."""
    text = f"{title}\n{body}" if title else body
    return judging_text(text if level == TrustLevel.NEW else without_quotes(text))


def _near_duplicates_on_write(post: Post, author: User, signals: TextSignals, now: datetime) -> int:
    """Fingerprint the post; the number of other accounts that posted nearly the same text in the window."""
    signature = neardup.minhash(signals.text)
    if signature is None:
        return 0
    found = neardup.copies(signature, author_id=author.id, since=now - neardup.WINDOW, until=now,
                           exclude_post=post.id)
    neardup.remember(post.id, author.id, now, signature)
    return len(set(found.values()))


def add_near_duplicate(score: Score, accounts: int) -> None:
    """Copies from other accounts: held when the text shows another sign of spam, noted when it does not (two members
    may well write the same "thanks, very helpful")."""
    points = NEAR_DUPLICATE_POINTS if score.value >= 2 else LONE_DUPLICATE_POINTS
    score.add(points, f"near-duplicate:{accounts + 1}-accounts")


def classifier_points(probability: float, judged: str, *, young: bool, established: bool = False) -> float:
    """Points for the classifier's probability, weighed by how much text there is: a few words are little evidence
    ("Tell me" or "ok" cannot be held on the classifier's word alone; the "@name" a reply addresses is no text of the
    writer's). For an account younger than a week a moderate
    probability counts more (a behavioural sign with it): alone it holds from about YOUNG_HOLD_FROM."""
    if established:
        weight = ESTABLISHED_CLASSIFIER_WEIGHT
    elif young and probability >= YOUNG_HOLD_FROM:
        weight = YOUNG_CLASSIFIER_WEIGHT
    else:
        weight = CLASSIFIER_WEIGHT
    return max(0.0, probability - 0.5) * 2 * weight * evidence(without_addressed(judged))


def behaviour_points(probability: float, judged: str, behaviour: Behaviour) -> float:
    """``classifier_points`` for a post whose author's behaviour is known (its age and trust level); talk kept on the
    site holds only with another sign (ON_SITE_CLASSIFIER_CAP)."""
    points = classifier_points(probability, judged, young=behaviour.age_days < NEW_MEMBER_DAYS,
                               established=behaviour.trust_level >= TrustLevel.MEMBER)
    signals = TextSignals(judged)
    # A warning with no contact detail or link of its own names the lures it warns of ("…提现秒到+彩金=赌博网站，别碰"):
    # another sign must join the classifier's word, as for talk kept on the site.
    reported = signals.warning and not signals.contact_ids and not signals.links
    # So does a member's own account on a public platform named plainly: the platform's name is the ads' word too.
    needs_another_sign = signals.kept_on_site or reported or signals.plain_public_account
    return min(points, ON_SITE_CLASSIFIER_CAP) if needs_another_sign else points


def classifier_would_hold(probability: float, judged: str, behaviour: Behaviour) -> bool:
    """Whether the classifier's points alone reach the hold threshold (the filter record's "classifier alone")."""
    return behaviour_points(probability, judged, behaviour) >= float(setting("spam.hold_threshold"))


def add_classifier(score: Score, judged: str, behaviour: Behaviour) -> tuple[float, int]:
    """Add the classifier's points (above probability 0.5) and its explanation to ``score``."""
    scorer = learning.active_scorer()
    explanation = scorer.explain(judged, behaviour)
    points = behaviour_points(explanation.probability, judged, behaviour)
    if points >= 1:
        score.add(round(points, 2), explanation.reason(scorer.version))
    return explanation.probability, scorer.version or 0


def _record_verdict(post: Post, score: Score, outcome: str, now: datetime,
                    judged: tuple[str, float, int, Behaviour] | None = None) -> SpamVerdict:
    """Keep the filter's verdict on a post; ``judged`` (judged text, probability, model version, behaviour) when the
    classifier was asked, so that "classifier alone" is the very points the classifier added (classifier_points)."""
    verdict = db.session.scalar(sa.select(SpamVerdict).where(SpamVerdict.post_id == post.id))
    if verdict is None:
        verdict = SpamVerdict(post_id=post.id, author_id=post.author_id, created_at=now)
        db.session.add(verdict)
    verdict.outcome, verdict.score = outcome, score.value
    verdict.rules = sorted({reason.split(":")[0] for reason in score.reasons})
    if judged is not None:
        text, probability, version, behaviour = judged
        verdict.classifier, verdict.model_version = probability, version
        verdict.classifier_flagged = classifier_would_hold(probability, text, behaviour)
        verdict.behaviour = behaviour.as_dict()
    return verdict


def _initial_checkpoint(now: datetime) -> int:
    """First run: start a day back rather than re-scoring the whole history."""
    first_recent = db.session.scalar(sa.select(sa.func.min(Post.id)).where(Post.created_at >= now - timedelta(days=1)))
    return (first_recent - 1) if first_recent else (db.session.scalar(sa.select(sa.func.max(Post.id))) or 0)


def sweep_spam(now: datetime, *, batch_size: int = SWEEP_BATCH) -> int:
    """Re-score posts written since the checkpoint with later context; quarantine spam. Returns posts scored."""
    learning.harvest_decisions(now)
    neardup.forget_before(now - 2 * neardup.WINDOW)
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
    quarantined = {post.id for post in live if verdicts[post.id].value >= context.threshold}
    _judge_with_threads(live, verdicts, quarantined, now)
    return len(posts)


def _judge_with_threads(live: list[Post], verdicts: dict[int, Score], quarantined: set[int], now: datetime) -> None:
    """Replies that go with a spam post in their thread (app.moderation.context): quarantined with a quarantined
    post, held with a held one."""
    hold_threshold = float(setting("spam.hold_threshold"))
    found_all = context_rules.chorus({post.thread_id for post in live}, quarantined, hold_threshold=hold_threshold,
                                     now=now)
    judged = {found.post.id for found in found_all}
    found_all += [found for found in context_rules.strays(live, quarantined, hold_threshold=hold_threshold, now=now)
                  if found.post.id not in judged]
    for found in found_all:
        post = found.post
        score = verdicts.get(post.id) or Score(post.spam_score or 0.0, list(post.spam_reasons or []))
        for reason in found.reasons[:-1]:
            score.reasons.append(reason)
        score.add(found.points, found.reasons[-1])
        if found.quarantine:
            quarantine(post, score, now=now)
        else:
            hold(post, score, now=now)


def hold(post: Post, score: Score, *, now: datetime) -> None:
    """Hold a published reply for review (the sweep's milder step, beside ``quarantine``)."""
    before = post.state
    post.state, post.spam_score, post.spam_reasons = ContentState.PENDING.value, score.value, score.reasons
    open_item(post, ReviewKind.PENDING, score=score.value, reasons=score.reasons, now=now)
    _record_verdict(post, score, "held", now)
    audit.record(None, "post.hold", post, job="clear_spam", reason=", ".join(score.reasons),
                 before={"state": before}, after={"state": post.state, "score": score.value})


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
        self.judged: dict[int, SpamVerdict] = {}
        self.duplicates: dict[int, int] = {}
        self.allowed = allowed_domains()

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
        post_ids = [p.id for p in posts]
        ctx.judged = {v.post_id: v for v in db.session.scalars(sa.select(SpamVerdict)
                                                                .where(SpamVerdict.post_id.in_(post_ids)))}
        ctx.duplicates = ctx._near_duplicates(posts)
        return ctx

    def _near_duplicates(self, posts: list[Post]) -> dict[int, int]:
        """For fingerprinted posts: how many other accounts posted nearly the same text within the window."""
        created = {p.id: (p.created_at, p.author_id) for p in posts}
        found = {}
        for post_id in db.session.scalars(sa.select(PostFingerprint.post_id)
                                          .where(PostFingerprint.post_id.in_(list(created)))):
            at, author = created[post_id]
            signature = neardup.fingerprint_of(post_id)
            others = neardup.copies(signature, author_id=author, since=at - neardup.WINDOW,
                                    until=at + neardup.WINDOW, exclude_post=post_id)
            if others:
                found[post_id] = len(set(others.values()))
        return found

    def score(self, post: Post) -> Score:
        author = self.authors.get(post.author_id)
        if author is not None and author.is_host:
            return Score()
        verdict = self.judged.get(post.id)
        if verdict is not None and post.edited_at is None:  # judged on write as it is: start from that score
            score = Score(verdict.score, list(post.spam_reasons or []))
        else:
            score = score_text(post.body, is_new_member=is_new_member(author, self.now), blocked_words=self.blocked,
                               allowed=self.allowed)
        near = self.duplicates.get(post.id, 0)
        if near and not any(r.startswith("near-duplicate") for r in score.reasons):
            add_near_duplicate(score, near)
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
    _record_verdict(post, score, "quarantined", now)
    audit.record(None, "post.quarantine", post, job="clear_spam", reason=", ".join(score.reasons),
                 before={"state": before}, after={"state": post.state, "score": score.value})
