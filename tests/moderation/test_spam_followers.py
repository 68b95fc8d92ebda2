"""What goes with a held post and what does not (app.moderation.context): the held post's author's next posts only
when it was spam beyond doubt and the author is young; a member's "I've messaged you" to a host; and the off-topic
lines young accounts post elsewhere minutes after a held ad, beside new members who talk about their own thread."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.db import utcnow
from app.forum import services as forum
from app.forum.models import Post
from app.moderation.context import confident_spam
from app.moderation.explain import describe_reason
from app.moderation.spam import sweep_spam
from tests.moderation.test_spam_corpus import corpus_community  # noqa: F401 (the corpus harness's community)


def _user(user_factory, db, *, days: float, at=None, role: str = "member"):
    user = user_factory(role=role)
    user.created_at = (at or utcnow()) - timedelta(days=days)
    db.session.commit()
    return user


def _opener(db, thread):
    return db.session.scalar(sa.select(Post).where(Post.thread_id == thread.id, Post.number == 1))


def _sweep(db):
    sweep_spam(utcnow())
    db.session.commit()


# --- 1. the same author's next posts --------------------------------------------------------------------------------

@pytest.mark.parametrize("days", [760, 95])
def test_an_established_members_weakly_held_reply_does_not_hold_their_next_posts(app, db, category_factory,
                                                                                user_factory, days):
    """A member's short "已私信你了，谢谢" is held (a DM nudge and a contact phrase); their warnings after it are not
    "the spam post's own author"."""
    start = utcnow() - timedelta(hours=1)
    category = category_factory()
    seller = _user(user_factory, db, days=300, at=start)
    thread = forum.start_thread(category, author=seller, title="闲置一瓶修护面霜，站内出",
                                body="买多了一瓶，全新未拆，原价转，有需要的留言", now=start)
    member = _user(user_factory, db, days=days, at=start)
    held = forum.reply(thread, author=member, body="已私信你了，谢谢", now=start + timedelta(minutes=2))
    db.session.commit()
    assert held.state == "pending", held.spam_reasons
    spammer = _user(user_factory, db, days=0.01, at=start)
    ad = forum.reply(thread, author=spammer, body="要面霜的姐妹别等了，我这有内部价，比旗舰店便宜一半，滴滴我",
                     now=start + timedelta(minutes=5))
    warnings = [forum.reply(thread, author=member, body=body, now=start + timedelta(minutes=minutes))
                for minutes, body in ((8, "楼上那个内部价是骗人的，大家别加"), (12, "上次有人就是这样被骗的，千万别信"))]
    db.session.commit()
    _sweep(db)
    assert ad.state in ("pending", "spam")
    for post in warnings:
        assert post.state == "published", post.spam_reasons
        assert "chorus:same-author" not in (post.spam_reasons or [])


def test_a_young_spammers_next_posts_still_go_with_their_held_ad(app, db, category_factory, user_factory):
    start = utcnow() - timedelta(hours=1)
    category = category_factory()
    members_thread = forum.start_thread(category, author=_user(user_factory, db, days=300, at=start),
                                        title="敏感肌换季怎么办", body="一到换季就泛红，大家都用什么", now=start)
    spammer = _user(user_factory, db, days=0.01, at=start)
    ad = forum.start_thread(category, author=spammer, title="大牌面霜清仓",
                            body="大牌面霜清仓价，专柜正品，加V：qc_88990 看实拍", now=start + timedelta(minutes=1))
    db.session.commit()
    assert _opener(db, ad).state == "pending"
    follow_up = forum.reply(members_thread, author=spammer, body="姐妹们换季就用这个，真的好用",
                            now=start + timedelta(minutes=9))
    db.session.commit()
    _sweep(db)
    assert follow_up.state == "pending"
    assert "chorus:same-author" in follow_up.spam_reasons


@pytest.mark.parametrize(("quarantined", "reasons", "flagged", "sure"), [
    (True, [], False, True),
    (False, ["contact-phrase", "lure:dm-bait", "classifier:0.91:v0|私信|"], False, False),
    (False, ["pointer-only:new-member"], False, False),
    (False, ["contact-phrase", "classifier:0.97:v0|私信|"], True, True),
    (False, ["wechat-id", "contact-phrase"], False, True),
    (False, ["lure:dm-bait,private-sale"], False, True),
    (False, ["same-text-from-4-accounts"], False, True),
])
def test_only_spam_beyond_doubt_carries_its_author_along(quarantined, reasons, flagged, sure):
    assert confident_spam(quarantined, reasons, flagged) is sure


# --- 2. "I've messaged you" to a host ---------------------------------------------------------------------------------

@pytest.fixture
def host_asked(db, category_factory, user_factory):
    """A member's complaint; a host asks for the order details by private message."""
    member = _user(user_factory, db, days=130)
    thread = forum.start_thread(category_factory(), author=member, title="收到的面霜漏了一半",
                                body="今天签收，瓶盖没拧紧，漏了一半，订单尾号0419")
    host = _user(user_factory, db, days=500, role="moderator")
    forum.reply(thread, author=host, body="非常抱歉！请把订单号和照片通过站内私信发我，我们补发一瓶")
    db.session.commit()
    return thread, host


