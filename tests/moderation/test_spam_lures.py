"""The families of lure (app.moderation.signals.LURES), read on the judged text, each from examples written here."""
from __future__ import annotations

import pytest
from flask_babel import force_locale

from app.moderation.explain import describe_reason
from app.moderation.signals import TextSignals
from app.moderation.spam import DEFAULTS, LURE_POINTS, classifier_points, score_text

FAMILIES = [
    ("profile-pointer", "想了解的姐妹，联系方式在我昵称里哦"),
    ("profile-pointer", "价格不方便说，看我个人介绍"),
    ("profile-pointer", "Want the discount? The link is in my bio"),
    ("qr-lure", "扫描图中二维码进群，每天领护肤小样"),
    ("qr-lure", "Scan the QR in my photo to claim your gift card"),
    ("shop-search", "用了半年真心推荐，淘宝搜 桃桃美妆小铺 就有"),
    ("shop-search", "拼多多直接搜「花间小店」，比专柜便宜一半"),
    ("upfront-fee-job", "招手工组装，在家可做，材料费 99 元先交，做完回收"),
    ("upfront-fee-job", "Work from home assembling kits, just pay the starter kit fee of $49"),
    ("screen-share", "您的订单异常需要退款，请下载腾讯会议，输入会议号后共享屏幕由客服指导"),
    ("screen-share", "Refund team here: join with meeting id 883 221 and share your screen with our agent"),
    ("gambling-tip", "幸运飞艇内部计划，导师带单，三天回血"),
    ("crypto-returns", "USDT 量化理财，保本，日收益 2%"),
    ("crypto-returns", "My crypto mentor gets 5% daily profit, ask me how"),
    ("miracle-cure", "祖传秘方，专治湿疹，包治不复发"),
    ("miracle-cure", "不节食不运动，躺着就瘦，月瘦20斤"),
    ("counterfeit", "Original-grade copies of every designer bag, ships in a week"),
    ("counterfeit", "大牌面霜原单货，专柜品质，价格只要三分之一"),
    ("engagement-service", "小红书代运营，涨粉一千只要五十"),
    ("engagement-service", "Buy real Instagram followers, instant delivery"),
    ("account-sale", "低价出售本站邀请码，十元一个"),
    ("live-lure", "今晚八点来我直播间，福利抽不停"),
    ("paid-tasks", "下载试玩 app 赚佣金，一天几十块"),
    ("site-plug", "Great write-up, really helpful. Check out my blog for more skincare tips"),
    ("private-sale", "这款乳液我这边有货源，比官网便宜不少，想要的私我"),
    ("private-sale", "Found a supplier, I get them at wholesale price, message me if you want one"),
    ("fake-notice", "系统检测到您的账号存在异常登录，请回复收到的验证码解除限制"),
    ("fake-notice", "Your parcel is on hold: unpaid shipping fee, click to pay and confirm delivery"),
    ("details-for-prize", "评论区留下你的手机号，抽三位姐妹送正装"),
    ("staff-impostor", "【茶舍客服中心】会员积分即将清零，请尽快兑换"),
    ("easy-loan", "急用钱的来，不看征信，当天下款"),
    ("ghost-writing", "本硕论文代写，查重包过，价格好商量"),
    ("vpn-sale", "稳定梯子，看油管不卡，包月十五元"),
    ("stranger-invest", "姐姐好有气质，可以交个朋友吗？我在做一个理财项目可以带你"),
    ("adult", "同城约，学生妹上门服务"),
    ("casino-pharma-seo", "Cheap cialis without prescription, next-day delivery"),
    ("collab-dm", "Love your content! Want to be our brand ambassador? DM us on Instagram"),
    ("easy-income", "I earn $300 a day from my phone, no experience needed"),
    ("dm-bait", "已私～"),
    ("dm-bait", "sent you a DM, check your inbox"),
    ("fake-hotline", "Refund line: call now +1 800 555 0199, open 24/7"),
    ("fake-notice", "系统升级，请重新绑定手机号，否则将无法登录"),
    ("profile-pointer", "好东西都在我的置顶里"),
    ("miracle-cure", "不节食不运动，每天一粒，吃了就瘦"),
    ("adult", "新拍的写真尺度有点大，想看的私我"),
    ("money-bait", "Congratulations, you have been selected! Confirm your shipping address to claim the prize"),
    ("money-bait", "恭喜您被抽中一等奖，添加客服领取"),
    ("romance-bait", "Looking for an honest woman to share my life, kindly reach me on hangouts"),
    ("scheme-recruit", "诚招城市合伙人，零加盟费"),
    ("scheme-recruit", "Want a side hustle you can do from your phone? Inbox me"),
    ("seo-plug", "Also visit: cheap flights | hotel deals | car rental"),
    ("hard-sell", "大牌唇釉统一9.9，拍两支包邮，数量有限"),
    ("hard-sell", "最后30盒，今天下单送化妆棉"),
    ("shop-code", "这家美容院报暗号“小茶”可以打八折"),
    ("shop-code", "I ordered from their shop and used code GLOWUP for 20% off"),
    ("gambling-tip", "那个棋牌平台我充了200，三天翻到五千"),
    ("miracle-cure", "用了七天，痘印全没了"),
    ("profile-pointer", "教程我整理好放在主页了"),
]
# What members write about the same subjects without selling anything.
PLAIN = [
    "我的头像是去年在西湖拍的，好多人问",
    "这瓶精华在专柜买的，398，用完再回购",
    "客服很快就给我退款了，三天到账",
    "I bought it on Taobao last year and the seller was helpful",
    "Does anyone know whether the new serum is tested on animals?",
    "我在家做了个面膜，用的是燕麦和蜂蜜",
    "订单号 2024110512345，客服说仓库缺货，下周发",
    "我多了一支没拆的面霜，原价转给需要的姐妹，站内私信我",
    "论文答辩熬了三个通宵，脸上爆了好多痘",
    "快递显示派送中，今天应该能到",
    "I earn less than I'd like, so I wait for the sales before I restock",
    "客服电话打了 400-820-1234，排队十分钟，问题解决了",
    "坚持跑步三个月瘦了十斤，皮肤也变好了",
    "I wrote a long review on my blog about sunscreens, short version: the gel one wins",
    "我们几个同城的姐妹周末一起去逛街，顺便试了新出的粉底",
    "复刻了一个港风妆容，口红用的是正红色",
    "双十一下单的面霜今天到了，包装完好",
]
# Members warning one another quote the lures they saw: the warning is not theirs to answer for.
WARNINGS = [
    "有人私信我说内部渠道拿货便宜一半，让我加微信，大家千万别信",
    "收到一条短信说包裹地址不详让点链接更新，一看就是骗子",
    "Heads up: someone is posting 'earn $500 a day from home' in every thread, I reported it",
]


