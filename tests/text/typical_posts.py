"""Typical member posts for timing the scrubber: the demo community's sentences plus the numbers members write
(prices, dates, times, SPF, volumes, percentages, order numbers) and, rarely, a contact detail."""
from __future__ import annotations

import random

from app.demo.corpus import BRANDS, EN, MIXED, PLACES, PRODUCTS, ZH

NUMBERS = ["花了199元，还送了小样。", "Paid ¥268.00 for the 50ml bottle.", "SPF50+ PA++++，防晒效果很好。",
           "烟酰胺含量5%，玻尿酸2.5%。", "2024-11-11 下单，2024年11月13日到货。", "Live stream starts at 20:00 tonight.",
           "订单号 202411110093847561，还没发货。", "30ml 的装是 ¥320，100ml 是 ¥880。", "型号 HX-2031，颜色 #03。",
           "Got 3 for 2 at the mall, saved 150 yuan.", "第1次用就爱上了，已经用了3瓶。", "双12 满300减50。"]
CONTACTS = ["加我微信 meiyan888 拿优惠", "电话 138 0013 8000", "email me at bob.li@gmail.com", "QQ：12345678"]


def typical_posts(count: int, seed: int = 7) -> list[str]:
    """`count` posts of one to four sentences: a fifth with numbers, one in a hundred with a contact detail."""
    rng = random.Random(seed)
    templates = EN + ZH + MIXED
    posts = []
    for _ in range(count):
        sentences = []
        for _ in range(rng.choice((1, 2, 2, 3, 4))):
            (english, chinese), (place, place_zh) = rng.choice(PRODUCTS), rng.choice(PLACES)
            sentences.append(rng.choice(templates).format(p=english, pz=chinese, b=rng.choice(BRANDS), place=place,
                                                          placez=place_zh))
        if rng.random() < 0.2:
            sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(NUMBERS))
        if rng.random() < 0.01:
            sentences.append(rng.choice(CONTACTS))
        posts.append(" ".join(sentences))
    return posts
