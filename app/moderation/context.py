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
``strays`` holds (never quarantines) a young account's first posts written minutes after such a post by another new
account, when they echo the held post's words, or share nothing with their own thread and read as the chorus (taking
up, vouching, telling what it paid, asking its terms), or — from an account a few days old, after spam beyond doubt —
say something that has nothing to do with their thread and tell what a service did for them or give a lone code word
(see the notes above ``strays``). Timing alone holds nothing: each such post has a sign of the chorus in its words.

A held post carries its author's other posts along ("the spam post's own author") only when it is spam beyond doubt
(``confident_spam``: quarantined, or held with a strong sign, not only a contact phrase or a DM nudge) and the author
is young (``may_cascade``): a member's one short reply held by mistake does not hold their warnings after it. And a
member answering a host ("好的已私信，谢谢" after a host asked for the order by private message) is no DM bait
(``acknowledges_dm``, ``answers_host``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.db import ContentState
from app.extensions import db
from app.forum.models import Post, Thread
from app.members.mentions import find_mentions
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


# Reasons that say a held post is an ad, not a member's words caught by a weak rule: contact details, links, copies,
# blocked words, what other members or the author's record say, a lure family other than a nudge to read a private
# message. A held post with none of them ("已私信，谢谢": a contact phrase, a DM nudge and the classifier) may be a
# member's; nothing is held because its author wrote it.
STRONG_REASONS = {"wechat-id", "qq-id", "phone", "email", "handle", "spaced-id", "disguised-number", "links",
                  "link-farm", "short-link", "spelled-link", "first-link", "contact-in-first-posts", "blocked-word",
                  "near-duplicate", "repeated-text", "burst", "author-has-confirmed-spam", "author-spamming-now",
                  "flag-weight"}
WEAK_LURES = {"dm-bait"}


def confident_spam(quarantined: bool, reasons: list[str] | None, classifier_flagged: bool | None) -> bool:
    """Whether a quarantined or held post is spam beyond doubt: quarantined, held by the classifier's word alone, or
    held with a strong reason (STRONG_REASONS, or a lure family other than WEAK_LURES)."""
    if quarantined or classifier_flagged:
        return True
    for reason in reasons or []:
        name, _colon, rest = str(reason).partition(":")
        if name in STRONG_REASONS or name.startswith("same-text-from-"):
            return True
        if name == "lure" and set(rest.split(",")) - WEAK_LURES:
            return True
    return False


def may_cascade(author: User, age_days: float, now: datetime) -> bool:
    """Whether an author's other posts may be held with their spam: only a young or new account (never a member a
    month old or one the hosts trust, whose one held post may be the filter's mistake)."""
    level = current_level(author, now)
    if level >= TrustLevel.MEMBER or age_days >= LOW_TRUST_DAYS:
        return False
    return age_days < YOUNG_DAYS or level == TrustLevel.NEW


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
    confident: bool = True  # quarantined, or held with strong evidence (``confident_spam``)


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
        sa.select(Post.id, Post.thread_id, Post.number, Post.created_at, Post.state, User.created_at, Post.author_id,
                  Post.spam_reasons, SpamVerdict.classifier_flagged)
        .join(User, User.id == Post.author_id, isouter=True)
        .join(SpamVerdict, SpamVerdict.post_id == Post.id, isouter=True)
        .where(Post.thread_id.in_(thread_ids),
               sa.or_(Post.state == ContentState.SPAM.value, Post.id.in_(quarantined_now or {0}),
                      sa.and_(Post.state == ContentState.PENDING.value, Post.spam_score >= hold_threshold)))
        .order_by(Post.created_at, Post.id)).all()
    found: dict[int, list[Anchor]] = {}
    for post_id, thread_id, number, created_at, state, author_created, author_id, reasons, flagged in rows:
        quarantined = state == ContentState.SPAM.value or post_id in quarantined_now
        found.setdefault(thread_id, []).append(Anchor(post_id, thread_id, number == 1, created_at, author_created,
                                                      author_id, quarantined,
                                                      confident_spam(quarantined, reasons, flagged)))
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
    if own is not None and not (own.confident and may_cascade(author, age, now)):
        # a member's own post held by a weak rule, or an established member's: their next posts are judged as anyone's
        before = [a for a in before if a.author_id != author.id]
        own = None
        if not before:
            return None
    if own is None and db.session.scalar(sa.select(Thread.author_id).where(Thread.id == post.thread_id)) == author.id:
        return None  # the thread's own opener answering in it (thanking, or telling how a spam reply went) is no chorus
    if own is not None:  # the spam post's author talking up their own ad
        return Verdict(post, THREAD_POINTS + CHORUS_POINTS,
                       [_anchor_reason(own), f"account-age:{int(age)}", "chorus:same-author"], own.quarantined)
    if age >= LOW_TRUST_DAYS or current_level(author, now) >= TrustLevel.MEMBER:
        return None
    if age >= YOUNG_DAYS and not (only_here and current_level(author, now) == TrustLevel.NEW):
        return None
    signals = TextSignals.of(post.body)
    text = judging_text(post.body)
    if signals.warning or AGAINST_RE.search(text) or (acknowledges_dm(text) and answers_host(post)):
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
# is open, minutes after it. They are about the ad, not about the thread they are in. A young account's first posts
# written within STRAY_WINDOW after a spam post held or quarantined elsewhere (by another young account) go with it
# (held, never quarantined: they are judged by when they were written, not where) when:
#   - they echo the held post's words more than their own thread's, or read as its chorus (taking up, vouching, telling
#     what it paid, asking its terms, nothing said) while sharing nothing with their own thread; or
#   - the account is at most OFF_TOPIC_DAYS old, the held post was spam beyond doubt, the post says something
#     (words beyond a reaction such as "收藏了", "蹲", "thanks for sharing") that has nothing to do with its thread (no
#     word in common with its title or posts, no thread participant addressed (@name, "楼主", "you"), no pointing at
#     the thread's product ("这款", "this"), no greeting of a newcomer ("新人报到", "hi all")), and the post itself
#     reads as the chorus (``_chorus_sign``): it tells what a service did for the writer ("已验证，挺快的", "收到货了，
#     和专柜一模一样", "Entered!! Fingers crossed"), or it is a lone code word ("white", "面霜"). Being off-topic minutes
#     after an ad is timing, not evidence: a newcomer's "好的，那我还是去旗舰店买" in a thread of warnings stays.
# And the held post's own author's posts elsewhere in the hour after it, when it was spam beyond doubt and the author
# is young (``may_cascade``).
STRAY_WINDOW = timedelta(minutes=25)
OWN_WINDOW = timedelta(hours=1)
STRAY_FIRST_POSTS = 3
OFF_TOPIC_DAYS = 3
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_LATIN = re.compile(r"[a-z]{4,}")
_COMMON = {"姐妹", "谢谢", "真的", "一个", "我们", "你们", "大家", "可以", "这个", "就是", "没有", "什么", "还是", "已经",
           "现在", "自己", "楼主", "有没", "不是", "知道", "觉得", "妹们", "新人", "请问", "多少", "个月", "官网", "that", "this",
           "with", "have", "just", "your", "thanks", "from", "what", "they", "will", "been", "were", "there", "here"}
