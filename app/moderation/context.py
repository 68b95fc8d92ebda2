"""Replies judged with their thread: the chorus under a spam post goes with it.

An ad rarely comes alone. Young sockpuppet accounts reply under it to make it look wanted: they take up its private
channel ("已私", "已加", "求带", "DM'd you"), vouch for it ("用过楼主的面膜，真的神", "legit, got paid") or only point
elsewhere. Alone each reply is a few harmless words; in a thread whose opener (or an earlier post) the filter has
quarantined or held, from an account days old, they are part of the ad. ``chorus`` finds them for the clear_spam
sweep, with reasons a host can read on the queue item ("reply to a quarantined thread; account 0 days old; only
posts here; takes up its offer").

Members are left alone: hosts, accounts a month old or more, accounts the hosts have trusted (level member and up),
posts a host has already approved, and replies that warn about the spam or argue against it. A reply under a spam
*reply* (a thread of members where an ad was dropped) goes with it only when it takes up the private channel or only
points elsewhere: members thank the opener in words a sockpuppet would use too.

When the ad was held on write its thread cannot be replied to, and the chorus lands in whatever thread is open.
``strays`` holds (never quarantines) a young account's first posts written minutes after such a post by an account
made with its author's, when they share nothing with their own thread and read as the chorus (taking up, vouching,
telling what it paid, asking its terms) or echo the held post's words; and the held post's author's own posts
elsewhere in the hour after it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.db import ContentState
from app.extensions import db
from app.forum.models import Post, Thread
from app.members.models import User
from app.moderation.signals import TextSignals
from app.moderation.spam_models import SpamVerdict
from app.moderation.trust import TrustLevel, current_level
from app.text.normalise import judging_text

YOUNG_DAYS = 7          # an account this young when it replied is a possible sockpuppet
LOW_TRUST_DAYS = 30     # ... and up to a month old when it has posted nowhere else and earned no trust
SAME_TIME = timedelta(days=1)   # accounts created this close to the spam post's author's were made together
WINDOW = timedelta(days=7)      # replies this long after the spam post are judged with it
THREAD_POINTS = 4       # a suspect account's reply under spam
CHORUS_POINTS = 4       # ... that takes it up, vouches for it, or only points elsewhere (with THREAD_POINTS: 8)
ONLY_HERE_POINTS = 1    # the account has posted nowhere else
SHORT_CHORUS = 60       # characters: a chorus line is short (a long review is judged on its own words)

# Taking up what the spam offers: its private channel, its group, its offer ("已私", "已加", "求带", "怎么加", "了解一下",
# "DM'd you", "joined", "how do I sign up").
UPTAKE_RE = re.compile(
    r"已(?:私|加|联系|扫|进群|入群|报名|关注|申请|注册)|扣\s*1|(?:私|加|联系)(?:你|您|楼主|姐姐|博主|老师)了?|"
    r"(?:私|加)了|求(?:带|拉|加|私|联系方式|进群|入群|邀请|名额|上车|资料)|带(?:带)?我|"
    r"了解一下|想了解|想要|怎么(?:加|联系|进群|入群|报名|参加|领|买|私|申请|注册|上车)|在哪(?:加|买|领|报名|申请)|"
    r"(?<![a-z])(?:dm'?d|pm'?d|messaged|texted|inboxed|joined|signed up|registered|subscribed|interested|"
    r"sign me up|count me in|how (?:do|can) i (?:join|sign up|contact|get|buy|order|apply))(?![a-z])")
# Vouching for it: a testimony or praise ("用过", "真的神", "已到账", "支持姐姐", "legit", "it works").
ENDORSE_RE = re.compile(
    r"用过|亲测|试过|真的?(?:神|好用|有效|有用|靠谱|到账|赚|管用|不错|太好|绝|香|可以)|效果[^\n]{0,3}(?:好|棒|明显|不错|惊人|绝)|"
    r"到账|回本|提现|回购|靠谱|良心|强烈推荐|推荐|神器|绝了|太(?:好|棒|值|香|神)了|支持|冲+|赞+|牛|"
    r"(?:感谢|谢谢|多谢)(?:楼主|姐姐|老师|博主|姐妹|大佬|分享|推荐)|"
    r"(?<![a-z])(?:legit|it works|works great|works|got paid|paid out|can confirm|vouch|recommend|changed my life|"
    r"thank you so much|thanks so much|life ?saver|amazing|worked for me|real deal|trusted|genuine)(?![a-z])")
# Testimony of what the offer paid or did: money received, a win, a result ("昨天提了356", "已经到账", "瘦了12斤",
# "got approved", "got paid").
TESTIMONY_RE = re.compile(
    r"到账|提现|提了\s*\d|佣金[^\n，,。]{0,3}到了|(?:在|从|找)[他她]家|(?<![抽选])中了|赚了|返了|回本|领到|兑换成功|发货了|瘦了\s*\d|(?:买|拿|找|跟|做|学|办|打|吃)过|"
    r"(?:报名|办理|办|跟|学|做|吃|用|拿|买)了\s*(?:[一两二三四五六七八九十\d]+\s*(?:个|次|单|盒|周|天|年)|[，,！!])|"
    r"(?<![a-z])(?:got (?:approved|paid|my|it)|ordered (?:twice|again|from)|paid out|received (?:my|the)|"
    r"withdr[ae]w)(?![a-z])")
# A question about the offer's terms: its price or fee, whether it pays out or refunds, what it asks, where it goes.
OFFER_QUESTION_RE = re.compile(
    r"多少钱|学费|费用|收费|怎么收|(?:能|可以|会)(?:提现|退|到账|返)|也能退|真的会退|需要(?:露脸|押金|交钱|本金|经验)|"
    r"(?:可以|能)(?:到|去|寄到?|送到?)[\u4e00-\u9fff]{2,3}吗|(?:送|返|给|赚)[^\n]{0,6}多少|"
    r"(?<![a-z])(?:how much|is it safe|is it legit|do you ship|can i withdraw)(?![a-z])")
# Nothing said: emoji, punctuation, "1" (the reply a "扣1" ad asks for).
NOTHING_SAID_RE = re.compile(r"[\W_]+|(?<!\d)1(?!\d)")
# Arguing against it: doubt and refusal ("骗人的吧", "别信", "广告", "举报了"); warnings are TextSignals.warning.
AGAINST_RE = re.compile(r"(?<![不没])骗|假的|广告|举报|拉黑|别信|不信|不要|别买|别加|智商税|割韭菜|托儿?|水军|真的假的|"
                        r"(?<![a-z])(?:fake|scam|spam|bot|ad|report|don'?t|never|shill|sus)(?![a-z])")


def says_nothing(judged: str) -> bool:
    """Only emoji, punctuation or a bare "1" ("+1" is a member agreeing, kept)."""
    return not NOTHING_SAID_RE.sub("", judged) and "+1" not in judged


@dataclass(frozen=True)
class Anchor:
    """A post the filter quarantined or held, that replies after it are judged with."""

    post_id: int
    thread_id: int
    opener: bool
    created_at: datetime
    author_created: datetime | None
    author_id: int | None
    quarantined: bool   # quarantined (spam); else held for review


@dataclass
class Verdict:
    post: Post
    points: float
    reasons: list[str]
    quarantine: bool    # go with a quarantined anchor; else held with a held one


def anchors(thread_ids: set[int], quarantined_now: set[int], hold_threshold: float) -> dict[int, list[Anchor]]:
    """The spam posts of these threads: quarantined (now or before) or held by the filter, oldest first."""
    if not thread_ids:
        return {}
    rows = db.session.execute(
        sa.select(Post.id, Post.thread_id, Post.number, Post.created_at, Post.state, User.created_at, Post.author_id)
        .join(User, User.id == Post.author_id, isouter=True)
        .where(Post.thread_id.in_(thread_ids),
               sa.or_(Post.state == ContentState.SPAM.value, Post.id.in_(quarantined_now or {0}),
                      sa.and_(Post.state == ContentState.PENDING.value, Post.spam_score >= hold_threshold)))
        .order_by(Post.created_at, Post.id)).all()
    found: dict[int, list[Anchor]] = {}
    for post_id, thread_id, number, created_at, state, author_created, author_id in rows:
        quarantined = state == ContentState.SPAM.value or post_id in quarantined_now
        found.setdefault(thread_id, []).append(Anchor(post_id, thread_id, number == 1, created_at, author_created,
                                                      author_id, quarantined))
    return found


def chorus(thread_ids: set[int], quarantined_now: set[int], *, hold_threshold: float, now: datetime) -> list[Verdict]:
    """Published replies in these threads that go with a spam post before them (see the module)."""
    spam = anchors(thread_ids, quarantined_now, hold_threshold)
    if not spam:
        return []
    earliest = min(a.created_at for anchors_ in spam.values() for a in anchors_)
    latest = max(a.created_at for anchors_ in spam.values() for a in anchors_) + WINDOW
    candidates = db.session.scalars(
        sa.select(Post).where(Post.thread_id.in_(spam), Post.state == ContentState.PUBLISHED.value,
                              Post.id.not_in(quarantined_now or {0}), Post.number > 1,
                              Post.created_at >= earliest, Post.created_at <= latest)
        .order_by(Post.id)).all()
    if not candidates:
        return []
    decided = set(db.session.scalars(sa.select(SpamVerdict.post_id).where(
        SpamVerdict.post_id.in_([p.id for p in candidates]), SpamVerdict.decision == "ham")))
    author_ids = {p.author_id for p in candidates if p.author_id}
    authors = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(author_ids)))}
    threads_of = dict(db.session.execute(
        sa.select(Post.author_id, sa.func.count(sa.distinct(Post.thread_id)))
        .where(Post.author_id.in_(author_ids)).group_by(Post.author_id)).all())
    verdicts = []
    for post in candidates:
        author = authors.get(post.author_id)
        if author is None or author.is_host or post.id in decided:
            continue
        before = [a for a in spam[post.thread_id]
                  if a.created_at <= post.created_at <= a.created_at + WINDOW and a.post_id != post.id]
        if before:
            verdict = _judge(post, author, before, only_here=threads_of.get(author.id, 0) <= 1, now=now)
            if verdict is not None:
                verdicts.append(verdict)
    return verdicts


def _judge(post: Post, author: User, before: list[Anchor], *, only_here: bool, now: datetime) -> Verdict | None:
    age = max((post.created_at - author.created_at).total_seconds() / 86_400, 0)
    own = next((a for a in before if a.author_id == author.id), None)
    if own is not None:  # the spam post's author talking up their own ad
        return Verdict(post, THREAD_POINTS + CHORUS_POINTS,
                       [_anchor_reason(own), f"account-age:{int(age)}", "chorus:same-author"], own.quarantined)
    if age >= LOW_TRUST_DAYS or current_level(author, now) >= TrustLevel.MEMBER:
        return None
    if age >= YOUNG_DAYS and not (only_here and current_level(author, now) == TrustLevel.NEW):
        return None
    signals = TextSignals.of(post.body)
    text = judging_text(post.body)
    if signals.warning or AGAINST_RE.search(text):
        return None
    opener = next((a for a in before if a.opener), None)
    anchor = opener or before[-1]
    short = len(text) <= SHORT_CHORUS
    if signals.pointer_only:
        joins = "points-elsewhere"
    elif opener is not None and says_nothing(text):  # "👀", "1": the chorus's cue, nothing else
        joins = "says-nothing"
    elif short and UPTAKE_RE.search(text):
        joins = "takes-up"
    elif short and opener is not None and (ENDORSE_RE.search(text) or TESTIMONY_RE.search(text)):
        joins = "vouches"
    elif short and opener is not None and OFFER_QUESTION_RE.search(text):
        joins = "asks-terms"
    else:
        return None
    reasons = [_anchor_reason(anchor), f"account-age:{int(age)}"]
    points = THREAD_POINTS + CHORUS_POINTS
    if only_here:
        points += ONLY_HERE_POINTS
        reasons.append("only-posts-here")
    if anchor.author_created and abs(author.created_at - anchor.author_created) <= SAME_TIME:
        reasons.append("created-with-spam-account")
    reasons.append(f"chorus:{joins}")
    return Verdict(post, points, reasons, anchor.quarantined)


def _anchor_reason(anchor: Anchor) -> str:
    return f"reply-to-spam:{'thread' if anchor.opener else 'post'}:{anchor.post_id}" + ("" if anchor.quarantined
                                                                                       else ":held")


# --- the chorus posted elsewhere --------------------------------------------------------------------------------------
# When the ad itself was held on write, its thread cannot be replied to; the sockpuppets' lines land in whatever thread
# is open, minutes after it. They are about the ad, not about the thread they are in: a young account's first posts
# that share the held post's words more than their own thread's, posted within STRAY_WINDOW of it by an account made
# within SAME_BATCH of its author's, go with it.
STRAY_WINDOW = timedelta(minutes=20)
SAME_BATCH = timedelta(days=3)
STRAY_FIRST_POSTS = 3
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_LATIN = re.compile(r"[a-z]{4,}")
_COMMON = {"姐妹", "谢谢", "真的", "一个", "我们", "你们", "大家", "可以", "这个", "就是", "没有", "什么", "还是", "已经",
           "现在", "自己", "楼主", "有没", "不是", "知道", "觉得", "妹们", "新人", "请问", "多少", "个月", "官网", "that", "this", "with", "have", "just", "your", "thanks",
           "from", "what", "they", "will", "been", "were", "there", "here"}


def terms(text: str) -> set[str]:
    """Character pairs of the Chinese and the longer Latin words: what two texts can share."""
    judged = judging_text(text)
    found = set(_LATIN.findall(judged))
    for run in _CJK_RUN.findall(judged):
        found |= {run[i:i + 2] for i in range(len(run) - 1)}
    return found - _COMMON


def strays(live: list[Post], quarantined_now: set[int], *, hold_threshold: float, now: datetime) -> list[Verdict]:
    """Young accounts' first posts that echo a spam post held or quarantined minutes before in another thread."""
    if not live:
        return []
    since = min(p.created_at for p in live) - STRAY_WINDOW
    until = max(p.created_at for p in live)
    sources = db.session.execute(
        sa.select(Post.id, Post.thread_id, Post.author_id, Post.created_at, Post.body,
                  sa.case((Post.number == 1, Thread.title), else_=""), Post.state, User.created_at)
        .join(User, User.id == Post.author_id).join(Thread, Thread.id == Post.thread_id)
        .where(Post.created_at >= since, Post.created_at <= until,
               sa.or_(Post.state == ContentState.SPAM.value, Post.id.in_(quarantined_now or {0}),
                      sa.and_(Post.state == ContentState.PENDING.value, Post.spam_score >= hold_threshold)))
        .order_by(Post.created_at)).all()
    sources = [s for s in sources if s[3] - s[7] < timedelta(days=YOUNG_DAYS)]
    if not sources:
        return []
    candidates = [p for p in live if p.id not in quarantined_now and p.state == ContentState.PUBLISHED.value
                  and p.number > 1 and len(judging_text(p.body)) <= SHORT_CHORUS]
    authors = {u.id: u for u in db.session.scalars(
        sa.select(User).where(User.id.in_({p.author_id for p in candidates if p.author_id})))}
    found = []
    for post in candidates:
        author = authors.get(post.author_id)
        if author is None or author.is_host or post.created_at - author.created_at >= timedelta(days=YOUNG_DAYS):
            continue
        own = [s for s in sources if s[2] == author.id and s[3] < post.created_at <= s[3] + STRAY_WINDOW * 3]
        if own:  # the author of a held ad, talking it up elsewhere an hour later
            found.append(Verdict(post, THREAD_POINTS + CHORUS_POINTS,
                                 [_stray_reason(post, own[-1]), f"account-age:{_age_days(post, author)}",
                                  "chorus:same-author"], False))
            continue
        near = [s for s in sources if post.created_at - STRAY_WINDOW <= s[3] < post.created_at
                and s[1] != post.thread_id and s[2] != author.id and abs(s[7] - author.created_at) <= SAME_BATCH]
        if not near:
            continue
        verdict = _stray(post, author, near, now)
        if verdict is not None:
            found.append(verdict)
    return found


