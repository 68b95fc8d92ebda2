"""One-click unsubscribe (RFC 8058) from a signed link: no login, no CSRF token, forged links refused."""
from __future__ import annotations

import re

from app.mailing import outbox, preferences
from app.mailing.render import unsubscribe_token
from tests.mail.helpers import send_all


def _link_path(message) -> str:
    return re.match(r"<https://community\.teahouse\.test(\S+)>", message["List-Unsubscribe"]).group(1)


def test_one_click_post_from_the_mail_header_unsubscribes_without_login(app, db, member, smtp_server):
    outbox.queue(member, "reply", "u1", {"template": "notice", "category": "replies", "text": "hi", "url": "/"})
    db.session.commit()
    send_all()
    path = _link_path(smtp_server.messages[0])
    app.config["WTF_CSRF_ENABLED"] = True  # as in production: the signed token, not a CSRF token, is the proof
    try:
        response = app.test_client().post(path, data={"List-Unsubscribe": "One-Click"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 200
    assert preferences.choices(member.id)["replies"] == preferences.NEVER
    assert preferences.choices(member.id)["mentions"] == preferences.IMMEDIATE


def test_the_link_opened_in_a_browser_asks_before_unsubscribing(app, db, member):
    client = app.test_client()
    page = client.get(f"/mail/unsubscribe/{unsubscribe_token(member.id, 'digest')}")
    assert page.status_code == 200 and "digest" in page.get_data(as_text=True)
    assert preferences.choices(member.id)["digest"] == preferences.WEEKLY  # a GET (link scanners) changes nothing
    client.post(f"/mail/unsubscribe/{unsubscribe_token(member.id, 'digest')}")
    assert preferences.choices(member.id)["digest"] == preferences.NEVER


def test_unsubscribe_from_everything(app, db, member):
    app.test_client().post(f"/mail/unsubscribe/{unsubscribe_token(member.id, 'all')}")
    assert set(preferences.choices(member.id).values()) == {preferences.NEVER}


def test_a_forged_or_altered_token_is_refused(app, db, member):
    token = unsubscribe_token(member.id, "replies")
    client = app.test_client()
    assert client.post(f"/mail/unsubscribe/{token[:-2]}xx").status_code == 404
    assert client.post("/mail/unsubscribe/not-a-token").status_code == 404
    assert preferences.choices(member.id)["replies"] == preferences.IMMEDIATE


def test_preferences_page_needs_login_and_saves_choices(app, db, member_client, moderator_client, member):
    assert app.test_client().get("/mail/preferences").status_code == 302
    page = member_client.get("/mail/preferences").get_data(as_text=True)
    assert "Replies to my threads" in page and "waiting longer than our promise" not in page
    assert "waiting longer than our promise" in moderator_client.get("/mail/preferences").get_data(as_text=True)
    response = member_client.post("/mail/preferences", data={"c_replies": "digest", "c_mentions": "never",
                                                             "digest": "daily"})
    assert response.status_code == 302
    modes = preferences.choices(member.id)
    assert (modes["replies"], modes["mentions"], modes["digest"]) == ("digest", "never", "daily")


def test_a_bad_choice_keeps_the_form_with_a_message(member_client, member):
    response = member_client.post("/mail/preferences", data={"c_replies": "hourly", "digest": "daily"})
    assert response.status_code == 200 and "Not a valid choice" in response.get_data(as_text=True)
    assert preferences.choices(member.id)["replies"] == preferences.IMMEDIATE