# A reaction to whatever the thread says, with no subject of its own: thanks for sharing, saved, following, me too.
REACTION_RE = re.compile(
    r"谢谢分享|感谢分享|谢谢|感谢|收藏了?|码住|马住|插眼|学到了|学习了|涨知识了?|蹲(?:一个|一下|后续|答案|更新)?|同问|同求|"
    r"好文|干货|好有用|太有用了?|有用|厉害|赞同|同意|说得对|太对了|我也(?:是|一样|想知道)|哈+|好的|收到|加油|"
    r"路过|围观|好看|好美|好可爱|羡慕|心动|种草|拔草|顶+|哇+|嘿嘿|嘻嘻|呜呜|"
    r"(?<![a-z])(?:thank(?:s| you)(?: for sharing)?|so helpful|very helpful|helpful|saved|bookmarked|following|"
    r"same(?: (?:[a-z]+ )?(?:here|problem|issue|question|boat))?|me too|agree[ds]?|great post|love this|good to know|"
    r"good luck|nice|cool|wow|mood|facts|bump|lol|lmao|omg|yes+|yep|true|congrats|welcome|ty|thx|noted|"
    r"interesting|beautiful|gorgeous|lovely|cute|awesome|great|perfect)(?![a-z])")
# Pointing at the thread or the person it answers: the product in it, its author, the one above, "you".
ADDRESSES_THREAD_RE = re.compile(
    r"这(?:个|款|支|瓶|罐|套|种|篇|帖|家|些|样)|那(?:个|款|支|瓶)|楼主|楼上|层主|你(?:用|说|的|这|是|家|也|们)|您|"
    r"(?<![a-z])(?:lz|op|this|these|those|that one|yours?|you(?:'re|'ve)?)(?![a-z])")
