"""An independent planted community for the emerging terms (issue #19), written without reading the term code.

Each seed builds ~60 members and ~5,000 posts over 60 days of Chinese and English beauty talk, with known answers:
a Chinese mixed-script term and an English phrase that many members start using in the last seven days; steady
common terms; one member's 80-post burst; hub names in @mentions, plain text and quote headers; a term that only
ever appears inside quotes of an older post; a term only inside links; and decoy terms used only by hosts,
researchers, spam, hidden posts and members who withdrew consent. The test drives it as a researcher would (the
scheduled discovery, then the service the /research/words page calls, then the page itself), prints the top ten
and asserts the issue's acceptance.
"""
from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from html import unescape
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from app.auth.services import create_user
from app.db import utcnow
from app.extensions import db
from app.forum.models import Category, Post, Thread
from app.forum.services import render_post_body
from app.points.hooks import PENDING as POINTS_PENDING
from app.research import term_dictionary, terms
from app.research import views as research_views
from app.rights.consent import withdraw_consent
from tests.conftest import login_as

DAYS = 60


@dataclass(frozen=True)
class Plan:
    seed: int
    cn: str  # the planted Chinese mixed-script term
    en: str  # the planted English phrase
    extra: str  # a planted Chinese product name or phrase (reported, not asserted)
    burst: str  # one member's 80 posts
    withdrawn: str  # only members who withdrew consent
    host: str  # only hosts
    researcher: str  # only researchers
    spam: str  # only posts the spam filter caught
    hidden: str  # only hidden posts
    quoted: str  # only inside quotes of one older post
    url: str  # only inside links


# (The quoted-only and withdrawn-only decoys of seeds 202 and 303 were 积雪草面膜 and 海藻面膜: their piece 面膜 is an
# everyday word of this generator's own ordinary sentences, so a correct count of it failed the decoy check; the same
# for seed 101's host-only 焕新打卡, whose 打卡 members write beside the planted terms.)
PLANS = [
    Plan(101, cn="PDRN水光", en="skin flooding", extra="雪绒花精华", burst="蓝铜胜肽", withdrawn="冻干粉",
         host="焕新集章", researcher="访谈招募", spam="免费领取", hidden="代购渠道", quoted="玫瑰纯露", url="glowdrop"),
    Plan(202, cn="MLBB唇釉", en="slugging overnight", extra="沉浸式护肤", burst="玻色因", withdrawn="胶原蛋白棒",
         host="签到挑战", researcher="焦点小组", spam="加微领券", hidden="私下转卖", quoted="积雪草冻膜",
         url="dewpoint"),
    Plan(303, cn="刷酸+A醇", en="glass skin routine", extra="油皮亲妈", burst="bakuchiol serum", withdrawn="海藻冻膜",
         host="晒单活动", researcher="日记研究", spam="低价秒杀", hidden="仿品链接", quoted="山茶花精油",
         url="lumisoft"),
]

# Members' names: hubs whose names look like words are mentioned, quoted and thanked more in the last week.
HUB_NAMES = ["Kiki Zhou", "柚柚酱", "Momo", "鹿鸣"]
OTHER_NAMES = [
    "Chloe Lin", "阿狸不吃梨", "Sunny Wu", "芒果布丁", "Vivian", "橘子汽水", "Yuki", "小满", "Grace Tan", "晚风",
    "Nina Ho", "青柠", "Ivy", "木木夕", "Joanna", "栗子", "Hazel", "阿紫", "Olivia Xu", "梨涡", "Fiona", "糯米团",
    "Rachel", "星野", "Tiffany", "奶盖", "Wendy", "小鱼干", "Cathy Sun", "白桃", "Amber", "西柚", "Bella Lu", "云朵",
    "Daisy", "荔枝", "Elaine", "桃桃", "Harper", "七七", "Iris Gao", "团子", "Jade", "一颗橙", "Luna", "豆豆",
    "Maggie", "小熊饼干", "Penny", "甜甜圈", "Queenie", "苏苏", "Ruby", "麦兜", "Stella", "阿宁",
]

