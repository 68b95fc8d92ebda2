"""Demo activities and reactions, so a fresh quick start shows a living community."""
from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa

from app.competitions import services as competitions
from app.db import utcnow
from app.demo import pictures
from app.demo.lively import seed_lively
from app.extensions import db
from app.forum import services as forum
from app.forum.models import Category, Post, Thread
from app.members.models import User
from app.polls import services as polls
from app.segments import services as segments
from app.tasks import services as tasks

SEGMENTS = [("age_band", "Age band 年龄段", ["18-24", "25-34", "35-44", "45+"], False),
            ("city_tier", "City tier 城市级别", ["Tier 1 一线", "Tier 2 二线", "Tier 3+ 三线及以下"], True),
            ("skin_type", "Skin type 肤质", ["Dry 干性", "Oily 油性", "Combination 混合", "Sensitive 敏感"], True)]


def seed_demo_activities(host: User, members: list[User], rng: random.Random) -> None:
    """Upvotes, an open masked task with answers (one accepted), a closed task, a poll with ballots, a
    competition in its voting window, and segment values for every member (so breakdowns have data)."""
    posts = db.session.scalars(sa.select(Post).where(Post.state == "published")).all()
    for post in rng.sample(posts, k=min(len(posts), 40)):
        for fan in rng.sample(members, k=rng.randint(1, 4)):
            if fan.id != post.author_id:
                forum.toggle_reaction(post, user=fan)
    now = utcnow()
    diary = tasks.save_task(
        None, by=host, title="Diary: your evening skincare routine / 晚间护肤日记",
        instructions="Tell us, step by step, what you did tonight and why. A photo of your shelf is welcome.\n\n"
                     "请一步一步告诉我们今晚的护肤流程和原因，欢迎附上一张护肤品的照片。",
        opens_at=now - timedelta(days=2), due_at=now + timedelta(days=5), min_photos=0, points=20, is_masked=True)
    answers = ["Cleanser, toner, then a thick cream. Skipped serum because my skin felt tight.",
               "卸妆、洗面奶、精华，最后涂面霜。最近换季，皮肤有点干。",
               "Just micellar water tonight, I was too tired!"]
    submitted = [tasks.submit(diary, user=member, text=text, files=[], now=now - timedelta(hours=rng.randint(2, 30)))
                 for member, text in zip(members[:3], answers)]
    tasks.review(submitted[0], "accept", by=host, note="Thank you, very detailed! 谢谢分享！")
    tasks.save_task(
        None, by=host, title="First impressions of the new sunscreen",
        instructions="Use it for three days and tell us about texture, smell and white cast.",
        opens_at=now - timedelta(days=20), due_at=now - timedelta(days=10), min_photos=0, points=10,
        is_masked=False)
    _seed_segments(members, rng)
    _seed_poll(host, members, rng, now)
    _seed_competition(host, members, now)
    seed_lively(host, members, rng, now)


def _seed_segments(members: list[User], rng: random.Random) -> None:
    for position, (key, label, values, editable) in enumerate(SEGMENTS):
        attribute = segments.save_attribute(None, by=None, key=key, label=label, values=values,
                                            member_editable=editable, position=position)
        db.session.flush()
        for member in members:
            value = rng.choice(attribute.values)
            segments.set_values(member, {attribute.id: value.id}, by=None, source="import")


def _seed_poll(host: User, members: list[User], rng: random.Random, now) -> None:
    thread = db.session.scalar(sa.select(Thread).order_by(Thread.post_count.desc(), Thread.id).limit(1))
    poll = polls.create_poll(thread, by=host, question="Which texture do you prefer? 你更喜欢哪种质地？",
                             options=["Gel 啫喱", "Cream 面霜", "Oil 精油", "Balm 膏状"],
                             closes_at=now + timedelta(days=4), now=now - timedelta(days=1))
    for member in members[:-2]:
        polls.vote(poll, user=member, option_ids=[rng.choice(poll.options).id], now=now - timedelta(hours=3))


def _seed_competition(host: User, members: list[User], now) -> None:
    category = db.session.scalar(sa.select(Category).order_by(Category.position).limit(1))
    start = now - timedelta(days=3)
    windows = competitions.Windows(start, now - timedelta(hours=6), now - timedelta(hours=6), now + timedelta(days=2))
    contest = competitions.save_competition(
        None, by=host, title="Best shelfie 最美护肤架", prize="A travel kit of our new line 新品旅行套装",
        rules_text="Show us your skincare shelf and tell us about one product you would never give up.\n\n"
                   "晒出你的护肤品架，并说说你最离不开的一件产品。",
        category=category, windows=windows, judging="members", entry_points=5, win_points=50, winner_count=1,
        now=start)
    texts = [("Tiny bathroom, big love", "Everything fits on one shelf. The sunscreen is the one I never skip."),
             ("我的梳妆台", "面霜是冬天的救星，一直回购。"),
             ("Minimalist", "Three products, that is all.")]
    rng = random.Random(len(texts))
    entries = [competitions.enter(contest, user=member, title=title, body=body, now=start + timedelta(hours=i + 1),
                                  photo=pictures.as_upload(pictures.shelf(rng, title), f"shelf-{i}.jpg"))
               for i, (member, (title, body)) in enumerate(zip(members[3:6], texts))]
    for i, voter in enumerate(members[6:]):
        competitions.vote(entries[i % 2], user=voter, now=now - timedelta(hours=1))