_THANK_YOU = re.compile(r"(?<![a-z])thank (?:you|u)(?![a-z])")
# A newcomer saying hello ("新人报到", "hi all, new here").
# ... or telling about themselves, as the welcome thread asks ("坐标杭州，混干皮，28岁", "combo skin, based in Vancouver"),
# or talking about the community and how to use the site ("第一次来，大家都好专业", "请问怎么改头像").
GREETING_RE = re.compile(r"新人|新手|报到|报道|大家好|请多关照|多多关照|初来乍到|刚注册|刚加入|刚激活|新来的?|第一次(?:发帖|来)|"
                         r"坐标|\d+\s*岁|学生党|宝妈|(?:油|干|混油|混干|中性|敏感|痘|油痘|敏)(?:皮|肌)|来学习|默默学习|逛逛|潜水|"
                         r"大家都|各位|社区|论坛|版块|板块|发帖|头像|昵称|积分|等级|"
                         r"(?<![a-z])(?:hi|hello|hey) (?:all|everyone|everybody|guys|there|from)|new here|just joined|"
                         r"nice to meet|introduc|based in|(?:oily|dry|combo|combination|sensitive|acne[- ]prone) skin|"
                         r"first (?:time|post)|lurk|this (?:community|forum|site)|everyone here|how do i (?:change|edit|"
                         r"upload|post|set)")


def terms(text: str) -> set[str]:
    """Character pairs of the Chinese and the longer Latin words: what two texts can share."""
    judged = judging_text(text)
    found = set(_LATIN.findall(judged))
    for run in _CJK_RUN.findall(judged):
        found |= {run[i:i + 2] for i in range(len(run) - 1)}
    return found - _COMMON


@dataclass(frozen=True)
class Source:
    """A spam post held or quarantined in the window, that posts elsewhere after it may go with."""

    post_id: int
    thread_id: int
    author_id: int
    created_at: datetime
    words: str          # its title (an opener's) and body
    author_created: datetime
    confident: bool


def strays(live: list[Post], quarantined_now: set[int], *, hold_threshold: float, now: datetime) -> list[Verdict]:
    """Young accounts' first posts that go with a spam post held or quarantined minutes before in another thread."""
    if not live:
        return []
    since = min(p.created_at for p in live) - OWN_WINDOW
    until = max(p.created_at for p in live)
    rows = db.session.execute(
        sa.select(Post.id, Post.thread_id, Post.author_id, Post.created_at, Post.body,
                  sa.case((Post.number == 1, Thread.title), else_=""), Post.state, User.created_at, Post.spam_reasons,
                  SpamVerdict.classifier_flagged)
        .join(User, User.id == Post.author_id).join(Thread, Thread.id == Post.thread_id)
        .join(SpamVerdict, SpamVerdict.post_id == Post.id, isouter=True)
        .where(Post.created_at >= since, Post.created_at <= until,
               sa.or_(Post.state == ContentState.SPAM.value, Post.id.in_(quarantined_now or {0}),
                      sa.and_(Post.state == ContentState.PENDING.value, Post.spam_score >= hold_threshold)))
        .order_by(Post.created_at)).all()
    sources = [Source(post_id, thread_id, author_id, created_at, f"{title or ''}\n{body}", author_created,
                      confident_spam(state == ContentState.SPAM.value or post_id in quarantined_now, reasons, flagged))
               for post_id, thread_id, author_id, created_at, body, title, state, author_created, reasons, flagged
               in rows if created_at - author_created < timedelta(days=YOUNG_DAYS)]
    if not sources:
        return []
    candidates = [p for p in live if p.id not in quarantined_now and p.state == ContentState.PUBLISHED.value
                  and p.number > 1 and len(judging_text(p.body)) <= SHORT_CHORUS]
    authors = {u.id: u for u in db.session.scalars(
        sa.select(User).where(User.id.in_({p.author_id for p in candidates if p.author_id})))}
    found = []
    for post in candidates:
        author = authors.get(post.author_id)
        if author is None or author.is_host:
            continue
        age = max((post.created_at - author.created_at).total_seconds() / 86_400, 0)
        if age >= YOUNG_DAYS:
            continue
        own = [s for s in sources if s.author_id == author.id and s.created_at < post.created_at <= s.created_at
               + OWN_WINDOW and s.confident]
        if own and may_cascade(author, age, now):  # the author of a held ad, talking it up elsewhere an hour later
            found.append(Verdict(post, THREAD_POINTS + CHORUS_POINTS,
                                 [_stray_reason(post, own[-1]), f"account-age:{int(age)}", "chorus:same-author"],
                                 False))
            continue
        near = [s for s in sources if post.created_at - STRAY_WINDOW <= s.created_at < post.created_at
                and s.thread_id != post.thread_id and s.author_id != author.id]
        if not near:
            continue
        verdict = _stray(post, author, near, age, now)
        if verdict is not None:
            found.append(verdict)
    return found


