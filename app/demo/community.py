"""The demo community that `flask quickstart` seeds into an empty database."""
from __future__ import annotations

import random
from datetime import timedelta

from app.admin.services import save_category
from app.auth.services import create_user, publish_consent
from app.db import utcnow
from app.demo.activities import seed_demo_activities
from app.forum import services as forum
from app.moderation.canned import seed_demo_replies
from app.security.roles import Role

DEMO_PASSWORD = "teahouse-demo"

CONSENT_TEXT = """\
**Taking part in this research community**

This community is run by the brand's research team. What you write here is read by moderators and
researchers and may be quoted, without your name or contact details, in research reports.

- Take part only if you are 18 or older.
- You may stop at any time and ask us to exclude your contributions from future analyses.
- Please do not share other people's private information.

参与本研究社区即表示您同意：您的发言可能以匿名方式被研究报告引用；您可以随时退出。
"""

STAFF = [
    ("admin@teahouse.test", "Admin", Role.ADMIN, None),
    ("host@teahouse.test", "Mei (host)", Role.MODERATOR, "Warm host"),
    ("counsellor@teahouse.test", "Leo (host)", Role.MODERATOR, "Counsellor"),
    ("researcher@teahouse.test", "Research team", Role.RESEARCHER, None),
]
MEMBER_NAMES = ["小雨", "Lily", "阿杰", "Tom", "晓彤", "Grace", "大伟", "Nina", "可可", "Sam", "婷婷", "Oscar"]

CATEGORIES = [
    ("Introductions 自我介绍", "Say hello and tell us a little about yourself. 打个招呼，介绍一下自己。"),
    ("Product talk 产品讨论", "What you love, what annoys you, what you wish existed. 喜欢什么，吐槽什么。"),
    ("Daily life 日常生活", "Routines, shopping trips and everything in between. 日常、购物和生活点滴。"),
    ("Ask the hosts 问问主持人", "Questions for the community team. 有问题就问主持人。"),
]

INQUIRIES = 3  # "Ask the hosts": members' questions, answered by hosts, tracked for response time

