"""Hosts' announcements: each refused text is reported against its own field, on the page too."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.core.exceptions import DomainError
from app.landing.models import Announcement
from app.landing.services import save_announcement


@pytest.mark.parametrize(("title", "body", "field", "text"), [
    ("Tea\x00time", "Fine body", "title", "NUL character"),
    ("Tea time \ud800", "Fine body", "title", "invalid character"),
    ("\x01\x02ab\x7f", "Fine body", "title", "3 to 200 characters"),
    ("Tea time", "Bad\x00body", "body", "NUL character"),
    ("Tea time", "Bad \udfff body", "body", "invalid character"),
])
def test_each_refused_announcement_text_is_reported_against_its_own_field(db, moderator, title, body, field, text):
    with pytest.raises(DomainError) as error:
        save_announcement(None, by=moderator, title=title, body=body)
    assert error.value.field == field and text in error.value.message
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Announcement)) == 0


def test_announcement_title_is_cleaned_and_the_body_rendered(db, moderator):
    announcement = save_announcement(None, by=moderator, title="  Tea\u200b \x07time  ", body=" Say **hi** ")
    assert announcement.title == "Tea time" and announcement.body == "Say **hi**"
    assert "<strong>hi</strong>" in announcement.body_html
    assert db.session.scalar(sa.select(AuditEvent.verb)) == "announcement.create"


@pytest.mark.parametrize(("data", "shown"), [
    ({"title": "Tea\x00time", "body": "Fine"}, "The text contains a NUL character"),
    ({"title": "Tea time", "body": "Bad\x00body"}, "The text contains a NUL character"),
    ({"title": "\x01\x02ab", "body": "Fine"}, "A title has 3 to 200 characters."),
    ({"title": "", "body": "Fine"}, "This field is required."),
    ({"title": "Tea time", "body": "x" * 5001}, "Field cannot be longer than 5000 characters."),
])
def test_a_refused_announcement_comes_back_open_with_what_was_typed_and_why(db, moderator_client, data, shown):
    page = moderator_client.post("/announcements", data={**data, "position": "7"}).get_data(as_text=True)
    new_box = page.split("New announcement")[1]
    assert '<details class="inline-edit" open>' in page.split("New announcement")[0][-80:]
    assert shown in new_box and "has-error" in new_box and "Announcement saved." not in page
    if data["title"] == "Tea time":  # what the host typed is still there (text that cannot be shown is not)
        assert 'value="Tea time"' in new_box and 'value="7"' in new_box
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Announcement)) == 0


def test_editing_an_announcement_with_a_bad_title_keeps_the_old_one_and_the_typed_text(db, moderator,
                                                                                        moderator_client):
    announcement = save_announcement(None, by=moderator, title="Welcome week", body="Hello")
    db.session.commit()
    page = moderator_client.post(f"/announcements/{announcement.id}",
                                 data={"title": "Oops\x00", "body": "Changed text"}).get_data(as_text=True)
    edit_box, new_box = page.split("New announcement")
    assert "The text contains a NUL character" in edit_box and "Changed text" in edit_box
    assert "has-error" not in new_box and "Changed text" not in new_box  # the blank form stays blank
    db.session.expire_all()
    assert (announcement.title, announcement.body) == ("Welcome week", "Hello")


def test_a_saved_announcement_goes_back_to_the_landing_page(db, moderator_client):
    response = moderator_client.post("/announcements", data={"title": "Tea time", "body": "Say **hi**"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    assert "Announcement saved." in moderator_client.get("/").get_data(as_text=True)