def _stray(post: Post, author: User, near: list[Source], age: float, now: datetime) -> Verdict | None:
    text = judging_text(post.body)
    signals = TextSignals.of(post.body)
    if signals.warning or AGAINST_RE.search(text):
        return None
    earlier = db.session.scalar(sa.select(sa.func.count()).select_from(Post).where(
        Post.author_id == author.id, Post.created_at < post.created_at)) or 0
    if earlier >= STRAY_FIRST_POSTS or current_level(author, now) != TrustLevel.NEW:
        return None
    if acknowledges_dm(text) and answers_host(post):
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
        common = mine & terms(source.words)
        if len(common) > len(shared):
            best, shared = source, common
    # the held post's words (two or more, or all the post says: the code word it asked for), more than the thread's
    echoes = best is not None and (len(shared) >= 2 or shared == mine) and len(shared) > len(own_thread)
    # Nothing in common with its own thread, and the words of the chorus: taking up an offer, vouching for it, telling
    # what it paid, asking its terms, or nothing at all.
    # ("收藏了，谢谢分享" thanks whatever thread it is in: a reaction and nothing else vouches for nothing)
    reaction_only = not terms(REACTION_RE.sub(" ", text))
    chorus_line = not own_thread and bool(
        UPTAKE_RE.search(text) or says_nothing(text) or signals.pointer_only
        or (not reaction_only and (ENDORSE_RE.search(text) or TESTIMONY_RE.search(text)
                                   or OFFER_QUESTION_RE.search(text))))
    sure = [s for s in near if s.confident]
    # Off-topic minutes after an ad is timing, not evidence: the post itself must read as the chorus too.
    sign = None
    if not (echoes or chorus_line) and age <= OFF_TOPIC_DAYS and sure and not own_thread:
        sign = _chorus_sign(text)
        if sign and not _says_something_else(post, text, [name for _body, name in thread_rows]):
            sign = None
    if not (echoes or chorus_line or sign):
        return None
    best = best or (sure or near)[-1]
    reasons = [_stray_reason(post, best), f"account-age:{int(age)}"]
    reasons += [f"chorus-sign:{sign}", "chorus:off-topic"] if sign else ["chorus:echoes"]
    return Verdict(post, THREAD_POINTS + CHORUS_POINTS, reasons, False)


# What a customer of the offer tells: what it did for them (received, verified, paid out, lent, won, entered, as good as
# the counter's, fast). Members' own news is about their skin and their thread; this is about a service's result.
OUTCOME_RE = re.compile(
    r"验证|到账|提现|下款|放款|批下来|收到货|收到了|领到|兑换|中奖|(?<![抽选])中了|赢了|赚了|回本|返现|返了|"
    r"(?:借|贷|赢|赚|提|返|领|下|拿)了\s*[一两二三四五六七八九十百千万\d]+\s*(?:块|元|万|千|百|w|k|个点)?|"
    r"(?:确实|真的|挺|很|超|蛮|贼)(?:快|稳|准|靠谱|划算|便宜)|一模一样|和专柜|假一赔|正品无疑|"
    r"(?<![a-z])(?:redeemed|claimed|entered|won|received (?:it|mine|my|the)|approved|paid out|cashed out|legit|"
    r"got (?:paid|mine|it|my|approved|the money)|fingers crossed|it works|worked for me|real deal)(?![a-z])")
