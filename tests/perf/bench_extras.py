"""Activities and notifications for the benchmark's member pages: `python -m tests.perf.bench_extras EMAIL`.

Run once after `flask demo seed`, in the database named by TEAHOUSE_DATABASE_URL: a host opens a task (three
answers, one accepted), a closed task and a poll on the longest thread, and the member EMAIL receives 60
notifications (40 unread). Small and set-based, so it takes the same second at 10,000 and at 10,000,000 posts.
Prints the open task's id.
"""
from __future__ import annotations

import sys
from datetime import timedelta

import sqlalchemy as sa

from app import create_app
from app.db import utcnow
from app.extensions import db
from app.forum.models import Thread
from app.members.models import User
from app.members.notifications import Notification, notify_many
from app.polls import services as polls
from app.tasks import services as tasks

HOST_EMAIL = "bench-host@example.test"


def add_extras(email: str) -> int:
    member = db.session.scalar(sa.select(User).where(User.email == email))
    host = db.session.scalar(sa.select(User).where(User.email == HOST_EMAIL))
    others = db.session.scalars(sa.select(User).where(User.email.like("%@bulk.test")).order_by(User.id).limit(12)).all()
    now = utcnow()
    task = tasks.save_task(
        None, by=host, title="Diary: your evening skincare routine / 晚间护肤日记",
        instructions="Tell us, step by step, what you did tonight and why.\n\n请一步一步告诉我们今晚的护肤流程和原因。",
        opens_at=now - timedelta(days=2), due_at=now + timedelta(days=5), min_photos=0, points=20, is_masked=False)
    answers = [tasks.submit(task, user=other, text=f"Cleanser, toner, then a cream. 卸妆、洗面奶、精华 {n}.", files=[],
                            now=now - timedelta(hours=n + 1)) for n, other in enumerate(others[:3])]
    tasks.review(answers[0], "accept", by=host, note="Thank you! 谢谢分享！")
    tasks.save_task(None, by=host, title="First impressions of the new sunscreen",
                    instructions="Texture, smell and white cast after three days.", opens_at=now - timedelta(days=20),
                    due_at=now - timedelta(days=10), min_photos=0, points=10, is_masked=False)
    thread = db.session.scalar(sa.select(Thread).order_by(Thread.post_count.desc(), Thread.id).limit(1))
    poll = polls.create_poll(thread, by=host, question="Which texture do you prefer? 你更喜欢哪种质地？",
                             options=["Gel 啫喱", "Cream 面霜", "Oil 精油", "Balm 膏状"],
                             closes_at=now + timedelta(days=4), now=now - timedelta(days=1))
    for n, other in enumerate(others[3:]):
        polls.vote(poll, user=other, option_ids=[poll.options[n % 4].id], now=now - timedelta(hours=3))
    notify_many("reply", [(member.id, f"{others[n % 12].display_name} replied in a thread you follow ({n})")
                          for n in range(60)], url=f"/t/{thread.id}", now=now - timedelta(hours=2))
    db.session.flush()
    older = sa.select(Notification.id).where(Notification.user_id == member.id).order_by(Notification.id).limit(20)
    db.session.execute(sa.update(Notification).where(Notification.id.in_(older)).values(read_at=now))
    db.session.commit()
    return task.id


def main() -> None:
    app = create_app()
    with app.app_context():
        print(add_extras(sys.argv[1]))


if __name__ == "__main__":
    main()