@pytest.mark.parametrize(("family", "text"), FAMILIES)
def test_a_lure_is_recognised_in_its_family(family, text):
    assert family in TextSignals.of(text).lures


@pytest.mark.parametrize("text", PLAIN)
def test_plain_posts_on_the_same_subjects_use_no_lure(text):
    assert TextSignals.of(text).lures == []


@pytest.mark.parametrize("text", WARNINGS)
def test_a_warning_about_a_lure_scores_no_lure_or_contact_phrase(text):
    signals = TextSignals.of(text)
    assert signals.warning
    reasons = score_text(text, is_new_member=True, blocked_words=[]).reasons
    assert not any(r.startswith(("lure:", "contact-phrase")) for r in reasons)


def test_a_pitch_that_says_it_is_no_scam_is_not_a_warning():
    assert not TextSignals.of("我不是骗子，内部渠道拿货，需要的滴滴").warning
    assert "private-sale" in score_text("我不是骗子，内部渠道拿货，需要的滴滴", is_new_member=True,
                                        blocked_words=[]).reasons[-1]


def test_a_lure_is_read_through_the_shared_normaliser():
    # full-width letters, spaced characters and emoji between them are the same lure
    assert "profile-pointer" in TextSignals.of("联 系 方 式 在 我 昵 称 里").lures
    assert "counterfeit" in TextSignals.of("ＲＥＰＬＩＣＡ watches, any model").lures


def test_two_lures_from_a_new_member_reach_the_hold_threshold_and_one_does_not():
    hold = DEFAULTS["spam.hold_threshold"]
    two = score_text("高仿包包原单品质，联系方式在我昵称里", is_new_member=True, blocked_words=[])
    one = score_text("原单品质的包包", is_new_member=True, blocked_words=[])
    assert two.value >= hold and any(r.startswith("lure:") for r in two.reasons)
    assert LURE_POINTS <= one.value < hold


