"""Bulk synthetic community data for benchmarks: `flask demo seed --members N --threads N --posts N`."""
from __future__ import annotations

import bisect
import itertools
import random
from datetime import datetime, timedelta
from typing import Callable

import sqlalchemy as sa

from app.auth.models import ConsentDocument
from app.auth.passwords import hash_password
from app.db import utcnow
from app.extensions import db
from app.forum.models import Category, Post, Reaction, Thread
from app.members.models import User
from app.moderation.spam import text_hash
from app.text.markup import render_markdown

EN = [
    "I tried the new lipstick today and the colour lasts really well.",
    "Has anyone compared the two sunscreens? Mine leaves a white cast.",
    "My skin gets dry in winter, so I switched to a richer cream.",
    "The packaging looks nice but the pump broke after a week.",
    "Agree with you about the smell, it is too strong for me.",
    "I bought the travel size first to test it.",
    "Does the foundation oxidise on you as well?",
    "Honestly the price is fine if it lasts three months.",
    "My sister loves the toner but it stings on my cheeks.",
    "The live stream discount was better than the store.",
    "I use it every morning before sunscreen.",
    "Texture is light, no sticky feeling at all.",
    "Would love a refill option for this one.",
    "The shade range still misses warm undertones.",
    "Tried it for a week and my skin feels calmer.",
]
ZH = [
    "这款口红颜色很正，持久度也不错，就是有点干。",
    "防晒霜质地很轻薄，夏天用刚刚好。",
    "周末去商场试了新品，柜姐很热情。",
    "我觉得价格有点贵，打折的时候再买。",
    "敏感肌用了两周没有过敏，推荐！",
    "小样很适合出差带着，很方便。",
    "直播间的优惠力度比专柜大多了。",
    "护肤步骤太多了，我现在只用三样。",
    "这个面膜敷完第二天皮肤很水润。",
    "包装设计比以前好看，但是不太好拿。",
    "晚饭后刷小红书看到大家都在种草这款。",
    "粉底液有点氧化，下午脸色会暗。",
    "口红试色的时候一定要在自然光下看。",
    "换季的时候特别容易干，要加强保湿。",
    "性价比很高，已经回购第三瓶了。",
]
NAME_POOL = ["小雨", "Lily", "阿杰", "Tom", "晓彤", "Grace", "大伟", "Nina", "可可", "Sam", "婷婷", "Oscar",
             "Mia", "小鹿", "Ben", "芳芳", "Zoe", "阿明", "Ivy", "乐乐"]
CATEGORY_NAMES = ["Introductions 自我介绍", "Skincare 护肤", "Make-up 彩妆", "Sun care 防晒", "Shopping 购物",
                  "Daily life 日常生活", "Ideas 新品建议", "Ask the hosts 问问主持人"]
BATCH_THREADS = 2000


def _bodies(rng: random.Random, count: int = 4000) -> list[tuple[str, str, str]]:
    """Distinct post bodies, rendered once: (markdown, html, hash)."""
    bodies = set()
    while len(bodies) < count:
        pool = EN if rng.random() < 0.5 else ZH
        parts = rng.sample(pool, rng.randint(1, 3))
        if rng.random() < 0.15:
            parts.append(rng.choice(ZH if pool is EN else EN))
        bodies.add(" ".join(parts))
    return [(body, render_markdown(body), text_hash(body)) for body in sorted(bodies)]


def _allocate(rng: random.Random, threads: int, replies: int) -> list[int]:
    """Replies per thread, heavy-tailed (lognormal weights); one thread gets 200+ when there is room."""
    weights = [rng.lognormvariate(0, 1.3) for _ in range(threads)]
    total = sum(weights)
    counts = [int(replies * w / total) for w in weights]
    for i in rng.sample(range(threads), k=min(threads, replies - sum(counts))):
        counts[i] += 1
    while sum(counts) < replies:
        counts[rng.randrange(threads)] += 1
    if replies >= 10_000 and max(counts) < 199:
        biggest = counts.index(max(counts))
        need = 199 - counts[biggest]
        donors = sorted(range(threads), key=counts.__getitem__, reverse=True)[1:]
        for donor in itertools.cycle(donors):
            if need <= 0:
                break
            if counts[donor] > 1:
                counts[donor] -= 1
                counts[biggest] += 1
                need -= 1
    return counts