# Steady vocabulary: used at the same rate in every week.
STEADY_CN = ["保湿", "防晒", "敏感肌", "面霜", "卸妆", "控油", "毛孔", "闭口", "屏障", "B5面霜", "VC精华", "SPF50"]
STEADY_EN = ["sunscreen", "moisturizer", "toner", "retinol", "cleansing balm", "double cleanse", "niacinamide"]
PRODUCTS_CN = ["B5面霜", "VC精华", "修护精华", "氨基酸洗面奶", "烟酰胺精华", "防晒霜", "水乳套装", "卸妆油", "面霜"]
PRODUCTS_EN = ["sunscreen", "moisturizer", "toner", "retinol", "cleansing balm", "niacinamide serum", "eye cream"]

CN_FRAMES = [
    "最近开始用{t}，感觉皮肤稳定多了。",
    "有没有姐妹用过{t}？想听听真实反馈。",
    "{t}我已经回购第三次了，油皮真的友好。",
    "说实话{t}没有宣传的那么神，但保湿还可以。",
    "换季的时候我只敢用{t}，敏感肌不容易泛红。",
    "今天去专柜试了{t}，质地比想象中清爽。",
    "晚上洗完脸先上{t}，第二天上妆很服帖。",
    "被种草了{t}，等双十一再囤。",
    "我妈也在用{t}，她说比之前那瓶好吸收。",
    "坚持用了两周{t}，闭口少了一些，毛孔还是老样子。",
    "{t}和防晒一起用会不会搓泥啊？",
    "学生党预算有限，{t}算是性价比很高的选择。",
]
CN_FREE = [
    "今天空气好干，脸上一直起皮。", "北方的冬天真的太难了，面霜要厚涂。", "周末去爬山晒黑了，防晒还是补得不够勤。",
    "熬夜之后第二天脸色发黄，什么都救不回来。", "最近压力大，下巴一直冒痘。", "早上通勤时间太赶，只能简单保湿加防晒。",
    "姐妹们卸妆一定要卸干净，不然闭口找上门。", "我发现多喝水比买贵的精华有用。", "今天的妆容被同事夸了，开心。",
    "夏天控油真的是一场持久战。", "有人一起拼单吗？运费太贵了。", "感觉屏障受损之后什么都不敢用了。",
    "皮肤科医生说敏感肌要少折腾。", "换了新的枕套以后痘痘少了一点。", "周末做了一次清洁面膜，毛孔干净多了。",
    "一直纠结要不要入手这个价位的面霜。", "最近在减少护肤步骤，反而皮肤更稳定。", "出差一周，皮肤状态直线下降。",
]
EN_FRAMES = [
    "I started using {t} last month and my skin feels calmer.",
    "Has anyone here tried {t}? I would love an honest review.",
    "Honestly {t} is overrated, but it does keep me hydrated.",
    "My dermatologist suggested {t} for my dry patches.",
    "I repurchased {t} for the third time, it works for oily skin.",
    "Does {t} pill under makeup for you?",
    "On a budget, {t} is the best value I have found.",
    "I layer {t} after cleansing and before bed.",
]
EN_FREE = [
    "The heating at work dries my face out so badly.", "Went hiking at the weekend and forgot to reapply.",
    "Stress breakouts on my chin again, ugh.", "My routine is down to three steps now and it helps.",
    "Drinking more water helped more than any expensive serum.", "Anyone want to split shipping on an order?",
    "My barrier was wrecked after a peel, so I am keeping it simple.", "Changed my pillowcase and fewer spots since.",
    "Winter skin is a whole different problem.", "Got complimented on my makeup today, so happy.",
]

# How members come to use the planted terms: varied, with the term whole inside ordinary sentences.
CN_PLANTED = [
    "姐妹们最近都在聊{t}，我也跟风试了一周。", "{t}真的火了，小红书上全是打卡。", "第一次尝试{t}，前三天有点刺痛，后来适应了。",
    "谁能科普一下{t}到底适合什么肤质？", "朋友推荐的{t}，用完脸亮了一个度。", "{t}要建立耐受，千万别一上来就天天用。",
    "看了好几个博主测评{t}，决定入坑。", "用{t}之后一定要认真防晒。", "我把{t}加进晚间流程了，早上起来皮肤很透。",
]
EN_PLANTED = [
    "Everyone is talking about {t} this week, so I tried it.", "Day three of {t} and my skin looks plumper.",
    "Is {t} worth it for combination skin?", "Tried {t} after a friend's post and I am hooked.",
    "{t} is all over my feed right now.", "Quick tip: do {t} only on nights you skip actives.",
    "My first attempt at {t} went better than expected.",
]