# (category index, title, opening post, replies)
THREADS = [
    (0, "Hi from Shanghai 👋", "I'm new here, I work in marketing and love trying new skincare.",
     ["Welcome! Which products are you using at the moment?", "欢迎欢迎！上海哪个区的？"]),
    (0, "大家好，我是小雨", "平时喜欢逛淘宝和小红书，很高兴加入这个社区！",
     ["欢迎小雨！", "Welcome 小雨, looking forward to your posts."]),
    (0, "Introduce yourself with one photo of your desk", "Mine is a mess of lipsticks and notebooks.",
     ["Mine has three plants and a cat.", "我的桌子上全是零食哈哈"]),
    (1, "What do you look for in a lipstick?", "For me it's colour first, then how long it lasts.",
     ["Long-lasting but not drying — that's rare.", "我最看重的是持久度和不拔干，口红颜色其次。",
      "Packaging matters more than I like to admit."]),
    (1, "口红持久度大比拼", "最近试了三款口红，吃完饭基本都掉了，大家有推荐的吗？",
     ["哑光的会好一些，但是比较干。", "I reapply after lunch anyway.", "试试先用唇膜打底"]),
    (1, "The new sunscreen: first impressions", "Light texture, no white cast, but the smell is strong.",
     ["Agree about the smell.", "防晒效果不错，但是有点搓泥。"]),
    (1, "Would you pay more for refillable packaging?", "Curious how everyone feels about refills.",
     ["Yes if it's under 20% more.", "环保是好事，但是补充装要好买才行。", "Only if the refill is easy to click in."]),
    (1, "包装设计你们怎么看", "新包装比以前好看多了，但是不太好拿。",
     ["同感，太滑了", "I actually prefer the old one."]),
    (1, "Online vs in-store: where do you buy?", "I research online but still buy in store to test shades.",
     ["直播间买的比较多，优惠大。", "Always online, the store is too far."]),
    (1, "Shade range feedback", "The foundation range still misses warm undertones.",
     ["Yes! Nothing fits me.", "亚洲肤色的色号可以再多一些。"]),
    (2, "Your morning routine in five steps", "Cleanser, toner, serum, moisturiser, sunscreen. You?",
     ["I skip toner.", "早上只用洗面奶和防晒，太忙了。"]),
    (2, "双十一买了什么", "今年买了好多护肤品，囤货到明年。",
     ["我只买了面膜", "Bought a hairdryer and regretted it.", "理性消费哈哈"]),
    (2, "Weekend plans?", "Going hiking if the weather holds.", ["Rain here all weekend.", "去逛街！"]),
    (2, "通勤路上都做些什么", "地铁上一般刷小红书或者听播客。",
     ["I read on my phone.", "睡觉😴"]),
    (2, "Best gift you received this year", "A handmade candle from my niece.",
     ["A bag I had wanted for ages.", "朋友送的香水，很喜欢"]),
    (3, "How are points going to work?", "Will we be able to exchange points for something?",
     ["Points will unlock levels and badges — more soon!"]),
    (3, "可以邀请朋友加入吗？", "我有朋友也很喜欢这个品牌。", ["目前是邀请制，可以把她的邮箱发给我们。"]),
    (3, "Is my data shared with anyone?", "Just want to understand what happens with my posts.",
     ["Only the research team reads it, and quotes are anonymous. See the consent text."]),
    (1, "Texture matters more than scent", "I'll forgive a smell but never a sticky texture.",
     ["Completely agree.", "质地真的很重要，黏黏的受不了。"]),
    (1, "试用装值得买吗", "小样买来试色很方便，但是感觉不划算。",
     ["小样适合旅行", "Samples helped me avoid expensive mistakes."]),
    (2, "Favourite tea? 最喜欢的茶", "It's a teahouse after all — mine is jasmine.",
     ["龙井！", "Earl Grey with milk.", "普洱，养胃"]),
    (1, "Why I switched brands last year", "The old one changed its formula without telling anyone.",
     ["That happened to me too.", "配方变了真的很难接受。"]),
    (2, "Skincare on a budget", "What's your best affordable find?", ["学生党表示平价好用的最爱", "Drugstore moisturisers are great."]),
    (1, "敏感肌的烦恼", "换季的时候特别容易过敏，大家怎么护理？",
     ["精简护肤，只用保湿", "I see a dermatologist twice a year."]),
    (0, "Hello from Chengdu", "Spicy food lover and lipstick collector.", ["成都！好吃的太多了", "Welcome!"]),
    (1, "Ads that annoy you", "Too many influencer ads lately.", ["直播间吵死了", "Agreed, I mute them."]),
    (2, "周末去哪儿玩", "推荐一下周边游的好地方吧。", ["莫干山不错", "I stay home and sleep."]),
    (1, "Gift sets: yes or no?", "They look nice but half the items go unused.",
     ["Only for gifts.", "礼盒包装太浪费了"]),
    (3, "When is the next activity?", "Looking forward to the next task!", ["Very soon — watch this space."]),
    (1, "护手霜推荐", "冬天手太干了，求推荐不油腻的。", ["Try the unscented one.", "我用的是小雏菊那款"]),
]


def seed_demo_community(seed: int = 7) -> list[tuple[str, str]]:
    """Create staff, members, categories and ~30 threads with replies; returns (role, email) logins."""
    rng = random.Random(seed)
    publish_consent(CONSENT_TEXT, by=None)
    staff = [create_user(email, name, DEMO_PASSWORD, role=role.value, host_persona=persona)
             for email, name, role, persona in STAFF]
    members = [create_user(f"member{i + 1}@teahouse.test", name, DEMO_PASSWORD)
               for i, name in enumerate(MEMBER_NAMES)]
    now = utcnow()
    for user in staff + members:
        user.consent_version, user.consent_at = 1, now - timedelta(days=40)
        user.created_at = now - timedelta(days=rng.randint(20, 60))
        user.trust_level = 2  # the demo's members are regulars: the spam rules hold new members' first links
    categories = [save_category(None, by=staff[0], name=name, description=desc, position=i, is_inquiry=i == INQUIRIES)
                  for i, (name, desc) in enumerate(CATEGORIES)]
    hosts = staff[1:3]
    for index, (cat, title, body, replies) in enumerate(THREADS):
        # Within the last week (the trending window), oldest first.
        started = now - timedelta(hours=(len(THREADS) - index) * 5 + 8 + rng.randint(0, 3))
        author = members[index % len(members)]
        thread = forum.start_thread(categories[cat], author=author, title=title, body=body, now=started)
        for n, text in enumerate(replies):
            replier = hosts[n % 2] if cat == INQUIRIES else rng.choice([m for m in members if m is not author])
            forum.reply(thread, author=replier, body=text, now=started + timedelta(minutes=37 * (n + 1)))
    seed_demo_activities(hosts[0], members, rng)
    seed_demo_replies(hosts[0])  # a few shared canned replies, English and Chinese
    return [(user.role, user.email) for user in staff] + [("member", members[0].email), ("member", "member2..12@teahouse.test")]