class _Picker:
    """Weighted choice of members (a few very active, many quiet) in O(log n)."""

    def __init__(self, rng: random.Random, ids: list[int]) -> None:
        self.rng, self.ids = rng, ids
        self.cumulative = list(itertools.accumulate(1 / (rank + 1) ** 0.8 for rank in range(len(ids))))

    def __call__(self) -> int:
        return self.ids[bisect.bisect(self.cumulative, self.rng.random() * self.cumulative[-1])
                        if len(self.ids) > 1 else 0]


def seed_bulk(*, members: int, threads: int, posts: int, seed: int,
              progress: Callable[[str], None] = lambda message: None) -> dict:
    """Insert members, threads, posts and reactions with Core executemany; keeps every counter consistent."""
    rng = random.Random(seed)
    now = utcnow()
    conn = db.session.connection()
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        conn.exec_driver_sql("PRAGMA synchronous=OFF")
        conn.exec_driver_sql("PRAGMA cache_size=-262144")
        conn.exec_driver_sql("PRAGMA temp_store=MEMORY")
    if db.session.scalar(sa.select(sa.func.count()).select_from(ConsentDocument)) == 0:
        from app.auth.services import publish_consent

        publish_consent("Bulk benchmark community consent.", by=None)
        db.session.flush()
    categories = _ensure_categories(now)
    member_ids = _insert_members(rng, members, now)
    progress(f"{members} members")
    counts = _insert_threads_and_posts(rng, categories, member_ids, threads, posts, now, progress)
    _update_counters(counts)
    db.session.commit()
    if sqlite:
        db.session.connection().exec_driver_sql("PRAGMA synchronous=NORMAL")
    return {"members": members, "threads": threads, "posts": posts, "reactions": counts["reactions"]}


def _max_id(model) -> int:
    return db.session.scalar(sa.select(sa.func.max(model.id))) or 0


def _ensure_categories(now: datetime) -> list[int]:
    existing = list(db.session.scalars(sa.select(Category.id).order_by(Category.id)))
    missing = CATEGORY_NAMES[len(existing):]
    if missing:
        db.session.execute(sa.insert(Category), [
            {"name": name, "description": "", "position": len(existing) + i, "created_at": now}
            for i, name in enumerate(missing)])
    return list(db.session.scalars(sa.select(Category.id).order_by(Category.id)))


def _insert_members(rng: random.Random, count: int, now: datetime) -> list[int]:
    start = _max_id(User) + 1
    password = hash_password("teahouse-demo")
    rows = []
    for user_id in range(start, start + count):
        name = f"{NAME_POOL[user_id % len(NAME_POOL)]}{user_id}"
        joined = now - timedelta(days=400 * rng.random() ** 1.5)
        rows.append({"id": user_id, "email": f"member{user_id}@bulk.test", "display_name": name,
                     "display_name_key": name.casefold(), "password_hash": password, "role": "member",
                     "timezone": "Asia/Shanghai", "created_at": joined, "session_token": f"bulk{user_id}",
                     "consent_version": 1, "consent_at": joined})
    for chunk in range(0, len(rows), 5000):
        db.session.execute(sa.insert(User), rows[chunk:chunk + 5000])
    return [row["id"] for row in rows]


