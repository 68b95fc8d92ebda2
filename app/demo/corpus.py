"""The synthetic community's words: products, brands, sentence templates in English, Chinese and both, member
names and categories, and ``Text``, which fills, escapes and segments them once for the bulk loader."""
from __future__ import annotations

import html
import random

from app.text.markup import clean_line
from app.text.segment import search_document

PRODUCTS = [("lipstick", "口红"), ("sunscreen", "防晒霜"), ("cleanser", "洗面奶"), ("toner", "爽肤水"),
            ("serum", "精华"), ("moisturiser", "面霜"), ("sheet mask", "面膜"), ("foundation", "粉底液"),
            ("cushion compact", "气垫"), ("eye cream", "眼霜"), ("lip balm", "润唇膏"), ("setting spray", "定妆喷雾"),
            ("body lotion", "身体乳"), ("shampoo", "洗发水"), ("hand cream", "护手霜"), ("blush", "腮红"),
            ("mascara", "睫毛膏"), ("concealer", "遮瑕"), ("night cream", "晚霜"), ("essence", "精华水")]
BRANDS = ["Glowlab", "Hanami", "Morning Dew", "Yunmo", "SoftCloud", "Petal", "Qingyou", "Baicha", "Lumen", "Mori"]
PLACES = [("the mall", "商场"), ("the supermarket", "超市"), ("the airport duty free", "免税店"),
          ("a pop-up store", "快闪店"), ("the pharmacy", "药妆店"), ("a night market", "夜市")]
# Sentence templates; {p}/{pz} a product, {b} a brand, {place}/{placez} a shop. No markdown syntax in them.
EN = ["I tried the {b} {p} last week and honestly it works better than I expected.",
      "Has anyone compared the {p} from {b} with the cheaper one?",
      "My skin gets dry in winter, so I switched to a {p}.",
      "The {p} smells lovely but the pump broke after two weeks.",
      "Bought the travel size of the {p} first, glad I did.", "Does the {p} pill under sunscreen for anyone else?",
      "The price of the {p} is fine if it lasts three months.",
      "Got the {p} during the live stream sale, almost half price.", "Texture of the {p} is light, not sticky at all.",
      "I use the {p} every morning before work.", "Tried the {p} for a week and my skin feels calmer.",
      "Would love a refill pack for the {p}.", "Picked up a {p} at {place} on the way home.",
      "The shade range of the {b} {p} still misses warm undertones.",
      "My sister recommended the {p}, now we both use it.", "Not sure the {b} {p} is worth it, the difference is tiny.",
      "Finished my second bottle of the {p}, will repurchase.",
      "The {p} broke me out a little, might be the fragrance.", "Spent the afternoon at {place} comparing prices.",
      "Had hotpot with friends tonight and my lipstick did not survive.", "Made congee for breakfast, perfect today.",
      "Weekend plan: grocery shopping and a long nap.", "The bubble tea place near my office finally reopened.",
      "Cooking at home more this month to save for the sales.", "Delivery was fast, the box arrived the next morning.",
      "Agree with you, sunscreen is the one step I never skip.", "Thanks for sharing, this is really helpful!",
      "Same here, my skincare routine is down to three steps now.", "Which shade did you get in the end?"]
ZH = ["这款{pz}用了两周，感觉还不错。", "{b}的{pz}质地很轻薄，夏天用刚刚好。",
      "周末去{placez}试了新品{pz}，柜姐很热情。", "我觉得{b}的{pz}价格有点贵，打折的时候再买。",
      "敏感肌用了{pz}两周没有过敏，推荐！", "{pz}的小样很适合出差带着。", "直播间买{pz}的优惠力度比专柜大多了。",
      "护肤步骤太多了，我现在只用洗面奶、精华和防晒。", "敷完{pz}第二天皮肤很水润。",
      "包装设计比以前好看，但是{pz}不太好拿。", "晚饭后刷手机，看到大家都在种草这款{pz}。",
      "{pz}有点氧化，下午脸色会暗。", "口红试色的时候一定要在自然光下看。", "换季的时候特别容易干，要加强保湿。",
      "{pz}性价比很高，已经回购第三瓶了。", "每天出门前都会涂防晒，夏天更要记得补涂。",
      "今天中午吃了麻辣烫，口红全掉了哈哈。", "周末在家做了红烧肉，全家都说好吃。",
      "双十一囤了好多{pz}，估计能用到明年。", "地铁上刷到{b}的新品广告，有点心动。",
      "护肤最重要的还是坚持，贵不贵其次。", "早上喝一杯豆浆再去上班。", "楼下新开了一家奶茶店，排队的人好多。",
      "同感，我也是这么觉得的。", "谢谢分享，马上去{placez}看看！", "请问{pz}适合油皮吗？",
      "我妈妈也在用这个{pz}，她说比以前那款好用。"]
MIXED = ["这个{b}的{pz}真的很 nice，推荐给大家。", "今天试了 {b} 的新款{pz}，颜色超级 natural。",
         "I think 防晒 is the most important step, 每天都要涂。", "Bought the {p} on 天猫 during the sale, 很划算。",
         "求问 {b} 的{pz}适合 dry skin 吗？", "My mum loves this {pz}, 她说比以前那款好用。",
         "护肤 routine 越简单越好, less is more.", "口红 shade 选错了，有点显黑 haha。"]