# Members never write the same sentence twice: openers, endings and interchangeable words vary every sentence.
OPENERS_CN = ["说真的，", "哈哈", "唉，", "话说", "补充一下：", "个人感觉", "不知道为啥", "终于", "怎么说呢，", "emmm ", "求助！",
              "小声说一句，", "跟大家汇报一下，", "", "", "", "", ""]
ENDINGS_CN = ["～", "！！", "hhh", "（个人体验）", "大家参考一下", "真的绝了", "😂", "，有点后悔没早点用", "。", "...", "，仅供参考",
              "，有同感吗", "", "", "", ""]
OPENERS_EN = ["Honestly, ", "Update: ", "Ok so ", "Fwiw ", "Small thing but ", "Not sponsored, ", "PSA: ", "Random but ",
              "", "", "", ""]
ENDINGS_EN = [" lol", " :)", "!!", " (just my experience)", " tbh", " haha", " fwiw", " ...", "", "", ""]
ALTERNATIVES = {
    "最近": ["最近", "这阵子", "前几天", "上个月"], "感觉": ["感觉", "觉得", "发现"], "第三次": ["第二次", "第三次", "第四次"],
    "稳定多了": ["稳定多了", "稳定了不少", "状态好了很多", "没那么容易泛红了"], "两周": ["一周", "两周", "三周", "一个月"],
    "真的": ["真的", "确实", "是真的"], "今天": ["今天", "昨天", "周末"], "一周": ["一周", "几天", "半个月"],
    "很": ["很", "挺", "超级"], "last month": ["last month", "two weeks ago", "in spring", "after my holiday"],
    "calmer": ["calmer", "less red", "smoother", "less tight"], "honest review": ["honest review", "real opinion"],
    "third time": ["second time", "third time", "fourth time"], "three steps": ["two steps", "three steps", "four steps"],
    "this week": ["this week", "lately", "right now"], "Day three": ["Day three", "Day two", "Day five"],
    "so happy": ["so happy", "made my day", "very chuffed"], "again": ["again", "once more", "as usual"],
}
_ALTERNATIVE = re.compile("|".join(re.escape(k) for k in sorted(ALTERNATIVES, key=len, reverse=True)))


def vary(rng: random.Random, sentence: str) -> str:
    sentence = _ALTERNATIVE.sub(lambda m: rng.choice(ALTERNATIVES[m.group(0)]), sentence)
    if has_cjk(sentence):
        return rng.choice(OPENERS_CN) + sentence.rstrip("。") + rng.choice(ENDINGS_CN)
    return rng.choice(OPENERS_EN) + sentence + rng.choice(ENDINGS_EN)


LINK_LEADS = ["Found it here: ", "链接在这里 ", "Cheaper at "]
SHOP_LINKS = ["https://shop.example.com/item/{p}", "https://www.taobao.example/item.htm?id={p}",
              "http://m.jd.example/product/{p}.html"]
MENTIONS = ["@{n} 求链接！", "谢谢{n}的推荐，已下单。", "{n} is right about this.", "Thanks {n}!", "{n}姐妹说得对。",
            "@{n} ", "谢谢{n}的分享！", "Agree with {n}. "]


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).lower()).strip()


def compact(text: str) -> str:
    return fold(text).replace(" ", "")


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


class PostRow(SimpleNamespace):
    """A post's columns, kept until the whole community is written in one bulk insert (see ``Community``)."""


