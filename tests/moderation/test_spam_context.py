"""Posts judged with their context: replies that go with a spam post in their thread (app.moderation.context), and
posts that only point to a private message or the author's profile (signals.TextSignals.pointer_only)."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.db import utcnow
from app.forum import services as forum
from app.forum.models import Post
from app.moderation.explain import describe_reason
from app.moderation.models import Flag, ReviewItem
from app.moderation.signals import TextSignals
from app.moderation.spam import sweep_spam


def _member(user_factory, db, days: float):
    user = user_factory()
    user.created_at = utcnow() - timedelta(days=days)
    db.session.commit()
    return user


def _opener(db, thread):
    return db.session.scalar(sa.select(Post).where(Post.thread_id == thread.id, Post.number == 1))


def _flag_as_spam(db, post, flaggers) -> None:
    """Members' spam flags, enough for the sweep to quarantine the post."""
    for user in flaggers:
        db.session.add(Flag(post_id=post.id, user_id=user.id, reason="spam", weight=2))
    db.session.commit()


@pytest.fixture
def spam_thread(db, category_factory, user_factory):
    """A soft ad opened by a day-old account (published on write), members' flags to get it quarantined."""
    spammer = _member(user_factory, db, 0.2)
    thread = forum.start_thread(category_factory(), author=spammer, title="换季烂脸救星",
                                body="这款修护面膜我用了两周，痘印淡了很多，姐妹们可以试试")
    db.session.commit()
    _flag_as_spam(db, _opener(db, thread), [_member(user_factory, db, 200) for _ in range(2)])
    return thread


@pytest.mark.parametrize("body", ["已加", "了解一下", "支持姐姐！已加", "求带", "用过楼主的面膜，真的神！",
                                  "joined, thanks", "legit, it works"])
def test_young_accounts_chorus_goes_with_the_quarantined_opener(app, db, spam_thread, user_factory, body):
    shill = _member(user_factory, db, 0.1)
    post = forum.reply(spam_thread, author=shill, body=body)
    db.session.commit()
    sweep_spam(utcnow())
    db.session.commit()
    assert _opener(db, spam_thread).state == "spam"
    assert post.state == "spam", post.spam_reasons
    assert any(r.startswith("reply-to-spam:thread") for r in post.spam_reasons), post.spam_reasons
    assert "account-age:0" in post.spam_reasons and "only-posts-here" in post.spam_reasons
    item = db.session.scalar(sa.select(ReviewItem).where(ReviewItem.post_id == post.id))
    with force_locale("en"):
        words = [describe_reason(r) for r in item.reasons]
    assert "reply to a quarantined thread" in words and "account 0 days old" in words and "only posts here" in words


@pytest.mark.parametrize("body", ["+1", "同问", "求链接", "这是广告吧，举报了", "楼主是托吧，别信",
                                  "这种帖子别信，上次有人被骗了", "这个面膜成分表能发一下吗？我是敏感肌"])
def test_members_questions_and_objections_under_a_spam_opener_stay(app, db, spam_thread, user_factory, body):
    newcomer = _member(user_factory, db, 0.1)
    post = forum.reply(spam_thread, author=newcomer, body=body)
    db.session.commit()
    sweep_spam(utcnow())
    db.session.commit()
    assert _opener(db, spam_thread).state == "spam"
    assert post.state == "published", post.spam_reasons


@pytest.mark.parametrize("days", [45, 400])
def test_old_members_praise_under_a_spam_opener_stays(app, db, spam_thread, user_factory, days):
    member = _member(user_factory, db, days)
    post = forum.reply(spam_thread, author=member, body="用过，真的好用，支持")
    db.session.commit()
    sweep_spam(utcnow())
    db.session.commit()
    assert post.state == "published"


def test_praise_in_a_members_thread_with_a_dropped_ad_stays_but_uptake_goes(app, db, thread_factory, user_factory):
    """Under a spam *reply* in a members' thread, thanks are the members' (to the opener); taking up the ad is not."""
    thread = thread_factory(body="分享一下我的换季护肤流程：洗脸、精华、面霜，大家觉得怎么样")
    ad = forum.reply(thread, author=_member(user_factory, db, 0.1), body="姐妹们想要内部价的滴滴我，比旗舰店便宜")
    db.session.commit()
    _flag_as_spam(db, ad, [_member(user_factory, db, 200) for _ in range(2)])
    thanks = forum.reply(thread, author=_member(user_factory, db, 0.1), body="谢谢楼主分享，很有用")
    uptake = forum.reply(thread, author=_member(user_factory, db, 0.1), body="已私")
    db.session.commit()
    sweep_spam(utcnow())
    db.session.commit()
    assert ad.state == "spam"
    assert thanks.state == "published"
    assert uptake.state in ("spam", "pending")