TITLES = ["Anyone tried the new {b} {p}?", "{p} recommendations for dry skin?", "My honest review of the {b} {p}",
          "Is the {p} worth the price?", "What is in your bag today?", "Best {p} under 200 yuan?",
          "求推荐适合干皮的{pz}", "{b}的{pz}真的好用吗？", "大家平时怎么选{pz}", "分享一下我的护肤步骤",
          "夏天防晒怎么做", "口红颜色求推荐", "{pz} 值得回购吗？ Worth it?", "{b} {pz} first impressions 初体验"]
ZH_GIVEN = "雨杰彤伟可婷鹿芳明乐琳晨悦欣涵宇轩萱怡佳瑶静雪梅兰桃橙柚糖米豆果喵兔"
ZH_AFFIX = [("小", ""), ("阿", ""), ("", "酱"), ("", "同学"), ("", "爱护肤"), ("", "不吃辣"), ("", "的日常"),
            ("", "在上海"), ("", "在成都"), ("", "要早睡"), ("", "喝奶茶"), ("大", ""), ("", "")]
EN_FIRST = ["Lily", "Tom", "Grace", "Nina", "Sam", "Oscar", "Mia", "Ben", "Zoe", "Ivy", "Amy", "Kevin", "Cathy",
            "Jason", "Vivian", "Eric", "Coco", "Leo", "Anna", "Jack", "Wendy", "Ryan", "Sophie", "Alex", "Chloe",
            "Daniel", "Emma", "Frank", "Hannah", "Iris", "Joy", "Kelly", "Luna", "Max", "Olivia", "Peter"]
EN_WORD = ["glow", "matcha", "sunny", "daily", "beauty", "foodie", "bubble", "peach", "lazy", "skin"]
CATEGORIES = [("Introductions 自我介绍", "Say hello. 打个招呼。"),
              ("Skincare 护肤", "Routines and products. 护肤心得。"),
              ("Make-up 彩妆", "Lipstick, base and colour. 口红和底妆。"),
              ("Sun care 防晒", "Sunscreen talk. 防晒讨论。"), ("Shopping 购物", "Deals and hauls. 好物和优惠。"),
              ("Food 美食", "What we eat. 吃什么。"), ("Daily life 日常生活", "Everything else. 日常点滴。"),
              ("Ideas 新品建议", "What should exist. 新品建议。")]
MIXES = {"en": {"en": 85, "mix": 10, "zh": 5}, "zh": {"zh": 85, "mix": 10, "en": 5},
         "mix": {"en": 34, "zh": 33, "mix": 33}}  # a member's language habit -> how often each sentence pool is used
CONSENT = "You agree that researchers read and may quote your posts anonymously. 您同意研究人员阅读并匿名引用您的发言。"


def escape_text(text: str) -> str:
    """What the markdown renderer and sanitiser make of a plain sentence (one without markdown syntax)."""
    return html.escape(text, quote=False).replace('"', "&quot;")


class Text:
    """Sentences and titles escaped and segmented once, combined per post in each member's language habit."""

    def __init__(self, rng: random.Random, per_template: int = 150) -> None:
        self.rng = rng
        # Pick a template, then one of its fillings: a sentence without slots is as common as one with them.
        self.pools = {lang: [[(s, escape_text(s), search_document(s)) for s in self._fill(t, per_template)]
                             for t in templates] for lang, templates in (("en", EN), ("zh", ZH), ("mix", MIXED))}
        self.titles = [[(s, search_document(s)) for s in self._fill(t, per_template)] for t in TITLES]

    def _fill(self, template: str, count: int) -> list[str]:
        found: set[str] = set()
        for _ in range(count * 3):
            (english, chinese), (place, place_zh) = self.rng.choice(PRODUCTS), self.rng.choice(PLACES)
            found.add(clean_line(template.format(p=english, pz=chinese, b=self.rng.choice(BRANDS), place=place,
                                                 placez=place_zh)))
            if len(found) >= count:
                break
        return sorted(found)

    def title(self) -> tuple[str, str]:
        """A thread title and its search document."""
        return self.rng.choice(self.rng.choice(self.titles))

    def body(self, habit: str) -> tuple[str, str, str]:
        """A post's markdown, its HTML and its search document."""
        rng, mix = self.rng, MIXES[habit]
        count = rng.choices((1, 2, 3, 4, 5), (22, 36, 24, 12, 6))[0]
        picked = [rng.choice(rng.choice(self.pools[lang])) for lang in rng.choices(list(mix), mix.values(), k=count)]
        cut = rng.randrange(1, count) if count >= 3 and rng.random() < 0.35 else count
        paragraphs = [part for part in (picked[:cut], picked[cut:]) if part]
        body = "\n\n".join(" ".join(s[0] for s in part) for part in paragraphs)
        body_html = "".join("<p>" + " ".join(s[1] for s in part) + "</p>\n" for part in paragraphs)
        return body, body_html, " ".join(s[2] for s in picked if s[2])