def _insert_threads_and_posts(rng, categories, member_ids, threads, posts, now, progress) -> dict:
    bodies = _bodies(rng)
    names = dict(db.session.execute(sa.select(User.id, User.display_name).where(User.id.in_(member_ids))).all())
    pick = _Picker(rng, rng.sample(member_ids, len(member_ids)))
    replies = _allocate(rng, threads, posts - threads)
    thread_start, post_id, reaction_id = _max_id(Thread) + 1, _max_id(Post) + 1, _max_id(Reaction) + 1
    counts = {"user_posts": {}, "user_threads": {}, "categories": {}, "reactions": 0}
    written = 0
    for chunk_start in range(0, threads, BATCH_THREADS):
        thread_rows, post_rows, reaction_rows = [], [], []
        for index in range(chunk_start, min(threads, chunk_start + BATCH_THREADS)):
            thread_id = thread_start + index
            size = replies[index] + 1
            created = now - timedelta(days=365 * rng.random() ** 2.2, minutes=size * 3)
            author = pick()
            category = rng.choice(categories)
            when, reactions_total, last_author = created, 0, author
            for number in range(1, size + 1):
                poster = author if number == 1 else pick()
                body, html, digest = rng.choice(bodies)
                upvotes = _upvotes(rng)
                voters = {pick() for _ in range(upvotes)} - {poster}
                post_rows.append({"id": post_id, "thread_id": thread_id, "number": number, "author_id": poster,
                                  "author_name": names[poster], "body": body, "body_html": html, "body_hash": digest,
                                  "created_at": when, "state": "published", "reaction_count": len(voters),
                                  "edit_count": 0, "spam_score": 0})
                for voter in voters:
                    reaction_rows.append({"id": reaction_id, "post_id": post_id, "user_id": voter,
                                          "created_at": when + timedelta(minutes=rng.randint(1, 600))})
                    reaction_id += 1
                reactions_total += len(voters)
                counts["user_posts"][poster] = counts["user_posts"].get(poster, 0) + 1
                post_id += 1
                last_author = poster
                if number < size:
                    when = min(when + timedelta(minutes=rng.expovariate(1 / 90)), now)
            counts["user_threads"][author] = counts["user_threads"].get(author, 0) + 1
            cat = counts["categories"].setdefault(category, {"threads": 0, "posts": 0, "last": None})
            cat["threads"] += 1
            cat["posts"] += size
            cat["last"] = max(cat["last"] or when, when)
            thread_rows.append({"id": thread_id, "category_id": category, "title": _title(rng, bodies),
                                "author_id": author, "author_name": names[author], "created_at": created,
                                "last_post_at": when, "last_poster_name": names[last_author], "post_count": size,
                                "reaction_count": reactions_total, "state": "published", "is_pinned": False,
                                "is_locked": False, "is_pinned_globally": False, "is_featured": False})
        db.session.execute(sa.insert(Thread), thread_rows)
        for offset in range(0, len(post_rows), 20_000):
            db.session.execute(sa.insert(Post), post_rows[offset:offset + 20_000])
        for offset in range(0, len(reaction_rows), 20_000):
            db.session.execute(sa.insert(Reaction), reaction_rows[offset:offset + 20_000])
        counts["reactions"] += len(reaction_rows)
        previous, written = written, written + len(post_rows)
        if written // 100_000 > previous // 100_000 or chunk_start + BATCH_THREADS >= threads:
            progress(f"{written} posts")
    return counts


def _upvotes(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.6:
        return 0
    return min(int(rng.paretovariate(1.6)), 30)


def _title(rng: random.Random, bodies) -> str:
    text = rng.choice(bodies)[0]
    first = text.split("。")[0].split(". ")[0].split("？")[0].split("?")[0]
    return first[:80] if len(first) >= 3 else text[:80]


def _update_counters(counts: dict) -> None:
    users = User.__table__
    conn = db.session.connection()
    for column, key in (("post_count", "user_posts"), ("thread_count", "user_threads")):
        if counts[key]:
            conn.execute(sa.update(users).where(users.c.id == sa.bindparam("uid"))
                         .values({column: users.c[column] + sa.bindparam("n")}),
                         [{"uid": uid, "n": n} for uid, n in counts[key].items()])
    for category_id, stats in counts["categories"].items():
        category = db.session.get(Category, category_id)
        category.thread_count += stats["threads"]
        category.post_count += stats["posts"]
        category.last_post_at = max(filter(None, [category.last_post_at, stats["last"]]))