def test_a_host_approved_reply_is_not_quarantined_again(app, db, spam_thread, user_factory):
    from app.moderation.spam_models import SpamVerdict

    post = forum.reply(spam_thread, author=_member(user_factory, db, 0.1), body="已加")
    db.session.commit()
    verdict = db.session.scalar(sa.select(SpamVerdict).where(SpamVerdict.post_id == post.id))
    verdict.decision = "ham"
    db.session.commit()
    sweep_spam(utcnow())
    db.session.commit()
    assert post.state == "published"


# --- pointers with nothing else said ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["名字就是答案", "第一条动态有写", "👉💬👈", "💌 看私 💌", "已私", "check my bio",
                                  "答案在我名字里", "翻我动态"])
def test_posts_that_only_point_elsewhere_are_recognised(text):
    assert TextSignals.of(text).pointer_only


@pytest.mark.parametrize("text", ["求链接", "同问", "+1", "👍😂", "头像好看", "这个名字是什么意思", "站内私信我就行",
                                  "右上角头像 → 个人设置 → 资料编辑", "关于你说的那个过敏的情况，我之前也有，细节比较长，私信聊吧",
                                  "I can share my full routine spreadsheet, DM me her", "有人私信我让我看他主页，别信"])
def test_ordinary_replies_are_not_pointers(text):
    assert not TextSignals.of(text).pointer_only


def test_a_new_members_pointer_only_reply_is_held_and_a_members_is_not(app, db, thread_factory, user_factory):
    thread = thread_factory()
    held = forum.reply(thread, author=_member(user_factory, db, 0.1), body="👉💬👈")
    kept = forum.reply(thread, author=_member(user_factory, db, 300), body="👉💬👈")
    db.session.commit()
    assert held.state == "pending" and "pointer-only:new-member" in held.spam_reasons
    assert kept.state == "published"


# --- the chorus posted elsewhere --------------------------------------------------------------------------------------

def test_when_the_ad_is_held_on_write_its_chorus_elsewhere_is_held_and_members_are_not(
        app, db, category_factory, user_factory):
    """The ad's thread cannot be replied to once held: the sockpuppets' lines land in another thread minutes later."""
    start = utcnow() - timedelta(hours=1)
    category = category_factory()
    member = _member(user_factory, db, 300)
    members_thread = forum.start_thread(category, author=member, title="防晒搓泥怎么办",
                                        body="防晒叠面霜总是搓泥，大家有什么办法", now=start)
    spammer = _member(user_factory, db, 0)
    spammer.created_at = start
    ad = forum.start_thread(category, author=spammer, title="在家兼职日结",
                            body="手机兼职刷单日结，一单5元，加微信 job12345 了解", now=start + timedelta(minutes=2))
    db.session.commit()
    assert _opener(db, ad).state == "pending"

    def young(minutes: int):
        user = _member(user_factory, db, 0)
        user.created_at = start + timedelta(minutes=minutes - 3)
        db.session.commit()
        return user

    testimony = forum.reply(members_thread, author=young(4), body="做了三天了，昨天提了200，到账很快",
                            now=start + timedelta(minutes=4))
    question = forum.reply(members_thread, author=young(6), body="请问学费多少钱", now=start + timedelta(minutes=6))
    on_topic = forum.reply(members_thread, author=young(8), body="搓泥我也遇到过，防晒少涂一点再叠就好",
                           now=start + timedelta(minutes=8))
    old_member = forum.reply(members_thread, author=_member(user_factory, db, 400), body="昨天提了200，到账很快",
                             now=start + timedelta(minutes=9))
    db.session.commit()
    sweep_spam(utcnow())
    db.session.commit()
    assert testimony.state == "pending" and question.state == "pending"
    assert any(r.startswith("stray-chorus:") for r in testimony.spam_reasons)
    assert on_topic.state == "published" and old_member.state == "published"
    with force_locale("en"):
        words = [describe_reason(r) for r in testimony.spam_reasons]
    assert any("minutes after a spam post held elsewhere" in w for w in words)


def test_a_warning_is_not_held_on_the_classifiers_word_alone(app, db, thread_factory, user_factory):
    thread = thread_factory()
    post = forum.reply(thread, author=_member(user_factory, db, 300),
                       body="关注公众号领红包，后面就是拉你进群刷单了，别去")
    db.session.commit()
    assert post.state == "published", post.spam_reasons