class Community:
    """Builds one seeded community straight into the tables (the forum services would take minutes).

    The posts are rows with their ids given here in the order they are written (what the database would give them,
    one by one), inserted in one batch after the generator has run (``Community.insert_posts``): the ORM's unit of
    work, flushing ~5,000 objects in small batches, took about a third of the test. Each row is what the forum
    writes: its rendered ``body_html`` (mentions linked), the thread's ``post_count`` and ``last_post_at``; the
    search index, which no word analysis reads, is not filled."""

    def __init__(self, plan: Plan, now, *, withdrawn_talk: bool = True):
        # withdrawn_talk: the members who later withdraw also wrote ordinary posts all along (sentences much like
        # everyone else's); False: they only ever wrote their own term.
        self.plan, self.now, self.rng, self.withdrawn_talk = plan, now, random.Random(plan.seed), withdrawn_talk
        self.truth: list[tuple] = []  # (author, when, the author's own words, state) of every post
        self.count = 0
        self.posts: list[PostRow] = []  # to insert, in the order written
        self.next_id = 0
        self.words: dict[tuple, list] = {}  # weekly_authors' texts

    def user(self, name: str, role: str = "member"):
        user = create_user(f"u{abs(hash((self.plan.seed, name))) % 10**9}@plant.test", name, "correct horse battery",
                           role=role, host_persona="Warm host" if role == "moderator" else None)
        user.consent_version, user.consent_at = 1, self.now - timedelta(days=DAYS + 5)
        return user

    def build(self):
        rng, plan, now = self.rng, self.plan, self.now
        self.cats = [Category(name=n, position=i) for i, n in enumerate(("护肤 Skincare", "彩妆 Makeup", "闲聊 Chat"))]
        db.session.add_all(self.cats)
        self.hubs = [self.user(n) for n in HUB_NAMES]
        self.others = [self.user(n) for n in OTHER_NAMES]
        self.members = self.hubs + self.others  # 60
        self.burster = self.others[7]  # "Yuki"
        self.withdrawn = self.others[-4:]
        self.hidden_authors = self.others[20:30]
        self.hosts = [self.user(n, "moderator") for n in ("Host Ada", "小茶主持", "Host Mei")]
        self.researchers = [self.user(n, "researcher") for n in ("Dr Reed", "研究员老周")]
        self.spammers = [self.user(f"shop{n}{plan.seed}") for n in range(12)]
        db.session.flush()
        weights = [1.0 / (i + 2) ** 0.6 for i in range(len(self.members))]
        self.threads: list[tuple[Thread, list[PostRow]]] = []
        self.started: list = []  # each thread's created_at, beside self.threads
        self.next_id = first_free_post_id()
        for day in range(DAYS, 0, -1):
            start = now - timedelta(days=day)
            for _ in range(3):
                self.thread(start + timedelta(minutes=rng.randint(0, 300)), rng.choices(self.members, weights)[0])
            for _ in range(int(rng.gauss(72, 6))):
                when = start + timedelta(seconds=rng.randint(0, 86_399))
                who = rng.choices(self.members, weights)[0]
                if who in self.withdrawn and not self.withdrawn_talk:
                    continue
                self.reply(when, who, self.ordinary())
        self.plant()
        db.session.flush()
        self.insert_posts()
        for user in self.withdrawn:
            withdraw_consent(user, now=now - timedelta(hours=12))
        db.session.flush()
        # The points hook (app/points/hooks.py) would reconcile each of the ~5,000 posts at commit, a few queries a
        # post (over 80% of this test's time); the terms read no points, so the community is built without them.
        db.session.info.pop(POINTS_PENDING, None)
        db.session.commit()

    # -- text -------------------------------------------------------------------------------------------------
    def ordinary(self) -> str:
        rng = self.rng
        parts = []
        for _ in range(rng.randint(1, 3)):
            # The frames the planted terms arrive in are ordinary sentences all along (with ordinary products), so
            # their words are steady and only the planted terms are new.
            if rng.random() < 0.6:
                frames = CN_FRAMES + CN_PLANTED if rng.random() < 0.6 else CN_FREE
                parts.append(vary(rng, rng.choice(frames).format(t=rng.choice(PRODUCTS_CN))))
            else:
                frames = EN_FRAMES + EN_PLANTED if rng.random() < 0.6 else EN_FREE
                parts.append(vary(rng, rng.choice(frames).format(t=rng.choice(PRODUCTS_EN))))
        if rng.random() < 0.04:  # links to shops, all 60 days, in the words the planted link word arrives in
            parts.append(rng.choice(LINK_LEADS) + rng.choice(SHOP_LINKS).format(p=rng.randint(1, 999)))
        if rng.random() < 0.15:  # steady mentions of the members, all 60 days, in the words the hubs' rise uses
            parts.insert(0, rng.choice(MENTIONS).format(n=rng.choice(self.members).display_name))
        return "".join(p if has_cjk(p) else p + " " for p in parts).strip()

    def planted(self, term: str, english: bool) -> str:
        rng = self.rng
        frame = vary(rng, rng.choice(EN_PLANTED if english else CN_PLANTED).format(t=term))
        tail = vary(rng, rng.choice(EN_FREE + CN_FREE)) if rng.random() < 0.6 else ""
        return (frame + " " + tail).strip() if rng.random() < 0.5 else (tail + " " + frame).strip()

    # -- rows -------------------------------------------------------------------------------------------------
    def thread(self, when, author, body: str | None = None, state: str = "published"):
        title = self.rng.choice(["今天的护肤分享", "Weekly skincare check-in", "求推荐", "空瓶记录", "Help with my routine",
                                 "换季护肤讨论", "彩妆日常", "Random chat"])
        thread = Thread(category_id=self.rng.choice(self.cats).id, title=title, author_id=author.id,
                        author_name=author.display_name, created_at=when, last_post_at=when, post_count=0)
        db.session.add(thread)
        db.session.flush()
        self.threads.append((thread, []))
        self.started.append(when)
        self.add(thread, self.threads[-1][1], when, author, body or self.ordinary(), state=state)
        return thread

    def add(self, thread, posts, when, author, body, *, quoted=None, state="published", own=None):
        self.truth.append((author, when, body if own is None else own, state))
        thread.post_count += 1
        post = PostRow(id=self.next_id, thread_id=thread.id, number=thread.post_count, author_id=author.id,
                       author_name=author.display_name, body=body, body_html=render_post_body(body), created_at=when,
                       quoted_post_id=quoted.id if quoted else None, state=state, hidden_at=None, spam_score=0)
        self.next_id += 1
        if state != "published":
            post.hidden_at = when + timedelta(hours=1)
            post.spam_score = 0.99 if state == "spam" else 0
        thread.last_post_at = max(thread.last_post_at, when)
        posts.append(post)
        self.posts.append(post)
        self.count += 1
        return post

    def insert_posts(self) -> None:
        """Every post in one bulk insert (no per-object events: the search index stays empty), then on PostgreSQL
        the id sequence moved past them, as inserting them one by one would have left it."""
        db.session.execute(sa.insert(Post), [vars(post) for post in self.posts])
        if db.session.get_bind().dialect.name == "postgresql":
            db.session.execute(sa.text("SELECT setval(pg_get_serial_sequence('post', 'id'), :last)"),
                               {"last": self.next_id - 1})

    def reply(self, when, author, body, *, state="published", quote_rate=0.1, quote_of=None):
        if quote_of is not None:
            thread, posts = next((t, p) for t, p in self.threads if t.id == quote_of.thread_id)
        else:
            candidates = [pair for pair, started in zip(self.threads, self.started, strict=True)
                          if timedelta(0) <= when - started <= timedelta(days=3)] or self.threads[-1:]
            thread, posts = self.rng.choice(candidates)
        quoted, own = None, body
        if quote_of is not None or (posts and self.rng.random() < quote_rate):
            quoted = quote_of or self.rng.choice(posts)
            header = self.rng.choice(["%s wrote:", "%s 写道："]) % quoted.author_name
            body = header + "\n" + "\n".join("> " + line for line in quoted.body.splitlines()) + "\n\n" + body
        return self.add(thread, posts, when, author, body, quoted=quoted, state=state, own=own)

    def recent(self, days: float = 7):
        return self.now - timedelta(seconds=self.rng.randint(600, int(days * 86_400)))

    def plant(self):
        rng, plan, now = self.rng, self.plan, self.now
        ordinary = [m for m in self.members if m not in self.withdrawn and m is not self.burster]
        # The planted trends: 30 members, about 60 posts each, in the last seven days; two early mentions.
        for term, english in ((plan.cn, False), (plan.en, True), (plan.extra, False)):
            users = rng.sample(ordinary, 30)
            for i in range(60):
                self.reply(self.recent(), users[i % 30], self.planted(term, english))
            for who in rng.sample(ordinary, 2):
                self.reply(now - timedelta(days=rng.randint(20, 50)), who, self.planted(term, english))
        # One voice: 80 posts by one member in the last week.
        for _ in range(80):
            self.reply(self.recent(), self.burster, self.planted(plan.burst, plan.burst.isascii()))
        # Members who withdrew consent, hosts and researchers, spam and hidden posts: each with its own term.
        for author_pool, term, count, state in ((self.withdrawn, plan.withdrawn, 50, "published"),
                                                (self.hosts, plan.host, 45, "published"),
                                                (self.researchers, plan.researcher, 20, "published"),
                                                (self.spammers, plan.spam, 50, "spam"),
                                                (self.hidden_authors, plan.hidden, 35, "hidden")):
            for i in range(count):
                body = self.planted(term, term.isascii())
                if state == "spam":
                    body += f" 详情 https://t.cn/{rng.randint(10**5, 10**6)} 加V: shop{rng.randint(100, 999)}"
                self.reply(self.recent(), author_pool[i % len(author_pool)], body, state=state)
        # Hosts open threads in the last week too (their openings carry their term).
        for host in self.hosts:
            self.thread(self.recent(), host, body=f"本周{plan.host}开始啦！大家来分享你的护肤日常。")
        # A term only inside quotes: one member's post three weeks ago, quoted by 25 members in the last week.
        source_thread = self.thread(now - timedelta(days=21), self.others[3],
                                    body=f"分享一个冷门好物：{plan.quoted}，湿敷十分钟脸很软。")
        source = self.threads[-1][1][0]
        db.session.flush()
        quoters = rng.sample([m for m in ordinary if m is not self.others[3]], 25)
        for i in range(40):
            own = vary(rng, rng.choice(CN_FREE + EN_FREE))
            self.add(source_thread, self.threads[-1][1], self.recent(), quoters[i % 25],
                     rng.choice(["%s wrote:", "%s 写道："]) % source.author_name + "\n> " + source.body + "\n\n" + own,
                     quoted=source, own=own)
        # A word only inside links, from 25 members in the last week.
        for i, who in enumerate(rng.sample(ordinary, 25)):
            link = rng.choice([f"https://www.{plan.url}.example.com/p/{i}", f"https://shop.example.com/{plan.url}-kit",
                               f"http://{plan.url}.example.cn/item?id={i}"])
            self.reply(self.recent(), who, rng.choice(LINK_LEADS) + link + " "
                       + vary(rng, rng.choice(CN_FREE + EN_FREE)))
        # The hubs' names rise: mentioned, thanked and quoted by many in the last week.
        for _ in range(120):
            hub, who = rng.choice(self.hubs), rng.choice(ordinary)
            text = rng.choice(MENTIONS).format(n=hub.display_name)
            hub_posts = [p for _, ps in self.threads[-12:] for p in ps if p.author_id == hub.id]
            self.reply(self.recent(), who, text + " " + self.ordinary(),
                       quote_of=rng.choice(hub_posts) if hub_posts and rng.random() < 0.5 else None)
        # The hubs post more in the last week too (so their names head quote headers).
        for _ in range(80):
            self.reply(self.recent(), rng.choice(self.hubs), self.ordinary())


    def weekly_authors(self, term: str) -> tuple[int, float]:
        """From the generator's own record: distinct members using ``term`` in their own counted words in the last
        seven days, and the mean over the four weeks before; the planted terms' own occurrences left out."""
        plan = self.plan
        planted = () if any(is_planted(term, x) for x in (plan.cn, plan.en, plan.extra)) else (plan.cn, plan.en,
                                                                                              plan.extra)
        weeks: list[set] = [set() for _ in range(5)]
        for author_id, week, text in self._counted_words(planted):
            if overlaps_text(term, text):
                weeks[week].add(author_id)
        return len(weeks[0]), sum(len(w) for w in weeks[1:]) / 4

    def _counted_words(self, planted: tuple[str, ...]) -> list[tuple[int, int, str]]:
        """(author, week, own words without links, names and ``planted``) of the published posts of the members
        taking part, in the last five weeks: the same whichever term ``weekly_authors`` looks for (kept)."""
        if planted in self.words:
            return self.words[planted]
        people = {m.id for m in self.members} - {m.id for m in self.withdrawn}
        names = sorted((m.display_name for m in self.members), key=len, reverse=True)
        counted = []
        for author, when, text, state in self.truth:
            age = (self.now - when).total_seconds() / 86_400
            if state != "published" or author.id not in people or not 0 <= age < 35:
                continue
            text = re.sub(r"https?://\S+", " ", text)
            for piece in list(planted) + names:
                text = text.replace(piece, " ")
            counted.append((author.id, int(age // 7), text))
        self.words[planted] = counted
        return counted


def first_free_post_id() -> int:
    """The id the database would give the next post: PostgreSQL's sequence (taken), SQLite's next rowid."""
    if db.session.get_bind().dialect.name == "postgresql":
        return db.session.scalar(sa.text("SELECT nextval(pg_get_serial_sequence('post', 'id'))"))
    return (db.session.scalar(sa.select(sa.func.max(Post.id))) or 0) + 1


def overlaps_text(term: str, text: str) -> bool:
    t, body = fold(term), fold(text)
    return t in body if has_cjk(t) else bool(re.search(rf"(?<![a-z0-9]){re.escape(t)}(?![a-z0-9])", body))


def name_leaks(term_list, users) -> list[str]:
    forms = set()
    for user in users:
        name = fold(user.display_name)
        forms.add(compact(name))
        forms.update(part for part in name.split() if len(part) >= 2)
    leaks = []
    for term in term_list:
        t = compact(term)
        if t in forms or any(len(f) >= 2 and f in t and (has_cjk(f) or re.search(rf"\b{re.escape(f)}\b", fold(term)))
                             for f in forms) or (has_cjk(t) and len(t) >= 2 and any(t in f for f in forms)):
            leaks.append(term)
    return leaks


def overlaps(term: str, target: str) -> bool:
    """The reported term is the target, a piece of it (two characters or a whole word), or holds it."""
    t, g = compact(term), compact(target)
    if not t:
        return False
    if g in t:
        return True
    if has_cjk(t):
        return len(t) >= 2 and t in g
    return bool(re.search(rf"\b{re.escape(fold(term))}\b", fold(target)))


def is_planted(term: str, target: str) -> bool:
    """Whole: the planted term itself, or for a three-word phrase a two-word run of it."""
    t, words = fold(term), fold(target).split()
    return compact(term) == compact(target) or (
        len(words) > 2 and len(t.split()) >= 2 and f" {t} " in f" {' '.join(words)} ")


def describe(rank, t) -> str:
    return (f"  #{rank:<2} {t.term!r:28} members {t.recent:>3} before {t.previous:>3} posts {t.posts:>3} "
            f"threads {t.threads:>3} score {t.ratio:7.2f}")


@pytest.mark.parametrize("withdrawn_talk", [True, False], ids=["withdrawn-talked", "withdrawn-quiet"])
@pytest.mark.parametrize("plan", PLANS, ids=[f"seed{p.seed}" for p in PLANS])
def test_planted_community_emerging_terms(app, db, plan, withdrawn_talk, capsys, monkeypatch):
    now = utcnow()
    community = Community(plan, now, withdrawn_talk=withdrawn_talk)
    community.build()
    everyone = community.members + community.hosts + community.researchers + community.spammers

    researcher = community.researchers[0]
    found = term_dictionary.discover_now(now, by=researcher)  # what the scheduled job (or "Discover now") does
    db.session.commit()
    report = terms.emerging_report(now, days=7)
    counts, read = terms.term_counts(start=None, end=None)
    earlier, _ = terms.term_counts(start=now - timedelta(days=35), end=now - timedelta(days=7))
    earlier_authors = {c.term: c.authors for c in earlier}
    week, _ = terms.term_counts(start=now - timedelta(days=7), end=None)
    dictionary = [t.display for t in term_dictionary.dictionary_terms()]

    emerging = [t.term for t in report.terms]
    one_voice = [t.term for t in report.one_voice]
    top10, top5 = emerging[:10], emerging[:5]
    with capsys.disabled():
        print(f"\n== seed {plan.seed}, {'withdrawn members also talked' if withdrawn_talk else 'withdrawn quiet'}: "
              f"{community.count} posts, {len(community.members)} members; "
              f"discovered {found}; {read} member posts read; dictionary {len(dictionary)} terms")
        print(f"   planted cn={plan.cn!r} en={plan.en!r} extra={plan.extra!r} burst={plan.burst!r}")
        for rank, t in enumerate(report.terms[:10], 1):
            recent, before = community.weekly_authors(t.term)
            print(describe(rank, t) + f" | truth: {recent} members this week, {before:.1f}/week before"
                  f" | term_counts 4 weeks before: {earlier_authors.get(t.term, 0)} members")
        for name, target in (("cn", plan.cn), ("en", plan.en), ("extra", plan.extra)):
            where = [(i + 1, term) for i, term in enumerate(emerging) if overlaps(term, target)]
            print(f"   {name} {target!r}: whole at {[i + 1 for i, x in enumerate(emerging) if is_planted(x, target)]}"
                  f", pieces/overlaps {where[:6]}")
        print("   one voice:", [(t.term, t.recent, t.posts) for t in report.one_voice[:8]])
        print("   most used:", [(c.term, c.authors) for c in counts[:25]])
        print("   dictionary:", dictionary)
        print("   dictionary has planted:", {x: any(compact(d) == compact(x) for d in dictionary)
                                              for x in (plan.cn, plan.en, plan.extra, plan.burst)})

    failures = []
    for name, target in (("Chinese mixed-script term", plan.cn), ("English phrase", plan.en)):
        if not any(is_planted(term, target) for term in top5):
            failures.append(f"{name} {target!r} not whole in the top 5 {top5}")
    steady = STEADY_CN + STEADY_EN
    bad = [term for term in top10 if any(compact(term) == compact(s) for s in steady)]
    for term in top10:  # steady by the generator's own record (the planted terms' occurrences left out)
        recent, before = community.weekly_authors(term)
        if before >= 3 and recent <= 2 * before + 2 and term not in bad:
            bad.append(f"{term} ({recent} members this week, {before:.1f}/week before)")
    if bad:
        failures.append(f"steady terms in the top 10: {bad}")
    bad = [term for term in top10 if overlaps(term, plan.burst)]
    if bad:
        failures.append(f"one-author burst {plan.burst!r} in the top 10: {bad}")
    all_lists = {"emerging": emerging, "one voice": one_voice, "most used": [c.term for c in counts],
                 "most used this week": [c.term for c in week], "dictionary": dictionary}
    for list_name, items in all_lists.items():
        leaks = name_leaks(items, everyone)
        if leaks:
            failures.append(f"member names in {list_name}: {leaks[:10]}")
    for label, target in (("withdrawn", plan.withdrawn), ("host", plan.host), ("researcher", plan.researcher),
                          ("spam", plan.spam), ("hidden", plan.hidden), ("quoted", plan.quoted),
                          ("url", plan.url)):
        for list_name, items in all_lists.items():
            if label == "quoted" and list_name == "most used":
                items = [c.term for c in counts if c.authors > 1]  # its one source post, three weeks ago, counts
            hits = [term for term in items if overlaps(term, target)]
            if hits:
                failures.append(f"{label}-only term {target!r} counted in {list_name}: {hits[:5]}")
    for list_name, items in all_lists.items():
        junk = [term for term in items if fold(term) in {"wrote", "写道", "http", "https", "www", "com", "example"}]
        if junk:
            failures.append(f"quote-header or link words in {list_name}: {junk}")

    # The page a researcher opens shows the planted terms and no member's name among the terms. It is asked at the
    # test's own moment: on a busy machine the build takes minutes, and the page's clock would move the window.
    monkeypatch.setattr(research_views, "utcnow", lambda: now)
    client = login_as(app.test_client(), researcher)
    page = client.get("/research/words?days=7")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    cells = [unescape(c) for c in re.findall(r"<td><strong>(.*?)</strong></td>", html)]
    if cells[:10] != [str(t) for t in top10] and [fold(c) for c in cells[:10]] != [fold(t) for t in top10]:
        failures.append(f"the page shows another ranking than the service: {cells[:10]}")
    with capsys.disabled():
        print("   failures:" if failures else "   all checks pass", *failures, sep="\n     ")
    assert not failures, "\n".join(failures)