def test_an_established_member_writing_about_a_lure_is_not_held_for_it():
    text = "提醒大家：有人说联系方式在他昵称里，还卖高仿，别信"
    assert score_text(text, is_new_member=False, blocked_words=[]).value < DEFAULTS["spam.hold_threshold"]


def test_a_moderate_probability_holds_a_young_account_but_not_an_established_one():
    judged = "a message long enough to count as full evidence for the classifier here"
    hold = DEFAULTS["spam.hold_threshold"]
    assert classifier_points(0.72, judged, young=True) >= hold
    assert classifier_points(0.72, judged, young=False) < hold
    assert classifier_points(0.9, judged, young=False) >= hold
    assert classifier_points(0.6, judged, young=True) < hold


def test_a_lure_reason_names_its_families_in_both_languages(app):
    with app.test_request_context():
        assert describe_reason("lure:qr-lure,counterfeit") == "a lure: a QR code to scan, copies sold as originals"
        with force_locale("zh_Hans"):
            assert describe_reason("lure:qr-lure,counterfeit") == "引流话术：扫二维码, 把仿品当正品卖"


def test_an_established_members_everyday_post_is_not_held_on_a_moderate_classifier_probability():
    from app.moderation.spam import classifier_points

    text = "I research online but still buy in store to test shades."
    assert classifier_points(0.87, text, young=False, established=True) < 5  # below the hold threshold
    assert classifier_points(0.96, text, young=False, established=True) < 5  # what the seed gave "online"
    assert classifier_points(0.87, text, young=False) >= 5  # the same words from an unproven account hold
    assert classifier_points(0.99, text, young=False, established=True) >= 5  # near-certain spam still holds


def test_buying_foundation_or_powder_is_not_buying_followers():
    from app.moderation.spam import score_text

    for text in ("直播间买粉底液的优惠力度比专柜大多了。", "想买粉饼和粉扑，有推荐吗？", "刷粉刷要怎么清洗？"):
        assert "lure:engagement-service" not in score_text(text, is_new_member=True, blocked_words=[]).reasons
    assert "lure:engagement-service" in score_text("专业刷粉涨粉，买粉五毛一个", is_new_member=True,
                                                   blocked_words=[]).reasons


def test_a_spelled_out_address_is_a_disguise_on_top_of_the_link():
    spelled = score_text("I got it from clearglow dot shop, works great", is_new_member=True, blocked_words=[],
                         signals=TextSignals.of("I got it from clearglow dot shop, works great"))
    plain = score_text("I got it from clearglow.shop, works great", is_new_member=True, blocked_words=[])
    assert "spelled-link" in spelled.reasons and "spelled-link" not in plain.reasons
    assert spelled.value >= DEFAULTS["spam.hold_threshold"] > plain.value
    warning = "Heads up, I got a DM saying 'you won, claim it at prize dot top', ignore it"
    assert "spelled-link" not in score_text(warning, is_new_member=True, blocked_words=[],
                                            signals=TextSignals.of(warning)).reasons  # the scam's disguise, quoted


def test_new_pointers_to_a_channel_out_of_sight():
    for text in ("平台名字在我个签", "要的话去我置顶笔记找她的v", "效果很好，要的私", "想要的评论区扣“1”，我挨个私信发"):
        assert TextSignals.of(text).pointer, text


def test_a_contact_word_denied_is_no_invitation():
    assert not TextSignals.of("我表姐每次回来帮我带两样，算不上代购").contact_phrase
    assert not TextSignals.of("当面交易就行，不加微信哈").contact_phrase
    assert TextSignals.of("需要代购的姐妹找我").contact_phrase


def test_talk_kept_on_site_is_not_held_on_the_classifier_alone():
    from app.moderation.classifier import Behaviour
    from app.moderation.spam import behaviour_points

    swap = "多了一瓶没拆的精华，有需要的姐妹在闲置交换版块私信我，原价转"
    sale = "多了一瓶没拆的精华，有需要的姐妹私信我，原价转"
    member = Behaviour(age_days=200, trust_level=1)
    assert TextSignals.of(swap).kept_on_site and not TextSignals.of(sale).kept_on_site
    assert behaviour_points(0.95, swap, member) < DEFAULTS["spam.hold_threshold"]
    assert behaviour_points(0.95, sale, member) >= DEFAULTS["spam.hold_threshold"]
    assert not TextSignals.of("站内私信我，或者加微信 abc_123").kept_on_site  # a contact detail beside it
