"""Tasks: create, publish, answer with photos, masking, review with notifications, My tasks."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from PIL import Image

from app.audit.models import AuditEvent
from app.core.exceptions import DomainError
from app.db import utcnow
from app.members.notifications import Notification
from app.tasks import services
from app.tasks.models import TaskSubmission
from app.uploads.models import Upload


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def task_factory(db, moderator):
    def make(*, by=None, min_photos: int = 0, is_masked: bool = True, due_in=timedelta(days=3), points: int = 10):
        now = utcnow()
        task = services.save_task(None, by=by or moderator, title="Photo of your shelf",
                                  instructions="Show us **your** skincare shelf.", opens_at=now - timedelta(hours=1),
                                  due_at=now + due_in, min_photos=min_photos, points=points, is_masked=is_masked)
        db.session.commit()
        return task

    return make


def test_hosts_publish_at_once_researchers_draft(task_factory, researcher, moderator, db):
    assert task_factory().is_published
    draft = task_factory(by=researcher)
    assert not draft.is_published
    assert services.publish_task(draft, by=moderator) and draft.is_published
    assert db.session.scalar(sa.select(AuditEvent.verb).where(AuditEvent.verb == "task.publish"))


def test_due_time_must_follow_opening(moderator, db):
    now = utcnow()
    with pytest.raises(DomainError) as error:
        services.save_task(None, by=moderator, title="Bad", instructions="x", opens_at=now, due_at=now,
                           min_photos=0, points=1, is_masked=True)
    assert error.value.field in ("due_at", "title")


def test_member_cannot_create_tasks(member, db):
    now = utcnow()
    with pytest.raises(DomainError):
        services.save_task(None, by=member, title="Nope", instructions="x", opens_at=now,
                           due_at=now + timedelta(days=1), min_photos=0, points=1, is_masked=True)


def test_one_submission_per_member_edited_until_due(task_factory, member, db):
    task = task_factory()
    first = services.submit(task, user=member, text="First answer", files=[])
    second = services.submit(task, user=member, text="Better answer", files=[])
    db.session.commit()
    assert first.id == second.id and second.text == "Better answer"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TaskSubmission)) == 1
    with pytest.raises(DomainError, match="not open"):
        services.submit(task, user=member, text="Too late", files=[], now=task.due_at + timedelta(minutes=1))


def test_parallel_answers_from_one_member_leave_one_submission(task_factory, member, db, parallel):
    """Six simultaneous submits (a double click, two tabs) leave one submission and no error."""
    from app.members.models import User
    from app.tasks.models import Task

    task_id, member_id = task_factory().id, member.id

    def submit(index: int) -> None:
        services.submit(db.session.get(Task, task_id), user=db.session.get(User, member_id),
                        text=f"Answer {index}", files=[])

    assert parallel(6, submit) == []
    rows = db.session.scalars(sa.select(TaskSubmission).where(TaskSubmission.task_id == task_id)).all()
    assert len(rows) == 1 and rows[0].user_id == member_id and rows[0].text.startswith("Answer ")


def test_researchers_cannot_answer(task_factory, researcher):
    with pytest.raises(DomainError):
        services.submit(task_factory(), user=researcher, text="observer", files=[])


def test_masked_task_hides_others_until_member_answers(task_factory, user_factory, db):
    task = task_factory()
    alice, bob = user_factory(), user_factory()
    services.submit(task, user=alice, text="Alice's shelf", files=[])
    db.session.commit()
    seen, masked = services.visible_submissions(task, bob)
    assert seen == [] and masked
    services.submit(task, user=bob, text="Bob's shelf", files=[])
    seen, masked = services.visible_submissions(task, bob)
    assert {s.text for s in seen} == {"Alice's shelf", "Bob's shelf"} and not masked


def test_researchers_see_every_submission_regardless_of_masking(task_factory, member, researcher, db):
    task = task_factory()
    services.submit(task, user=member, text="Mine", files=[])
    assert [s.text for s in services.visible_submissions(task, researcher)[0]] == ["Mine"]


def test_accept_notifies_and_ask_for_more_lets_member_resubmit(task_factory, member, moderator, db):
    task = task_factory()
    submission = services.submit(task, user=member, text="Short", files=[])
    with pytest.raises(DomainError):
        services.review(submission, "needs_more", by=moderator, note="")
    assert services.review(submission, "needs_more", by=moderator, note="Add a photo please")
    assert submission.status == "needs_more"
    services.submit(task, user=member, text="Longer answer", files=[])
    assert submission.status == "submitted"
    assert services.review(submission, "accept", by=moderator)
    assert not services.review(submission, "accept", by=moderator)
    db.session.commit()
    texts = db.session.scalars(sa.select(Notification.text).where(Notification.user_id == member.id)).all()
    assert any("a little more" in t for t in texts) and any("accepted" in t for t in texts)


def test_my_tasks_groups_open_due_soon_and_done(task_factory, member, db):
    soon, later, done = task_factory(due_in=timedelta(hours=5)), task_factory(), task_factory()
    services.submit(done, user=member, text="Done", files=[])
    db.session.commit()
    groups = services.my_tasks(member, utcnow())
    assert [t.id for t, _ in groups["due_soon"]] == [soon.id]
    assert [t.id for t, _ in groups["open"]] == [later.id]
    assert [t.id for t, _ in groups["done"]] == [done.id]


# --- views ---------------------------------------------------------------------------------------------


def test_member_answers_with_photos_and_the_photo_is_served_safely(task_factory, member_client, member, db):
    task = task_factory(min_photos=1)
    response = member_client.post(f"/tasks/{task.id}", data={
        "text": "Here is my shelf", "photos": [(io.BytesIO(_jpeg()), "shelf.jpg")]},
        content_type="multipart/form-data")
    assert response.status_code == 302
    upload = db.session.scalar(sa.select(Upload))
    assert upload.attached_type == "task_submission"
    with member_client.get(upload.url) as image:
        assert image.status_code == 200 and image.mimetype == "image/jpeg"
        assert image.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in image.headers["Content-Security-Policy"]
        assert image.get_data()[:2] == b"\xff\xd8"


def test_missing_required_photo_keeps_the_typed_answer(task_factory, member_client):
    task = task_factory(min_photos=1)
    page = member_client.post(f"/tasks/{task.id}", data={"text": "My careful words"},
                              content_type="multipart/form-data")
    assert page.status_code == 200
    assert b"My careful words" in page.data and b"at least 1 photo." in page.data


def test_hostile_upload_through_the_form_gets_a_clear_message(task_factory, member_client, db):
    task = task_factory(min_photos=1)
    page = member_client.post(f"/tasks/{task.id}", data={
        "text": "answer", "photos": [(io.BytesIO(b"<?php echo 1; ?>"), "x.jpg")]}, content_type="multipart/form-data")
    assert page.status_code == 200 and b"not an image" in page.data
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TaskSubmission)) == 0


def test_masked_photo_is_not_served_to_members_who_have_not_answered(task_factory, app, member, user_factory, db):
    from tests.conftest import login_as

    task = task_factory(min_photos=1)
    owner_client = login_as(app.test_client(), member)
    owner_client.post(f"/tasks/{task.id}", data={"text": "mine", "photos": [(io.BytesIO(_jpeg()), "a.jpg")]},
                      content_type="multipart/form-data")
    url = db.session.scalar(sa.select(Upload)).url
    other = login_as(app.test_client(), user_factory())
    assert other.get(url).status_code == 404
    page = other.get(f"/tasks/{task.id}")
    assert b"mine" not in page.data and b"masked" in page.data


def test_moderator_reviews_from_the_task_page(task_factory, member, moderator_client, db):
    task = task_factory()
    submission = services.submit(task, user=member, text="answer", files=[])
    db.session.commit()
    response = moderator_client.post(f"/tasks/submissions/{submission.id}/review", data={"accept": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(TaskSubmission, submission.id).status == "accepted"


def test_member_cannot_create_or_review_tasks(member_client, task_factory, member, db):
    task = task_factory()
    submission = services.submit(task, user=member, text="answer", files=[])
    db.session.commit()
    assert member_client.get("/tasks/new").status_code == 403
    assert member_client.post(f"/tasks/submissions/{submission.id}/review", data={"accept": "1"}).status_code == 403
    assert member_client.post(f"/tasks/{task.id}/publish").status_code == 403


def test_draft_task_is_invisible_to_members(task_factory, researcher, member_client):
    draft = task_factory(by=researcher)
    assert member_client.get(f"/tasks/{draft.id}").status_code == 404


def test_my_tasks_page_lists_the_member_tasks(task_factory, member_client):
    task_factory()
    page = member_client.get("/tasks/")
    assert page.status_code == 200 and b"Photo of your shelf" in page.data


# --- assignment, editing rights, partial uploads ---------------------------------------------------------


def test_members_are_told_about_a_new_task_but_hosts_researchers_and_suspended_members_are_not(
        task_factory, user_factory, researcher, moderator, db):
    alice, bob, away = user_factory(), user_factory(), user_factory()
    away.suspended_at = utcnow()
    db.session.commit()
    task = task_factory()
    told = db.session.scalars(sa.select(Notification).where(Notification.kind == "task_assigned")).all()
    assert {n.user_id for n in told} == {alice.id, bob.id}
    assert all(n.url == f"/tasks/{task.id}" and "Photo of your shelf" in n.text for n in told)


def test_a_researchers_draft_is_announced_when_a_host_publishes_it(task_factory, member, researcher, moderator, db):
    draft = task_factory(by=researcher)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 0
    assert services.publish_task(draft, by=moderator)
    assert not services.publish_task(draft, by=moderator)
    db.session.commit()
    assert db.session.scalars(sa.select(Notification.user_id).where(
        Notification.kind == "task_assigned")).all() == [member.id]


def test_a_task_assignment_shows_in_the_members_unread_counter(task_factory, member, member_client, db):
    task_factory()
    page = member_client.get("/notifications").get_data(as_text=True)
    assert "A new task for you" in page
    assert 'class="badge-unread">1<' in member_client.get("/tasks/").get_data(as_text=True).replace(" ", "")


def test_researchers_edit_only_their_own_drafts(task_factory, researcher, user_factory, moderator, db):
    published = task_factory()
    draft = task_factory(by=researcher)
    fields = {"title": "Changed", "instructions": "New words", "opens_at": draft.opens_at, "due_at": draft.due_at,
              "min_photos": 0, "points": 5, "is_masked": True}
    with pytest.raises(DomainError):
        services.save_task(published, by=researcher, **fields)
    with pytest.raises(DomainError):
        services.save_task(draft, by=user_factory(role="researcher"), **fields)
    assert services.save_task(draft, by=researcher, **fields).title == "Changed"
    assert services.save_task(draft, by=moderator, **fields).title == "Changed"


def test_the_edit_page_refuses_researchers_on_a_hosts_task(task_factory, researcher_client):
    task = task_factory()
    assert researcher_client.get(f"/tasks/{task.id}/edit").status_code == 403
    assert b"Edit" not in researcher_client.get(f"/tasks/{task.id}").data.split(b"</header>")[0]


def test_when_one_photo_is_refused_none_of_the_others_is_kept(task_factory, member_client, db):
    from app.uploads.services import upload_dir

    task = task_factory(min_photos=1)
    before = set(upload_dir().iterdir())
    page = member_client.post(f"/tasks/{task.id}", data={"text": "two photos", "photos": [
        (io.BytesIO(_jpeg()), "good.jpg"), (io.BytesIO(b"\x00" * 10), "bad.jpg")]}, content_type="multipart/form-data")
    assert page.status_code == 200 and b"not an image" in page.data and b"two photos" in page.data
    assert set(upload_dir().iterdir()) == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Upload)) == 0


def test_researchers_do_not_answer_through_the_page(task_factory, researcher_client, db):
    task = task_factory()
    assert researcher_client.post(f"/tasks/{task.id}", data={"text": "I observe"}).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TaskSubmission)) == 0


@pytest.mark.parametrize("field, value, message", [
    ("due_at", "9999-12-31T23:59", "between 2000 and 2100"),
    ("opens_at", "0001-01-01T00:00", "between 2000 and 2100"),
    ("opens_at", "yesterday", "Not a valid datetime"),
    ("points", "9" * 400, "too large"),
    ("points", "²", "Not a valid integer"),
    ("min_photos", "6", "between 0 and 5"),
    ("points", "", "This field is required"),
])
def test_the_task_form_refuses_bad_values_and_keeps_the_rest(moderator_client, moderator, db, field, value, message):
    moderator.timezone = "America/New_York"
    db.session.commit()
    data = {"title": "Shelf photo", "instructions": "Show us your shelf", "opens_at": "2030-01-01T09:00",
            "due_at": "2030-01-08T09:00", "min_photos": "0", "points": "10", "is_masked": "y", field: value}
    page = moderator_client.post("/tasks/new", data=data)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and message in text and "Show us your shelf" in text