@pytest.mark.parametrize("days", [0.1, 760])
@pytest.mark.parametrize("body", ["好的已私信，谢谢", "谢谢，已经私信了", "已私信您了～", "私信发过去了，麻烦了",
                                  "DM sent, thanks!", "Messaged you, thank you"])
def test_a_dm_acknowledgement_to_a_host_is_kept(app, db, host_asked, user_factory, body, days):
    thread, _host = host_asked
    post = forum.reply(thread, author=_user(user_factory, db, days=days), body=body)
    db.session.commit()
    assert post.state == "published", post.spam_reasons
    _sweep(db)
    assert post.state == "published", post.spam_reasons


def test_a_dm_acknowledgement_to_a_host_under_a_held_fake_service_reply_is_kept(app, db, host_asked, user_factory):
    """A fake customer service replies between the host and the member (held on write): the member's "已私信" answers
    the host, not the fake's offer."""
    thread, _host = host_asked
    fake = forum.reply(thread, author=_user(user_factory, db, days=0.01),
                       body="您好，快件破损可获得双倍理赔，请联系理赔专线，加薇：zto_lp888")
    post = forum.reply(thread, author=_user(user_factory, db, days=0.1), body="好的已私信，谢谢")
    db.session.commit()
    assert fake.state == "pending"
    _sweep(db)
    assert post.state == "published", post.spam_reasons


def test_a_dm_acknowledgement_to_a_mentioned_host_is_kept(app, db, thread_factory, user_factory):
    """The post before it is a member's; the reply names the host it answers."""
    host = _user(user_factory, db, days=500, role="moderator")
    thread = thread_factory(body="试用装申请了一周还没消息")
    forum.reply(thread, author=_user(user_factory, db, days=200), body="我也是，等了好久")
    post = forum.reply(thread, author=_user(user_factory, db, days=0.1), body=f"@{host.display_name} 好的已私信，谢谢")
    db.session.commit()
    assert post.state == "published", post.spam_reasons


def test_the_same_nudge_after_a_member_and_an_invitation_to_a_host_are_still_held(app, db, host_asked,
                                                                                 thread_factory, user_factory):
    members_thread = thread_factory(body="周末有人一起去专柜试色吗")
    nudge = forum.reply(members_thread, author=_user(user_factory, db, days=0.1), body="已私信你了，请查收")
    thread, _host = host_asked
    invite = forum.reply(thread, author=_user(user_factory, db, days=0.1), body="想要补发的姐妹私信我，加我微信 bf_20240")
    db.session.commit()
    assert nudge.state == "pending" and invite.state == "pending"


