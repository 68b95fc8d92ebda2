"""Families found by blind corpora, each with the ham beside it (examples written here, not taken from any corpus):
a private channel denied, a member's own public account, a new member's link to a big forum, a newcomer's line after
a held ad elsewhere with no sign of the chorus in it, an id written in pieces after a weak WeChat word, leetspeak,
counterfeit jargon, a member who blocked a spammer, the name a reply addresses, and a post that only points at a
picture."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.forum import services as forum
from app.forum.models import Post
from app.moderation.classifier import Behaviour
from app.moderation.explain import describe_reason
from app.moderation.signals import TextSignals
from app.moderation.spam import behaviour_points
from app.text.normalise import judging_text
from tests.moderation.test_spam_followers import _sweep, _user, _young, after_held_ad  # noqa: F401 (fixture)


@pytest.fixture
def members_thread(db, thread_factory, user_factory):
    return thread_factory(author=_user(user_factory, db, days=400), title="大家换季都怎么调整护肤",
                          body="最近降温脸开始起皮，想听听大家换季的经验")


# --- a private channel denied ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["已经在官网下单了，不用再私信我啦", "别私我了，我不换了", "无需联系我，问题解决了",
                                  "No need to DM me, I found it in store", "please don't message me about it"])
def test_a_denied_private_channel_points_nowhere_and_invites_nothing(text):
    signals = TextSignals.of(text)
    assert not signals.pointer and not signals.pointer_only and not signals.contact_phrase, text


@pytest.mark.parametrize("text", ["想要的私我", "要小样的姐妹私信我", "DM me for the price"])
def test_an_offered_private_channel_still_points_there(text):
    signals = TextSignals.of(text)
    assert signals.pointer or signals.contact_phrase


@pytest.mark.parametrize("body", ["买到了，不用私我了，谢谢大家", "不用私信我了哈，谢谢", "别私我啦"])
def test_a_new_members_denied_private_channel_is_published_and_an_invitation_held(app, db, members_thread,
                                                                                   user_factory, body):
    """Neither the rules nor the classifier read the denied channel as an offer (a brand-new account's short line)."""
    kept = forum.reply(members_thread, author=_user(user_factory, db, days=0), body=body)
    held = forum.reply(members_thread, author=_user(user_factory, db, days=0.2), body="有需要的私我")
    db.session.commit()
    assert kept.state == "published", kept.spam_reasons
    assert held.state == "pending"


# --- a member's own public account ----------------------------------------------------------------------------------

@pytest.mark.parametrize("body", ["我把三个月的烂脸恢复过程都记在小红书了，小红书号：maomao_skin2021，按时间顺序看就行",
                                  "我微博 @豆豆的空瓶记 上每个月都有空瓶总结，写得比较啰嗦",
                                  "I post my shelfie updates on instagram: @dewy.diaries.88, nothing fancy"])
def test_a_member_naming_their_own_public_account_plainly_is_published(app, db, members_thread, user_factory, body):
    member = _user(user_factory, db, days=200)
    post = forum.reply(members_thread, author=member, body=body)
    db.session.commit()
    _sweep(db)
    assert post.state == "published", post.spam_reasons
    assert TextSignals.of(body).plain_public_account


@pytest.mark.parametrize("body", ["小红书号：glow_fuli2024，关注私信领正装小样", "更多干货看我微博 @美丽研究所 每周抽奖",
                                  "看图 小红书号：qianqian_8899", "follow me on ig @glowdeals.shop for discount codes"])
def test_a_public_account_with_a_pitch_is_not_plain(body):
    signals = TextSignals.of(body)
    assert signals.contact_ids and not signals.plain_public_account


def test_a_new_accounts_public_account_in_its_first_post_still_waits(app, db, members_thread, user_factory):
    post = forum.reply(members_thread, author=_user(user_factory, db, days=0.1),
                       body="我在小红书也记了换季的护肤，小红书号：xiaomi_skin520")
    db.session.commit()
    assert post.state == "pending" and "contact-in-first-posts:new-member" in post.spam_reasons


def test_a_messenger_is_never_a_public_account():
    assert not TextSignals.of("我的 telegram: @skin_helper88，平时在上面聊护肤").plain_public_account


# --- a new member's link to a big forum ------------------------------------------------------------------------------

def test_a_new_members_first_link_to_a_big_forum_is_published_and_to_an_unknown_site_held(app, db, members_thread,
                                                                                         user_factory):
    forum_link = forum.reply(members_thread, author=_user(user_factory, db, days=0.1),
                             body="这个讨论串讲换季屏障讲得很细 https://www.reddit.com/r/SkincareAddiction/comments/x1/")
    video = forum.reply(members_thread, author=_user(user_factory, db, days=0.1),
                        body="up主这期讲得清楚 https://b23.tv/aBc123")
    shop = forum.reply(members_thread, author=_user(user_factory, db, days=0.1),
                       body="我一直在这家买 https://glow-cheap-store.shop/cream")
    db.session.commit()
    assert forum_link.state == "published", forum_link.spam_reasons
    assert video.state == "published", video.spam_reasons
    assert shop.state == "pending" and "first-link:new-member" in shop.spam_reasons


# --- a newcomer's line after a held ad elsewhere: timing alone holds nothing ----------------------------------------

@pytest.mark.parametrize("body", ["好的，那我还是去旗舰店买吧", "明白了，以后只在官方渠道下单", "OK, I'll just order from the brand site",
                                  "懂了，下次注意"])
def test_a_newcomers_reply_after_a_held_ad_with_no_chorus_sign_is_kept(
        app, db, after_held_ad, user_factory, body):  # noqa: F811
    thread, start, _category = after_held_ad
    post = forum.reply(thread, author=_young(user_factory, db, start, 6), body=body, now=start + timedelta(minutes=6))
    db.session.commit()
    _sweep(db)
    assert post.state == "published", post.spam_reasons


def test_an_off_topic_line_held_after_an_ad_names_its_own_sign(app, db, after_held_ad, user_factory):  # noqa: F811
    thread, start, _category = after_held_ad
    post = forum.reply(thread, author=_young(user_factory, db, start, 6), body="周末收到货了，跟柜台的一模一样",
                       now=start + timedelta(minutes=6))
    db.session.commit()
    _sweep(db)
    assert post.state == "pending" and "chorus-sign:outcome" in post.spam_reasons, post.spam_reasons
    with force_locale("en"):
        assert describe_reason("chorus-sign:outcome").startswith("tells what a service did for them")


# --- an id in pieces after a weak WeChat word; leetspeak; counterfeit jargon -----------------------------------------

@pytest.mark.parametrize("text", ["专柜货低价出，威 77-31-20", "面霜一瓶二十九，薇：mimi 5 2 0 1", "要的加 V 1 3 5 7 2 4"])
def test_an_id_in_pieces_after_a_weak_wechat_word_is_a_contact_detail(text):
    assert TextSignals.of(text).contact_ids, judging_text(text)


@pytest.mark.parametrize("text", ["薇诺娜 2024 新款的舒敏霜我在用", "维生素c 100000 单位？没有这么高的吧", "V领毛衣配这个口红好看"])
def test_weak_wechat_words_in_ordinary_talk_are_no_contact_detail(text):
    assert not TextSignals.of(text).contact_ids, judging_text(text)


def test_leetspeak_is_read_as_words():
    signals = TextSignals.of("ch3ap r0lex w4tches, fr33 sh1pping, v1sit w4tch-d3al dot c0m")
    assert "cheap" in signals.text and "free shipping" in signals.text
    assert "watch-deal.com" in signals.domains


@pytest.mark.parametrize("text", ["I use spf50 and vc15 at 5am", "b5精华和a醇别同一晚用", "ps5和mp3都不是护肤品"])
def test_product_codes_are_not_leetspeak(text):
    assert judging_text(text) == text.lower()


def test_counterfeit_jargon_is_a_lure():
    assert "counterfeit" in TextSignals.of("同厂同料，跟专柜的一样，价格只要三分之一").lures


# --- a member who blocked a spammer; the name a reply addresses; a post that only points at a picture ----------------

def test_a_member_who_blocked_a_spammer_is_warning_not_offering():
    signals = TextSignals.of("刚才有个号私信我说有内部货，我已经拉黑了")
    assert signals.warning and not signals.lures


def test_the_name_a_reply_addresses_is_no_evidence_for_the_classifier():
    member = Behaviour(age_days=300, trust_level=1)
    addressed = behaviour_points(0.98, judging_text("@小团子酱 照片在相册里"), member)
    assert addressed == behaviour_points(0.98, judging_text("照片在相册里"), member)


@pytest.mark.parametrize("text", ["【图】", "[图片] [图片] 看图", "see pic"])
def test_a_post_that_only_points_at_a_picture_is_pointer_only(text):
    assert TextSignals.of(text).pointer_only


@pytest.mark.parametrize("text", ["[图] 今天的空瓶", "如图，右脸这块一直泛红，是不是屏障坏了"])
def test_a_picture_with_words_about_it_is_not_pointer_only(text):
    assert not TextSignals.of(text).pointer_only


def test_a_new_members_picture_placeholder_alone_waits_and_a_members_is_kept(app, db, members_thread, user_factory):
    held = forum.reply(members_thread, author=_user(user_factory, db, days=0.5), body="[图片]")
    kept = forum.reply(members_thread, author=_user(user_factory, db, days=300), body="[图片]")
    db.session.commit()
    assert held.state == "pending" and "pointer-only:new-member" in held.spam_reasons
    assert kept.state == "published"


@pytest.mark.parametrize("number", [1, 99, 1369, 13690, 1234567])
def test_a_member_asking_a_host_whose_name_ends_in_a_number_is_published(app, db, user_factory, category_factory,
                                                                           number):
    """"@Moderator 1369 help": the number is the host's name, not a QQ-style number of the writer's."""
    host = user_factory(display_name=f"Moderator {number}", role="moderator")
    member = user_factory(display_name="Asking member")
    thread = forum.start_thread(category_factory(name="Ask the hosts"), author=member, title="Both kinds",
                                body=f"@{host.display_name} help")
    db.session.commit()
    opening = db.session.scalar(sa.select(Post).where(Post.thread_id == thread.id))
    assert thread.state == "published" and opening.state == "published", opening.spam_reasons


@pytest.mark.parametrize("name", ["Lily Wang 2024", "小鹿 1995 0312", "Emily Chen 88", "Anna 0312 Li", "Mia_1314 521",
                                  "薇薇 1990", "Lucky V 88", "QQ糖 2002", "威威 1314", "Chloe 小红书 520"])
@pytest.mark.parametrize("days", [0.5, 300])
def test_a_reply_addressing_a_member_whose_name_holds_spaces_and_numbers_is_published(app, db, members_thread,
                                                                                       user_factory, name, days):
    """The members a reply @mentions are taken out whole before it is judged, however their names are spelled: a name
    is no contact detail of the writer's."""
    user_factory(display_name=name)
    reply = forum.reply(members_thread, author=_user(user_factory, db, days=days),
                        body=f"@{name} 我也是这样，换了洗面奶以后好多了")
    db.session.commit()
    assert reply.state == "published", reply.spam_reasons


@pytest.mark.parametrize(("name", "body"), [("Lily Wang", "@Lily Wang 加我V：meiyan8866 有便宜正品"),
                                            ("加V meiyan8866", "@加V meiyan8866 便宜正品看这里"),
                                            ("Tom 13800138000", "@Tom 13800138000 有货")])
def test_a_contact_detail_beside_or_inside_a_real_mention_still_waits(app, db, members_thread, user_factory, name,
                                                                      body):
    """A name is taken out only when it is no contact detail itself: an account named for a WeChat id or a phone number
    mentioned by a new member is the id posted again."""
    user_factory(display_name=name)
    reply = forum.reply(members_thread, author=_user(user_factory, db, days=0.5), body=body)
    db.session.commit()
    assert reply.state == "pending"
