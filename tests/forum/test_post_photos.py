"""Photos in posts and replies: attached in order, served only where the post may be seen, shown lazy-loaded with
their size, refused with the typed text kept, and exported as links; the composer's preview."""
from __future__ import annotations

import io
import secrets

import pytest
import sqlalchemy as sa
from PIL import Image
from werkzeug.datastructures import FileStorage

from app.core.exceptions import DomainError
from app.core.settings import set_setting
from app.db import ContentState
from app.forum import services
from app.forum.models import Post
from app.uploads.models import Upload
from tests.conftest import login_as


def _jpeg(size=(800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, tuple(secrets.randbelow(256) for _ in range(3))).save(out, "JPEG")
    return out.getvalue()


def _file(name: str = "IMG_2041.jpg", size=(800, 600)) -> FileStorage:
    return FileStorage(stream=io.BytesIO(_jpeg(size)), filename=name)


def _upload_form(body: str, *names: str) -> dict:
    return {"body": body, "photos": [(io.BytesIO(_jpeg()), name) for name in names]}


def test_a_reply_keeps_its_photos_in_the_order_they_were_sent(db, thread_factory, member):
    thread = thread_factory()
    post = services.reply(thread, author=member, body="My desk", files=[_file("a.jpg"), _file("b.jpg")])
    db.session.commit()
    photos = services.photos_of([post.id])[post.id]
    assert [p.original_name for p in photos] == ["a.jpg", "b.jpg"]
    assert all(p.attached_type == services.POST_PHOTOS and p.owner_id == member.id for p in photos)


def test_a_thread_can_open_with_photos(db, category_factory, member):
    thread = services.start_thread(category_factory(), author=member, title="Desk tour", body="Here",
                                   files=[_file()])
    db.session.commit()
    assert len(services.photos_of([thread.opening_post.id])[thread.opening_post.id]) == 1


def test_more_photos_than_a_post_takes_are_refused_and_nothing_is_written(db, thread_factory, member):
    thread = thread_factory()
    with pytest.raises(DomainError, match="At most 6 photos"):
        services.reply(thread, author=member, body="many", files=[_file() for _ in range(7)])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Upload)) == 0


def _photo_url(db, post: Post) -> str:
    return services.photos_of([post.id])[post.id][0].url


def _status(client, url: str) -> int:
    response = client.get(url)
    response.close()  # a served file is streamed: close it
    return response.status_code


def test_a_photo_in_a_hidden_post_is_served_to_its_author_and_hosts_only(app, db, thread_factory, member,
                                                                         user_factory, moderator):
    post = services.reply(thread_factory(), author=member, body="look", files=[_file()])
    db.session.commit()
    url = _photo_url(db, post)
    other = login_as(app.test_client(), user_factory())
    assert _status(other, url) == 200 and _status(other, url + "?w=320") == 200
    post.state, post.hide_reason = ContentState.HIDDEN.value, "off topic"
    db.session.commit()
    assert _status(other, url) == 404 and _status(other, url + "?w=1280") == 404
    assert _status(login_as(app.test_client(), member), url) == 200
    assert _status(login_as(app.test_client(), moderator), url) == 200
    assert _status(app.test_client(), url) == 302  # signed out: to the login page


def test_a_photo_in_a_hidden_thread_is_not_served_to_members(app, db, thread_factory, member, user_factory):
    thread = thread_factory()
    post = services.reply(thread, author=member, body="look", files=[_file()])
    thread.state = ContentState.HIDDEN.value
    db.session.commit()
    assert _status(login_as(app.test_client(), user_factory()), _photo_url(db, post)) == 404


def test_photos_are_served_with_their_type_nosniff_and_a_sandbox(app, db, thread_factory, member):
    post = services.reply(thread_factory(), author=member, body="look", files=[_file(size=(2000, 1500))])
    db.session.commit()
    response = login_as(app.test_client(), member).get(_photo_url(db, post) + "?w=320")
    data = response.get_data()
    response.close()
    assert response.mimetype == "image/jpeg" and response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert Image.open(io.BytesIO(data)).size == (320, 240)