def _stray(post: Post, author: User, near: list, now: datetime) -> Verdict | None:
    text = judging_text(post.body)
    if TextSignals.of(post.body).warning or AGAINST_RE.search(text):
        return None
    earlier = db.session.scalar(sa.select(sa.func.count()).select_from(Post).where(
        Post.author_id == author.id, Post.created_at < post.created_at)) or 0
    if earlier >= STRAY_FIRST_POSTS or current_level(author, now) != TrustLevel.NEW:
        return None
    mine = terms(post.body)
    # (not the lines other young accounts wrote there in the last minutes: the chorus's own)
    chorus_since, young_since = post.created_at - STRAY_WINDOW, post.created_at - timedelta(days=YOUNG_DAYS)
    thread_rows = db.session.execute(
        sa.select(Post.body, User.display_name).join(User, User.id == Post.author_id, isouter=True)
        .where(Post.thread_id == post.thread_id, Post.created_at < post.created_at, Post.author_id != author.id,
               sa.not_(sa.and_(Post.number > 1, Post.created_at >= chorus_since, User.created_at >= young_since)))
        .order_by(Post.created_at.desc()).limit(20)).all()
    title = db.session.scalar(sa.select(Thread.title).where(Thread.id == post.thread_id)) or ""
    # what the thread is about: its title, its posts and who wrote them (a member thanks them by name)
    own_thread = mine & terms("\n".join([title, *(f"{body}\n{name or ''}" for body, name in thread_rows)]))
    best, shared = None, set()
    for source in near:
        common = mine & terms(f"{source[5] or ''}\n{source[4]}")
        if len(common) > len(shared):
            best, shared = source, common
    echoes = best is not None and len(shared) >= 2 and len(shared) > len(own_thread)
    # Nothing in common with its own thread, and the words of the chorus: taking up an offer, vouching for it, telling
    # what it paid, asking its terms, or nothing at all.
    chorus_line = not own_thread and bool(
        UPTAKE_RE.search(text) or ENDORSE_RE.search(text) or TESTIMONY_RE.search(text)
        or OFFER_QUESTION_RE.search(text) or says_nothing(text) or TextSignals.of(post.body).pointer_only)
    if not (echoes or chorus_line):
        return None
    best = best or near[-1]
    # held, not quarantined: it is judged by when it was written, not where
    reasons = [_stray_reason(post, best), f"account-age:{_age_days(post, author)}", "chorus:echoes"]
    return Verdict(post, THREAD_POINTS + CHORUS_POINTS, reasons, False)


def _stray_reason(post: Post, source) -> str:
    return f"stray-chorus:{source[0]}:{int((post.created_at - source[3]).total_seconds() // 60)}"


def _age_days(post: Post, author: User) -> int:
    return int(max((post.created_at - author.created_at).total_seconds(), 0) // 86_400)
