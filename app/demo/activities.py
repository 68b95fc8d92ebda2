"""Demo activities and reactions, so a fresh quick start shows a living community."""
from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa

from app.db import utcnow
from app.extensions import db
from app.forum import services as forum
from app.forum.models import Post
from app.members.models import User
from app.tasks import services as tasks


def seed_demo_activities(host: User, members: list[User], rng: random.Random) -> None:
    """Upvotes on a share of posts, an open masked task with answers, and a closed one."""
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
    for member, text in zip(members[:3], answers):
        tasks.submit(diary, user=member, text=text, files=[], now=now - timedelta(hours=rng.randint(2, 30)))
    tasks.save_task(
        None, by=host, title="First impressions of the new sunscreen",
        instructions="Use it for three days and tell us about texture, smell and white cast.",
        opens_at=now - timedelta(days=20), due_at=now - timedelta(days=10), min_photos=0, points=10,
        is_masked=False)
