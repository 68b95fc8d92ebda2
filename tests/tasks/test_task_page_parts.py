"""The task page's cheaper reads and kept parts: the answer form rendered once per answer text and CSRF token, the
answers read with their photo flags, the task loaded through a prebuilt select. Each shows a change at once."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.db import utcnow
from app.tasks import services
from tests.conftest import login_as
from tests.tasks.test_tasks import _jpeg


@pytest.fixture
def open_task(db, moderator):
    def make(*, is_masked: bool = False, min_photos: int = 0):
        now = utcnow()
        task = services.save_task(None, by=moderator, title="Evening routine", instructions="Tell us.",
                                  opens_at=now - timedelta(hours=1), due_at=now + timedelta(days=2),
                                  min_photos=min_photos, points=5, is_masked=is_masked)
        db.session.commit()
        return task

    return make


def _answer_box(page) -> str:
    return re.search(r'<textarea[^>]*name="text"[^>]*>(.*?)</textarea>', page.get_data(as_text=True), re.DOTALL).group(1)


def test_the_answer_form_shows_the_members_own_text_and_an_edit_at_once(app, open_task, member, user_factory,
                                                                       member_client):
    task = open_task()
    other_client = login_as(app.test_client(), user_factory())
    assert _answer_box(member_client.get(f"/tasks/{task.id}")).strip() == ""
    member_client.post(f"/tasks/{task.id}", data={"text": "Cleanser first"}, content_type="multipart/form-data")
    assert "Cleanser first" in _answer_box(member_client.get(f"/tasks/{task.id}"))
    assert _answer_box(other_client.get(f"/tasks/{task.id}")).strip() == ""  # another member: their own, empty
    member_client.post(f"/tasks/{task.id}", data={"text": "Cream first"}, content_type="multipart/form-data")
    page = member_client.get(f"/tasks/{task.id}")
    assert "Cream first" in _answer_box(page) and "New photos replace" in page.get_data(as_text=True)


def test_a_refused_answer_still_shows_its_errors_and_what_was_typed(open_task, member_client):
    task = open_task(min_photos=1)
    page = member_client.post(f"/tasks/{task.id}", data={"text": "My careful words"},
                              content_type="multipart/form-data").get_data(as_text=True)
    assert "My careful words" in page and 'role="alert"' in page


def test_only_answers_with_photos_show_a_photo_strip(app, open_task, member_client, user_factory, db):
    task = open_task()
    member_client.post(f"/tasks/{task.id}", data={"text": "with a photo", "photos": [(io.BytesIO(_jpeg()), "a.jpg")]},
                       content_type="multipart/form-data")
    login_as(app.test_client(), user_factory()).post(f"/tasks/{task.id}", data={"text": "words only"},
                                                     content_type="multipart/form-data")
    page = member_client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "with a photo" in page and "words only" in page and page.count('class="photo-strip"') == 1


def test_answers_for_finds_the_members_own_and_the_photo_flags(open_task, member, user_factory, db):
    task = open_task()
    other = user_factory()
    theirs = services.submit(task, user=other, text="theirs", files=[])
    db.session.commit()
    answers = services.answers_for(task, member)
    assert answers.mine is None and [s.id for s in answers.shown] == [theirs.id] and not answers.masked
    assert answers.with_photos == []
    mine = services.submit(task, user=member, text="mine", files=[])
    db.session.commit()
    answers = services.answers_for(task, member)
    assert answers.mine.id == mine.id and {s.id for s in answers.shown} == {mine.id, theirs.id}


def test_a_masked_task_shows_others_only_after_answering(open_task, member, user_factory, db):
    task = open_task(is_masked=True)
    services.submit(task, user=user_factory(), text="theirs", files=[])
    db.session.commit()
    answers = services.answers_for(task, member)
    assert answers.mine is None and answers.shown == [] and answers.masked
    services.submit(task, user=member, text="mine", files=[])
    db.session.commit()
    answers = services.answers_for(task, member)
    assert answers.mine is not None and len(answers.shown) == 2 and not answers.masked


def test_a_task_changed_elsewhere_shows_at_once_and_a_missing_one_is_404(open_task, member_client, db):
    task = open_task()
    assert "Evening routine" in member_client.get(f"/tasks/{task.id}").get_data(as_text=True)
    with db.engine.begin() as conn:  # another node's edit
        conn.execute(sa.text("UPDATE task SET title = 'Morning routine' WHERE id = :id"), {"id": task.id})
    assert "Morning routine" in member_client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert member_client.get("/tasks/99999999").status_code == 404
