"""The quick-start demo looks lived in: photos in posts and entries (drawn locally), avatars, an open competition,
a poll, a task, an inquiry category with host answers, and a Trending panel with real reply and member counts."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.competitions.models import Competition, CompetitionEntry
from app.db import utcnow
from app.demo.community import seed_demo_community
from app.forum.models import Category, Post, Thread
from app.jobs.registry import get as get_job
from app.jobs.runner import run_job
from app.landing.models import LandingSnapshot
from app.members.models import User
from app.polls.models import Poll
from app.tasks.models import Task
from app.uploads.models import Upload
from app.uploads.services import stored_path
from tests.conftest import shared_rows


@pytest.fixture(scope="module")
def demo(app):
    with shared_rows(app):
        with app.app_context():
            from app.extensions import db

            seed_demo_community()
            db.session.commit()
            run_job(get_job("refresh_hot"), trigger="manual")
        yield


def _count(db, statement) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(statement.subquery()))


def test_posts_and_competition_entries_carry_photos_drawn_locally(demo, db):
    post_photos = db.session.scalars(sa.select(Upload).where(Upload.attached_type == "post")).all()
    entry_photos = db.session.scalars(sa.select(Upload).where(Upload.attached_type == "competition_entry")).all()
    assert len(post_photos) >= 4 and len(entry_photos) >= 3
    assert all(stored_path(upload).is_file() for upload in post_photos + entry_photos)
    desk = db.session.scalar(sa.select(Thread).where(Thread.title.like("Introduce yourself%")))
    photographed = {u.attached_id for u in post_photos}
    assert _count(db, sa.select(Post.id).where(Post.thread_id == desk.id, Post.id.in_(photographed))) >= 2


def test_half_the_members_have_uploaded_avatars(demo, db):
    with_avatar = _count(db, sa.select(User.id).where(User.avatar_name.is_not(None), User.role == "member"))
    assert with_avatar >= 5


def test_a_competition_takes_entries_now_and_a_poll_and_a_task_are_open(demo, db):
    now = utcnow()
    assert _count(db, sa.select(Competition.id).where(Competition.entry_opens_at <= now,
                                                      Competition.entry_closes_at > now)) >= 1
    assert _count(db, sa.select(CompetitionEntry.id)) >= 5
    assert _count(db, sa.select(Poll.id)) >= 1 and _count(db, sa.select(Task.id).where(Task.due_at > now)) >= 1


def test_the_inquiry_category_has_host_answers(demo, db):
    inquiries = db.session.scalar(sa.select(Category).where(Category.is_inquiry.is_(True)))
    hosts = sa.select(User.id).where(User.role == "moderator")
    answers = sa.select(Post.id).join(Thread).where(Thread.category_id == inquiries.id, Post.number > 1,
                                                    Post.author_id.in_(hosts))
    assert _count(db, answers) >= 3


def test_trending_rows_show_real_reply_and_member_counts(demo, db):
    panels = db.session.scalar(sa.select(LandingSnapshot.panels))
    trending = panels["trending"]
    assert len(trending) >= 5
    assert sum(1 for row in trending if row["replies"] > 0 and row["posters"] > 1) >= 5


def test_someone_in_the_demo_was_mentioned(demo, db):
    from app.members.notifications import Notification

    assert _count(db, sa.select(Notification.id).where(Notification.kind == "mention")) >= 1