# A lone word and nothing else ("white", "面霜"): the code word an ad asks its chorus to comment (a member's one-word
# reaction, "路过", "same", "nice", is a reaction: REACTION_RE).
_LONE_WORD = re.compile(r"[a-z]+|[\u3400-\u4dbf\u4e00-\u9fff]{2,4}")


def _chorus_sign(judged: str) -> str | None:
    """What in a post, beyond when it was written, reads as the chorus of an ad: it tells what an offer did for the
    writer ("outcome"), or it is a lone word with nothing said ("code-word")."""
    if OUTCOME_RE.search(judged):
        return "outcome"
    words = re.sub(r"[\W_]+", " ", judged).split()
    if len(words) == 1 and _LONE_WORD.fullmatch(words[0]) and not REACTION_RE.search(judged):
        return "code-word"
    return None


QUESTION_RE = re.compile(r"[?？]\s*$|吗\s*$|^(?:请问|问下|问一下)|^(?:how|what|where|when|which|is|are|does|do|can|anyone)\b")


def _says_something_else(post: Post, text: str, names: list[str | None]) -> bool:
    """The post says something of its own (more than a reaction) and neither greets, nor addresses anyone in the
    thread, nor points at what the thread is about."""
    if GREETING_RE.search(text) or ADDRESSES_THREAD_RE.search(_THANK_YOU.sub(" ", text)):
        return False
    if QUESTION_RE.search(text):  # a newcomer's own question ("学生有优惠吗？") asks; a chorus vouches or gives a code
        return False
    if any(name and len(name) >= 2 and name.casefold() in text for name in names):
        return False
    if "@" in post.body and find_mentions(post.body):
        return False
    return bool(terms(REACTION_RE.sub(" ", text)))


def _stray_reason(post: Post, source: Source) -> str:
    return f"stray-chorus:{source.post_id}:{int((post.created_at - source.created_at).total_seconds() // 60)}"


# --- a member answering a host ----------------------------------------------------------------------------------------
# A host asks a member to send the order number or photos by private message; the member answers "好的已私信，谢谢".
# Said to a host, a short "I've messaged you" is no nudge to read a private message and no pointer elsewhere.
DM_ACK_RE = re.compile(
    r"(?:已经?|刚刚?|也)?(?:私信|私聊|私)(?:你|您|给你|给您)?(?:了|啦|过了)|已经?私(?:信|聊)?(?:你|您)?|"
    r"(?:发|回)了?(?:你|您)?(?:私信|站内信)|私信(?:已|发过去|给你|给您|发你|发您)|"
    r"(?<![a-z])(?:dm'?e?d|pm'?e?d|messaged|inboxed)(?: (?:you|u))?(?![a-z])|"
    r"(?<![a-z])(?:sent|dropped) (?:you |u )?(?:a )?(?:dm|pm|message)(?![a-z])|(?<![a-z])(?:dm|pm|message) sent(?![a-z])")
# ... but an invitation to message the writer is one whoever it answers.
_INVITES = re.compile(r"私信我|私我|私聊我|找我|加我|联系我|滴滴|(?<![a-z])(?:dm|message|pm|text) me(?![a-z])")
DM_ACK_MAX = 40  # characters: an acknowledgement is short


def acknowledges_dm(judged: str) -> bool:
    """A short "I've messaged you" ("好的已私信，谢谢", "DM sent, thanks") and no invitation to message the writer."""
    return len(judged) <= DM_ACK_MAX and bool(DM_ACK_RE.search(judged)) and not _INVITES.search(judged)


def answers_host(post: Post) -> bool:
    """Whether a reply answers a host: the post before it in the thread (the last one published by someone else) is a
    host's, or it quotes or @mentions a host."""
    if (post.number or 0) <= 1:
        return False
    if post.quoted_post_id:
        quoted = db.session.get(Post, post.quoted_post_id)
        quoted_author = db.session.get(User, quoted.author_id) if quoted and quoted.author_id else None
        if quoted_author is not None and quoted_author.is_host:
            return True
    if "@" in (post.body or "") and any(m.user.is_host for m in find_mentions(post.body)):
        return True
    previous = db.session.scalar(
        sa.select(User).join(Post, Post.author_id == User.id)
        .where(Post.thread_id == post.thread_id, Post.number < post.number, Post.id != post.id,
               Post.state == ContentState.PUBLISHED.value, Post.author_id != post.author_id)
        .order_by(Post.number.desc()).limit(1))
    return previous is not None and previous.is_host
