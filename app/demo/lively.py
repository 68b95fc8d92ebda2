"""What makes the demo look lived in at first sight: avatars, photos in posts, fresh replies (so Trending shows real
counts), an @mention, and a competition still taking entries (with photos)."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.competitions import services as competitions
from app.demo import pictures
from app.extensions import db
from app.forum import services as forum
from app.forum.models import Category, Thread
from app.members.avatars import set_avatar
from app.members.models import User

DESK_REPLIES = [("desk", "My desk this morning: laptop, one plant, far too many lipsticks. 桌面有点乱哈哈"),
                ("desk", "Working from home corner — the lamp was a gift. 台灯是朋友送的。"),
                ("shelf", "Not my desk but my shelf, since that is where the real mess is 😅")]
FRESH_REPLIES = ["Same here! 我也是这样。", "Just tried this last night — agree with everything above.",
                 "有没有人试过新出的那款？", "Saving this thread, so useful.", "Good point, I had not thought of that.",
                 "周末去店里试了一下，质地不错。", "+1, and the price is fair too.", "我觉得包装还可以再改进。"]


def seed_lively(host: User, members: list[User], rng: random.Random, now: datetime) -> None:
    """Avatars for half the members, photo replies, replies within the trending window, an open competition."""
    for index, member in enumerate(members[::2]):
        set_avatar(member, pictures.as_upload(pictures.avatar(rng), f"avatar-{index}.jpg"))
    _photo_replies(members, rng, now)
    _fresh_replies(members, rng, now)
    _open_competition(host, members, rng, now)


def _thread(title: str) -> Thread | None:
    return db.session.scalar(sa.select(Thread).where(Thread.title == title))


def _photo_replies(members: list[User], rng: random.Random, now: datetime) -> None:
    desk = _thread("Introduce yourself with one photo of your desk")
    if desk is not None:
        for n, (kind, text) in enumerate(DESK_REPLIES):
            author = members[(n * 5 + 1) % len(members)]
            draw = pictures.desk if kind == "desk" else pictures.shelf
            forum.reply(desk, author=author, body=text, now=now - timedelta(hours=20 - n * 6),
                        files=[pictures.as_upload(draw(rng, f"{author.display_name} · {kind}"), f"IMG_{n}.jpg")])
    lipstick = _thread("What do you look for in a lipstick?")
    if lipstick is not None:
        forum.reply(lipstick, author=members[4], now=now - timedelta(hours=5),
                    body=f"@{members[0].display_name} these are my swatches from today, left to right: matte to gloss. "
                         "试色图如下。",
                    files=[pictures.as_upload(pictures.swatch(rng, "swatches 试色"), "swatch1.jpg"),
                           pictures.as_upload(pictures.swatch(rng, "after lunch 午饭后"), "swatch2.jpg")])


def _fresh_replies(members: list[User], rng: random.Random, now: datetime) -> None:
    """Replies over the last two days on the newest threads, so the Trending panel counts real replies and people."""
    threads = db.session.scalars(sa.select(Thread).join(Category).where(Category.is_inquiry.is_(False))
                                 .order_by(Thread.created_at.desc()).limit(8)).all()
    for rank, thread in enumerate(threads):
        repliers = rng.sample([m for m in members if m.id != thread.author_id], k=min(len(members) - 1, 6 - rank // 2))
        for n, member in enumerate(repliers):
            when = now - timedelta(hours=rank * 5 + (len(repliers) - n) * 1.5)
            if when > thread.last_post_at:
                forum.reply(thread, author=member, body=rng.choice(FRESH_REPLIES), now=when)


def _open_competition(host: User, members: list[User], rng: random.Random, now: datetime) -> None:
    category = db.session.scalar(sa.select(Category).order_by(Category.position).offset(2).limit(1))
    windows = competitions.Windows(now - timedelta(days=1), now + timedelta(days=4), now + timedelta(days=4),
                                   now + timedelta(days=7))
    contest = competitions.save_competition(
        None, by=host, title="Desk makeover 桌面改造大赛", prize="A desk lamp and a sample box 台灯和小样礼盒",
        rules_text="Entries are open: show us your desk (or vanity) after a tidy-up and tell us what changed.\n\n"
                   "参赛进行中：晒出整理后的桌面或梳妆台，说说有什么变化。",
        category=category, windows=windows, judging="members", entry_points=5, win_points=50, winner_count=1,
        now=now - timedelta(days=1))
    for n, member in enumerate(members[6:8]):
        competitions.enter(contest, user=member, title=f"{member.display_name}'s corner", now=now - timedelta(hours=8 - n),
                           body="Cleared everything, kept only what I use daily. 只留下每天用的东西。",
                           photo=pictures.as_upload(pictures.desk(rng, "after 整理后"), f"entry-{n}.jpg"))
