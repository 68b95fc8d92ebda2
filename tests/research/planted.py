"""A planted community with known answers, for the term tools (my own generator; any seed, any planted terms).

Five weeks of everyday chatter in Chinese and English about products and skin; in the last seven days a Chinese
mixed-script term and an English phrase taken up by many members in varied sentences; one member hammering a term
of their own; quotes with "X wrote:" headers, @mentions and names in text (the hubs are quoted a lot); host posts,
spam, hidden posts and a withdrawn member using words that must never count.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.db import ContentState
from app.extensions import db
from app.forum.models import Post, Thread
from app.points.hooks import PENDING as POINTS_PENDING
from app.text.markup import render_markdown

ZH_OPEN = ["今天", "昨天", "最近", "这周", "周末", "早上", "晚上", "上个月"]
ZH_VERB = ["用了", "买了", "试了", "换了", "回购了", "囤了", "推荐"]
ZH_THING = ["口红", "防晒霜", "面膜", "粉底液", "精华液", "眼霜", "卸妆油", "洗面奶", "化妆水", "乳液"]
ZH_FEEL = ["感觉很滋润", "有点干", "还不错", "一般般", "很好用", "挺温和的", "不太适合我", "吸收很快", "味道好闻"]
ZH_TAIL = ["大家有推荐吗", "下次还会买", "价格有点贵", "包装很好看", "朋友送的", "在商场买的", "皮肤状态稳定"]
EN_OPEN = ["Today", "Yesterday", "Lately", "This week", "Honestly", "So"]
EN_THING = ["sunscreen", "moisturizer", "cleanser", "toner", "serum", "lip balm", "face mask", "eye cream"]
EN_FEEL = ["feels great", "is a bit greasy", "works well", "smells nice", "is too expensive", "broke me out",
           "absorbs fast", "is very gentle"]
EN_TAIL = ["would recommend", "will buy again", "my skin feels soft", "not sure yet", "the texture is nice",
           "my friend loves it", "skin looks calmer"]


@dataclass
class Plan:
    zh_term: str  # planted Chinese (mixed-script) term, absent before the last week
    en_phrase: str  # planted English phrase
    burst: str  # one member's own term, 80 times in the last week
    steady: list[str] = field(default_factory=lambda: ["口红", "防晒霜", "sunscreen", "moisturizer"])


def zh_sentence(rng: random.Random) -> str:
    return f"{rng.choice(ZH_OPEN)}{rng.choice(ZH_VERB)}{rng.choice(ZH_THING)}，{rng.choice(ZH_FEEL)}，{rng.choice(ZH_TAIL)}"


def en_sentence(rng: random.Random) -> str:
    return f"{rng.choice(EN_OPEN)} my {rng.choice(EN_THING)} {rng.choice(EN_FEEL)}, {rng.choice(EN_TAIL)}."


def zh_planted(rng: random.Random, term: str) -> str:
    forms = [f"最近开始{term}，{rng.choice(ZH_FEEL)}", f"{term}两周了，{rng.choice(ZH_TAIL)}", f"有人试过{term}吗？",
             f"我也在{term}，{rng.choice(ZH_FEEL)}", f"{term}真的有用！{rng.choice(ZH_TAIL)}",
             f"坚持{term}一个月，皮肤稳定多了", f"姐妹们{term}是先用哪个？", f"听朋友说{term}很火，{rng.choice(ZH_TAIL)}"]
    return rng.choice(forms) + "。" + zh_sentence(rng)


def en_planted(rng: random.Random, phrase: str) -> str:
    forms = [f"I started {phrase} last week and it is going well.", f"Is {phrase} worth it?",
             f"{phrase.capitalize()} helped my barrier a lot.", f"Doing {phrase} for a month now, {rng.choice(EN_TAIL)}.",
             f"Anyone tried {phrase} with retinol?", f"My sister got me into {phrase}.",
             f"Week two of {phrase}: {rng.choice(EN_TAIL)}."]
    return rng.choice(forms) + " " + en_sentence(rng)


class Writer:
    """Inserts threads and posts directly (thousands of them: the services' spam checks are not under test here).
    The posts are kept as rows and written in one bulk insert by ``insert`` (the ORM's unit of work, with an index
    entry per post that no word analysis reads, cost more than the rows themselves)."""

    def __init__(self, category) -> None:
        self.category = category
        self.numbers: dict[int, int] = {}
        self.rows: list[dict] = []

    def thread(self, author, title: str, when: datetime) -> Thread:
        thread = Thread(category_id=self.category.id, title=title, author_id=author.id, author_name=author.display_name,
                        created_at=when, last_post_at=when, post_count=0)
        db.session.add(thread)
        db.session.flush()
        self.numbers[thread.id] = 0
        return thread

    def post(self, thread: Thread, author, body: str, when: datetime, state: str = ContentState.PUBLISHED.value):
        self.numbers[thread.id] += 1
        self.rows.append({"thread_id": thread.id, "number": self.numbers[thread.id], "author_id": author.id,
                          "author_name": author.display_name, "body": body, "body_html": render_markdown(body),
                          "created_at": when, "state": state})
        thread.post_count = self.numbers[thread.id]

    def insert(self) -> None:
        """Write the posts kept so far."""
        if self.rows:
            db.session.execute(sa.insert(Post), self.rows)
        self.rows = []


HUB_NAMES = ["Chloe Martin", "Zhang Wei", "张晓梅"]


def build(seed: int, plan: Plan, *, now: datetime, user_factory, category_factory, moderator) -> dict:
    """The community; returns its members and counts of what was planted."""
    rng = random.Random(seed)
    hubs = [user_factory(display_name=name) for name in HUB_NAMES]
    members = hubs + [user_factory(display_name=f"{rng.choice(['Amy', 'Lily', 'Grace', '小雨', '阿珍', 'Mia'])}"
                                                f"{n}") for n in range(57)]
    withdrawn = user_factory(display_name="Quiet Olive")
    writer = Writer(category_factory())
    start = now - timedelta(days=35)
    threads = [writer.thread(rng.choice(members), f"Chat {i}", start + timedelta(hours=i)) for i in range(30)]
    figures = {"posts": 0, "zh": 0, "en": 0, "burst": 0}

    def at(day_from: float, day_to: float) -> datetime:
        return now - timedelta(days=rng.uniform(day_to, day_from))

    for _ in range(3600):  # five weeks of steady chatter, quotes of the hubs, mentions and names
        author, thread = rng.choice(members), rng.choice(threads)
        body = zh_sentence(rng) if rng.random() < 0.55 else en_sentence(rng)
        roll = rng.random()
        hub = rng.choice(hubs)
        if roll < 0.15:
            body = f"{hub.display_name} wrote:\n\n> {zh_sentence(rng)}\n\n{body}"
        elif roll < 0.22:
            body = f"@{hub.display_name.split()[0]} {body}"
        elif roll < 0.28:
            body += f" Thanks {hub.display_name}, 我同意{hub.display_name}说的。"
        writer.post(thread, author, body, at(35, 0))
        figures["posts"] += 1
    recent_threads = threads[-8:]
    adopters = rng.sample(members, 30)
    for i in range(60):
        writer.post(rng.choice(recent_threads), adopters[i % 30], zh_planted(rng, plan.zh_term), at(7, 0.01))
        figures["zh"] += 1
    adopters = rng.sample(members, 25)
    for i in range(50):
        writer.post(rng.choice(recent_threads), adopters[i % 25], en_planted(rng, plan.en_phrase), at(7, 0.01))
        figures["en"] += 1
    voice = rng.choice(members[3:])
    for _ in range(80):
        writer.post(rng.choice(recent_threads), voice, f"{plan.burst}！{plan.burst} {zh_sentence(rng)}", at(7, 0.01))
        figures["burst"] += 1
    _noise(rng, writer, recent_threads, moderator, withdrawn, members, at)
    writer.insert()
    db.session.flush()
    # The planted posts earn no points: the term tools never read them, and reconciling the points of 3,800 posts
    # in the commit (a dozen queries a post) took over half of building the community.
    db.session.info.pop(POINTS_PENDING, None)
    db.session.commit()
    return {"members": members + [withdrawn], "figures": figures, "burst_author": voice}


NOISE_WORDS = ["官方福利群", "hostword", "spamword", "hiddenword", "withdrawnword"]


def _noise(rng, writer, threads, moderator, withdrawn, members, at) -> None:
    """Words that never count: a host's, spam, hidden posts and a withdrawn member's, each from the last week."""
    from app.db import utcnow

    withdrawn.consent_withdrawn_at = utcnow()
    spammers = rng.sample(members, 6)
    for i in range(40):
        thread = rng.choice(threads)
        writer.post(thread, moderator, f"欢迎参加活动 hostword {NOISE_WORDS[0]}", at(7, 0.01))
        writer.post(thread, spammers[i % 6], f"spamword 加群 {NOISE_WORDS[0]} www.spam.example/x", at(7, 0.01),
                    state=ContentState.SPAM.value)
        writer.post(thread, rng.choice(members), "hiddenword hiddenword", at(7, 0.01), state=ContentState.HIDDEN.value)
        writer.post(thread, withdrawn, "withdrawnword withdrawnword", at(7, 0.01))