def test_member_replies_with_two_photos_and_the_thread_shows_them_lazy_loaded(member_client, db, thread_factory):
    thread = thread_factory()
    response = member_client.post(f"/t/{thread.id}/reply", data=_upload_form("Two views", "one.jpg", "two.jpg"),
                                  content_type="multipart/form-data")
    assert response.status_code == 302
    page = member_client.get(f"/t/{thread.id}").get_data(as_text=True)
    post = db.session.scalar(sa.select(Post).where(Post.thread_id == thread.id, Post.number == 2))
    for photo in services.photos_of([post.id])[post.id]:
        assert f'href="{photo.url}?w=1280"' in page
        assert f'src="{photo.url}?w=320" width="320" height="240" loading="lazy"' in page
    assert "one.jpg" not in page and "two.jpg" not in page  # the original file names are never shown


def test_a_refused_photo_keeps_the_typed_reply(member_client, db, thread_factory):
    thread = thread_factory()
    page = member_client.post(f"/t/{thread.id}/reply", content_type="multipart/form-data", data={
        "body": "My careful words", "photos": [(io.BytesIO(b"%PDF-1.4 not an image"), "doc.jpg")]})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "My careful words" in text and "not an image we can read" in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Post).where(Post.thread_id == thread.id)) == 1


def test_past_the_daily_quota_the_reply_is_refused_with_a_clear_message(member_client, db, thread_factory):
    set_setting("uploads.daily_quota", 1)
    db.session.commit()
    thread = thread_factory()
    page = member_client.post(f"/t/{thread.id}/reply", data=_upload_form("Kept text", "a.jpg", "b.jpg"),
                              content_type="multipart/form-data")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Kept text" in text and "1 more image today" in text


def test_new_thread_form_takes_photos_without_script(member_client, db, category_factory):
    category = category_factory()
    page = member_client.get(f"/c/{category.id}/new").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page and "multiple" in page
    response = member_client.post(f"/c/{category.id}/new", content_type="multipart/form-data",
                                  data={"title": "My shelf", **_upload_form("Shelf", "shelf.jpg")})
    assert response.status_code == 302


# --- preview -------------------------------------------------------------------------------------------------

def test_preview_button_renders_the_cleaned_text_and_saves_nothing(member_client, db, thread_factory):
    thread = thread_factory()
    page = member_client.post(f"/t/{thread.id}/reply", data={
        "body": "**bold** <script>alert(1)</script>", "preview": "Preview"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "<strong>bold</strong>" in text and "<script>alert" not in text
    assert "**bold**" in text  # the typed text stays in the box
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Post).where(Post.thread_id == thread.id)) == 1


def test_preview_endpoint_answers_json_through_the_same_sanitiser(member_client, user_factory, db):
    mei = user_factory(display_name="Mei")
    answer = member_client.post("/preview", data={"body": "hi @Mei [x](javascript:alert(1))"}).get_json()
    assert f'<a href="/u/{mei.id}" rel="nofollow ugc noopener">@Mei</a>' in answer["html"]
    assert 'href="javascript' not in answer["html"]
    refused = member_client.post("/preview", data={"body": ""})
    assert refused.status_code == 400 and refused.get_json()["error"]


def test_researchers_cannot_use_the_preview(researcher_client):
    assert researcher_client.post("/preview", data={"body": "x"}).status_code == 403


# --- research exports ----------------------------------------------------------------------------------------

def test_exports_list_a_posts_photos_as_links_never_their_file_names(db, thread_factory, member):
    from app.research.transcript import iter_transcript
    from app.research.transcript_filter import TranscriptFilter

    thread = thread_factory()
    post = services.reply(thread, author=member, body="with photos",
                          files=[_file("IMG_holiday_Shanghai.jpg"), _file("secret-name.jpg")])
    db.session.commit()
    # Export id columns hold keyed references, not post ids: find the reply by its text.
    [row] = [row for row in iter_transcript(TranscriptFilter(thread_ids=[thread.id])) if row["text"] == "with photos"]
    links = row["photos"].split("\n")
    assert [link.rpartition("/uploads/")[2] for link in links] == [p.name for p in services.photos_of([post.id])[post.id]]
    assert not any("holiday" in value or "secret-name" in value for value in map(str, row.values()))


def test_a_new_thread_can_be_previewed_before_it_has_a_title(member_client, db, category_factory):
    category = category_factory()
    page = member_client.post(f"/c/{category.id}/new", data={"title": "", "body": "*soon*", "preview": "Preview"})
    assert page.status_code == 200 and "<em>soon</em>" in page.get_data(as_text=True)
    empty = member_client.post(f"/c/{category.id}/new", data={"title": "x", "body": " ", "preview": "Preview"})
    assert "Please write something." in empty.get_data(as_text=True)