# --- 3. off-topic lines elsewhere minutes after a held ad -------------------------------------------------------------

@pytest.fixture
def after_held_ad(db, category_factory, user_factory):
    """A members' thread about sunscreen; an ad by a new account, held on write, minutes before the replies below."""
    start = utcnow() - timedelta(hours=1)
    category = category_factory()
    op = _user(user_factory, db, days=300, at=start)
    op.display_name = "糯米团子"
    thread = forum.start_thread(category, author=op, title="防晒叠面霜总搓泥怎么办",
                                body="早上防晒叠面霜总是搓泥，是不是面霜太厚了？大家都怎么叠", now=start)
    forum.reply(thread, author=_user(user_factory, db, days=200, at=start), body="面霜少用一点，等两分钟再上防晒",
                now=start + timedelta(minutes=1))
    spammer = _user(user_factory, db, days=0.02, at=start)
    ad = forum.start_thread(category, author=spammer, title="急用钱的姐妹看过来",
                            body="征信花、网贷多都可以办，无视黑白户，当天下款，有需要的加VX：dk5201314",
                            now=start + timedelta(minutes=2))
    db.session.commit()
    assert _opener(db, ad).state == "pending"
    return thread, start, category


def _young(user_factory, db, start, minutes):
    return _user(user_factory, db, days=0, at=start + timedelta(minutes=minutes - 4))


@pytest.mark.parametrize("body", ["已验证，挺快的", "上个月借了两万，确实快", "昨天跟了老李一场，赢了两千", "收到货了，和专柜一模一样",
                                  "Thanks, just redeemed mine!", "Entered!! Fingers crossed", "white", "boss"])
def test_a_young_accounts_off_topic_line_after_a_held_ad_is_held(app, db, after_held_ad, user_factory, body):
    thread, start, _category = after_held_ad
    post = forum.reply(thread, author=_young(user_factory, db, start, 6), body=body, now=start + timedelta(minutes=6))
    db.session.commit()
    _sweep(db)
    assert post.state == "pending", post.spam_reasons
    assert any(r.startswith("stray-chorus:") for r in post.spam_reasons)
    with force_locale("en"):
        words = [describe_reason(r) for r in post.spam_reasons]
    assert any("minutes after a spam post held elsewhere by another new account" in w for w in words), words


@pytest.mark.parametrize("body", ["搓泥我也遇到过，防晒少涂一点就好", "请问这款适合敏感肌吗？", "@糯米团子 我也是早上叠完就起泥",
                                  "收藏了，谢谢分享", "蹲后续", "刚注册的新人，大家好", "我是油皮，夏天直接不用面霜了",
                                  "Which sunscreen do you use?", "Following, same problem here"])
def test_new_members_talking_about_their_thread_after_a_held_ad_are_kept(app, db, after_held_ad, user_factory, body):
    thread, start, _category = after_held_ad
    post = forum.reply(thread, author=_young(user_factory, db, start, 6), body=body, now=start + timedelta(minutes=6))
    db.session.commit()
    _sweep(db)
    assert post.state == "published", post.spam_reasons


def test_off_topic_lines_long_after_the_ad_or_from_older_accounts_are_kept(app, db, after_held_ad, user_factory):
    thread, start, _category = after_held_ad
    late = forum.reply(thread, author=_young(user_factory, db, start, 50), body="收到货了，和专柜一模一样",
                       now=start + timedelta(minutes=50))
    week_old = forum.reply(thread, author=_user(user_factory, db, days=8, at=start), body="上个月借了两万，确实快",
                           now=start + timedelta(minutes=7))
    db.session.commit()
    _sweep(db)
    assert late.state == "published" and week_old.state == "published"


def test_a_newcomers_hello_in_the_welcome_thread_after_a_held_ad_is_kept(app, db, category_factory, user_factory):
    start = utcnow() - timedelta(hours=1)
    category = category_factory()
    host = _user(user_factory, db, days=400, at=start, role="moderator")
    welcome = forum.start_thread(category, author=host, title="Welcome, say hello", body="Tell us about you.",
                                 now=start)
    forum.start_thread(category, author=_user(user_factory, db, days=0.01, at=start), title="兼职日结",
                       body="手机兼职刷单日结，一单5元，加微信 job12345 了解", now=start + timedelta(minutes=1))
    db.session.commit()
    hellos = [forum.reply(welcome, author=_young(user_factory, db, start, 3 + n), body=body,
                          now=start + timedelta(minutes=3 + n))
              for n, body in enumerate(["坐标杭州，混干皮，28岁，请多关照", "Hi all! Combo skin from Vancouver 👋",
                                        "油痘肌学生党一枚，预算有限，来学习"])]
    db.session.commit()
    _sweep(db)
    assert [p.state for p in hellos] == ["published"] * 3, [p.spam_reasons for p in hellos]


# --- a stress corpus: genuine new members right after held ads, through the real forms -------------------------------

def _row(order, label, kind, account, days, body, title=None):
    return {"id": f"x-{order:03d}", "label": label, "family": "stress", "kind": kind, "title": title, "body": body,
            "account": account, "account_age_days": days, "order": order}


STRESS = [
    # an ad held on write: the replies after it go to the hosts' welcome thread, where newcomers say hello
    _row(1, "spam", "thread", "ad_loan", 0, "征信花、网贷多都可以办，无视黑白户，当天下款，加VX：dk5201314", "急用钱的姐妹看过来"),
    _row(2, "ham", "reply", "n_lily", 0, "新人报到！坐标杭州，混干皮，28岁，请多关照"),
    _row(3, "spam", "reply", "s_jie", 0, "上个月借了两万，确实快"),
    _row(4, "ham", "reply", "n_sarah", 1, "Hi all! Sarah here, combo skin with mild rosacea. Excited to learn 👋"),
    _row(5, "ham", "reply", "n_dudu", 0, "第一次来，看了一圈，大家都好专业"),
    _row(6, "spam", "reply", "s_yan", 1, "已验证，挺快的"),
    # a members' thread, then another ad held on write, then new members answering the members' thread
    _row(7, "ham", "thread", "m_nuomi", 300, "早上防晒叠面霜总是搓泥，是不是面霜太厚了？大家都怎么叠", "防晒叠面霜总搓泥怎么办"),
    _row(8, "ham", "reply", "m_shan", 200, "面霜少用一点，等两分钟再上防晒"),
    _row(9, "spam", "thread", "ad_shop", 0, "大牌面霜清仓价，专柜正品，一手货源，加V：qc_88990 看实拍", "大牌护肤清仓"),
    _row(10, "ham", "reply", "n_ahao", 0, "搓泥我也遇到过，防晒少涂一点就好"),
    _row(11, "spam", "reply", "s_gou", 0, "收到货了，和专柜一模一样"),
    _row(12, "ham", "reply", "n_wen", 0, "请问这款面霜适合敏感肌吗？"),
    _row(13, "ham", "reply", "n_pp", 1, "我是干皮，叠面霜要等五分钟再上防晒，不然必搓泥"),
    _row(14, "ham", "reply", "n_mu", 0, "收藏了，谢谢分享"),
    _row(15, "spam", "reply", "s_ma", 0, "white"),
    _row(16, "ham", "reply", "n_jen", 0, "Which sunscreen are you using? Mine pills under moisturiser too"),
    _row(17, "ham", "reply", "n_tao", 2, "蹲后续"),
    # a host asks for order details by private message; members answer that they have sent them
    _row(18, "ham", "thread", "m_xia", 130, "今天签收，瓶盖没拧紧，漏了一半，订单尾号0419", "收到的面霜漏了一半"),
    _row(19, "ham", "reply", "host_kiko", 500, "非常抱歉！请把订单号和照片通过站内私信发我，我们补发一瓶"),
    _row(20, "ham", "reply", "m_xia", 130, "好的已私信，谢谢"),
    _row(21, "ham", "reply", "n_new", 0, "我的也漏了，谢谢，已经私信了"),
]


def test_a_stress_corpus_of_new_members_after_held_ads(app, db, client, corpus_community, monkeypatch):  # noqa: F811
    from app.jobs.registry import get as get_job
    from app.jobs.runner import run_job
    from tests.moderation import test_spam_corpus as harness

    start = utcnow() - harness.SPACING * (len(STRESS) + 1)
    times = {item["id"]: start + harness.SPACING * n for n, item in enumerate(STRESS)}
    clock = [start]
    monkeypatch.setattr(forum, "utcnow", lambda: clock[0])
    users = harness._accounts(STRESS, times)
    welcome_id = harness._welcome_thread(corpus_community, start)
    post_of = harness._post_all(client, STRESS, users, corpus_community.id, times, clock, welcome_id)
    assert run_job(get_job("clear_spam")).status == "ok"
    states = {item["id"]: db.session.get(Post, post_of[item["id"]]) for item in STRESS}
    wrong = {item["id"]: (item["body"], states[item["id"]].state, states[item["id"]].spam_reasons) for item in STRESS
             if (states[item["id"]].state in ("pending", "spam")) != (item["label"] == "spam")}
    assert not wrong


# --- found by a blind corpus: a newcomer's question, a thread's own opener, a warning naming the lure --------------

@pytest.mark.parametrize("body", ["学生有优惠吗？", "新人第一单有折扣吗", "请问官网和旗舰店价格一样吗", "Is there a student discount?"])
def test_a_newcomers_own_question_after_a_held_ad_is_kept(app, db, after_held_ad, user_factory, body):
    """A question asks something of the thread; the off-topic chorus is testimony or a code word, never a question."""
    thread, start, _category = after_held_ad
    post = forum.reply(thread, author=_young(user_factory, db, start, 6), body=body, now=start + timedelta(minutes=6))
    db.session.commit()
    _sweep(db)
    assert post.state == "published", post.spam_reasons


def test_a_threads_new_opener_answering_under_a_spam_reply_in_it_is_kept(app, db, category_factory, user_factory):
    """A new member's own complaint thread; a fake refund agent replies (held); the member says what they did."""
    start = utcnow() - timedelta(hours=1)
    member = _user(user_factory, db, days=0.2, at=start)
    thread = forum.start_thread(category_factory(), author=member, title="修护霜用了两天脸红",
                                body="官网下单的修护霜，用了两天两颊发红发痒，怎么申请售后？", now=start)
    fake_agent = _user(user_factory, db, days=0, at=start)
    fake = forum.reply(thread, author=fake_agent, body="您好我是退款专员，可以直接办理退款加赔偿，请下载云会议App输入会议号88273361",
                       now=start + timedelta(minutes=2))
    post = forum.reply(thread, author=member, body="官网已申请，显示审核中，谢谢大家🙏", now=start + timedelta(minutes=6))
    db.session.commit()
    _sweep(db)
    db.session.refresh(fake)
    assert fake.state in ("pending", "spam")
    assert post.state == "published", post.spam_reasons


@pytest.mark.parametrize("body", ["楼上那个新号刚进来就让人看主页，我点进去主页就是一个二维码……大家别扫",
                                  "又有人让看主页加好友，别扫那个码"])
def test_a_new_members_warning_that_describes_a_profile_lure_is_kept(app, db, category_factory, user_factory, body):
    thread = forum.start_thread(category_factory(), author=_user(user_factory, db, days=300), title="新人报到",
                                body="欢迎新朋友")
    post = forum.reply(thread, author=_user(user_factory, db, days=1), body=body)
    db.session.commit()
    _sweep(db)
    assert post.state == "published", post.spam_reasons
