"""Curation pages and buttons: hosts use them from the thread page, members and researchers get 403."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.forum.models import Category, Post, Thread
from app.members.models import User
from app.members.notifications import Notification


def _verbs(db) -> list[str]:
    """Audited actions, leaving out the categories the factories create."""
    return list(db.session.scalars(sa.select(AuditEvent.verb).where(~AuditEvent.verb.startswith("category."))
                                   .order_by(AuditEvent.id)))


def _thread(db, thread_id: int) -> Thread:
    db.session.expire_all()
    return db.session.get(Thread, thread_id)


def _posts(db, thread_id: int) -> list[Post]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Post).where(Post.thread_id == thread_id).order_by(Post.number)))


# --- the host tools on the thread page -------------------------------------------------------------------

def test_hosts_see_the_tools_on_the_thread_page(moderator_client, admin_client, thread_factory):
    thread = thread_factory()
    for client in (moderator_client, admin_client):
        page = client.get(f"/t/{thread.id}").get_data(as_text=True)
        assert "Host tools" in page and f'/mod/threads/{thread.id}/pin"' in page and "/merge" in page


@pytest.mark.parametrize("client_fixture", ["member_client", "researcher_client"])
def test_members_and_researchers_do_not_see_the_tools(request, client_fixture, thread_factory):
    thread = thread_factory()
    page = request.getfixturevalue(client_fixture).get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Host tools" not in page and "/mod/threads/" not in page


def test_the_tools_carry_no_inline_script_or_style(moderator_client, thread_factory):
    page = moderator_client.get(f"/t/{thread_factory().id}").get_data(as_text=True)
    tools = page[page.index("Host tools"):page.index('class="posts"')]
    assert "onclick" not in tools and "style=" not in tools and "<script" not in tools


# --- one-button actions ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path, data, column, value, verb", [
    ("pin", {}, "is_pinned", True, "thread.pin"),
    ("pin", {"to": "landing"}, "is_pinned_globally", True, "thread.pin_landing"),
    ("lock", {}, "is_locked", True, "thread.lock"),
    ("feature", {}, "is_featured", True, "thread.feature"),
])
def test_moderator_sets_and_clears_a_thread_flag(moderator_client, thread_factory, db, path, data, column, value,
                                                 verb):
    thread = thread_factory()
    response = moderator_client.post(f"/mod/threads/{thread.id}/{path}", data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/t/{thread.id}")
    assert getattr(_thread(db, thread.id), column) is value and verb in _verbs(db)
    undo = "unpin" if path == "pin" else "un" + path
    assert moderator_client.post(f"/mod/threads/{thread.id}/{undo}", data=data).status_code == 302
    assert getattr(_thread(db, thread.id), column) is False
    assert _verbs(db)[-1] == verb.replace("thread.", "thread.un")


def test_doing_it_twice_says_there_is_nothing_to_change(moderator_client, thread_factory):
    thread = thread_factory()
    moderator_client.post(f"/mod/threads/{thread.id}/lock")
    page = moderator_client.post(f"/mod/threads/{thread.id}/lock", follow_redirects=True)
    assert b"Nothing to change" in page.data


def test_pinning_somewhere_unknown_is_refused_without_an_error_page(moderator_client, thread_factory, db):
    thread = thread_factory()
    page = moderator_client.post(f"/mod/threads/{thread.id}/pin", data={"to": "sidebar"}, follow_redirects=True)
    assert page.status_code == 200 and b"not understood" in page.data
    assert not _thread(db, thread.id).is_pinned and _verbs(db) == []


def test_admins_curate_too(admin_client, thread_factory, db):
    thread = thread_factory()
    assert admin_client.post(f"/mod/threads/{thread.id}/lock").status_code == 302
    assert _thread(db, thread.id).is_locked


# --- hide and restore ------------------------------------------------------------------------------------

def test_moderator_hides_a_thread_with_a_reason_and_restores_it(moderator_client, member_client, thread_factory,
                                                                db):
    thread = thread_factory()
    response = moderator_client.post(f"/mod/threads/{thread.id}/hide", data={"reason": "Off-topic"})
    assert response.status_code == 302
    hidden = _thread(db, thread.id)
    assert (hidden.state, hidden.hide_reason) == ("hidden", "Off-topic")
    assert member_client.get(f"/t/{thread.id}").status_code == 404
    assert b"Off-topic" in moderator_client.get(f"/t/{thread.id}").data
    assert moderator_client.post(f"/mod/threads/{thread.id}/restore").status_code == 302
    assert _thread(db, thread.id).state == "published"
    assert _verbs(db) == ["thread.hide", "thread.restore"]


def test_hiding_without_a_reason_shows_the_form_again(moderator_client, thread_factory, db):
    thread = thread_factory()
    page = moderator_client.post(f"/mod/threads/{thread.id}/hide", data={"reason": ""})
    assert page.status_code == 200 and b"has-error" in page.data
    assert _thread(db, thread.id).state == "published"


def test_a_bad_reason_is_explained_and_kept_in_the_form(moderator_client, thread_factory):
    thread = thread_factory()
    page = moderator_client.post(f"/mod/threads/{thread.id}/hide", data={"reason": "bad\x00 words"})
    assert page.status_code == 200 and b"NUL" in page.data and b"bad" in page.data


def test_the_hide_page_asks_for_a_reason(moderator_client, thread_factory):
    page = moderator_client.get(f"/mod/threads/{thread_factory().id}/hide")
    assert page.status_code == 200 and b'name="reason"' in page.data


# --- move, merge, split ----------------------------------------------------------------------------------

def test_moderator_moves_a_thread(moderator_client, thread_factory, category_factory, db):
    thread, elsewhere = thread_factory(replies=1), category_factory(name="Elsewhere")
    assert b"Elsewhere" in moderator_client.get(f"/mod/threads/{thread.id}/move").data
    response = moderator_client.post(f"/mod/threads/{thread.id}/move", data={"category_id": elsewhere.id})
    assert response.status_code == 302
    assert _thread(db, thread.id).category_id == elsewhere.id
    assert db.session.get(Category, elsewhere.id).post_count == 2 and "thread.move" in _verbs(db)


@pytest.mark.parametrize("value", ["abc", "987654", ""])
def test_moving_to_a_category_that_does_not_exist_shows_an_error(moderator_client, thread_factory, db, value):
    thread = thread_factory()
    page = moderator_client.post(f"/mod/threads/{thread.id}/move", data={"category_id": value})
    assert page.status_code == 200 and b"has-error" in page.data and _verbs(db) == []


@pytest.mark.parametrize("typed", ["{id}", "#{id}", "https://teahouse.example/t/{id}?page=2"])
def test_moderator_merges_by_number_or_link(moderator_client, thread_factory, db, typed):
    source, target = thread_factory(replies=1), thread_factory()
    response = moderator_client.post(f"/mod/threads/{source.id}/merge", data={"target": typed.format(id=target.id)})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/t/{target.id}")
    assert [p.number for p in _posts(db, target.id)] == [1, 2, 3]
    assert _thread(db, source.id).state == "hidden" and "thread.merge" in _verbs(db)


@pytest.mark.parametrize("typed, message", [
    ("not a thread", b"Enter a thread number"), ("987654", b"There is no thread with that number"),
    ("{self}", b"cannot be merged into itself"), ("99999999999999", b"Enter a thread number")])
def test_a_bad_merge_target_is_explained_and_kept(moderator_client, thread_factory, db, typed, message):
    thread = thread_factory()
    typed = typed.format(self=thread.id)
    page = moderator_client.post(f"/mod/threads/{thread.id}/merge", data={"target": typed})
    assert page.status_code == 200 and message in page.data and f'value="{typed}"'.encode() in page.data
    assert _thread(db, thread.id).state == "published"


def test_moderator_splits_ticked_replies_into_a_new_thread(moderator_client, thread_factory, category_factory, db):
    thread, destination = thread_factory(replies=3), category_factory(name="Side topics")
    posts = _posts(db, thread.id)
    form = moderator_client.get(f"/mod/threads/{thread.id}/split").get_data(as_text=True)
    offered = re.findall(r'name="post_ids" type="checkbox" value="(\d+)"', form)
    assert offered == [str(p.id) for p in posts[1:]]
    response = moderator_client.post(f"/mod/threads/{thread.id}/split", data={
        "post_ids": [posts[1].id, posts[3].id], "title": "A side topic", "category_id": destination.id})
    assert response.status_code == 302
    new = db.session.scalar(sa.select(Thread).where(Thread.title == "A side topic"))
    assert response.headers["Location"].endswith(f"/t/{new.id}") and new.category_id == destination.id
    assert [p.body for p in _posts(db, new.id)] == ["Reply 1", "Reply 3"]
    assert [p.number for p in _posts(db, thread.id)] == [1, 2]
    assert "thread.split" in _verbs(db)


def test_splitting_with_nothing_ticked_keeps_the_title(moderator_client, thread_factory, db):
    thread = thread_factory(replies=2)
    page = moderator_client.post(f"/mod/threads/{thread.id}/split",
                                 data={"title": "Keep this title", "category_id": thread.category_id})
    assert page.status_code == 200 and b"Tick at least one reply" in page.data
    assert b'value="Keep this title"' in page.data and _verbs(db) == []


@pytest.mark.parametrize("post_ids", [["opening"], ["abc"], ["987654"]])
def test_splitting_posts_that_are_not_on_offer_is_refused(moderator_client, thread_factory, db, post_ids):
    thread = thread_factory(replies=2)
    opening = _posts(db, thread.id)[0]
    ids = [str(opening.id) if p == "opening" else p for p in post_ids]
    page = moderator_client.post(f"/mod/threads/{thread.id}/split",
                                 data={"post_ids": ids, "title": "New one", "category_id": thread.category_id})
    assert page.status_code == 200 and b"has-error" in page.data
    assert [p.number for p in _posts(db, thread.id)] == [1, 2, 3]


# --- editing a member's post -----------------------------------------------------------------------------

def test_moderator_edits_a_members_post_and_the_member_is_told(moderator_client, post_factory, member, db):
    post = post_factory(author=member, body="Call me on 123")
    page = moderator_client.get(f"/mod/posts/{post.id}/edit")
    assert page.status_code == 200 and b"Call me on 123" in page.data
    response = moderator_client.post(f"/mod/posts/{post.id}/edit",
                                     data={"body": "Call me [number removed]", "reason": "contact details"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, post.id).body == "Call me [number removed]"
    assert db.session.scalar(sa.select(Notification.url).where(Notification.user_id == member.id,
                                                               Notification.kind == "post_edited")) == f"/p/{post.id}"
    assert "post.edit" in _verbs(db)


def test_an_empty_edit_is_refused_and_the_reason_kept(moderator_client, post_factory, db):
    post = post_factory(body="Original")
    page = moderator_client.post(f"/mod/posts/{post.id}/edit", data={"body": "  ", "reason": "tidy up"})
    assert page.status_code == 200 and b"has-error" in page.data and b'value="tidy up"' in page.data
    db.session.expire_all()
    assert db.session.get(Post, post.id).body == "Original"


# --- suspensions -----------------------------------------------------------------------------------------

def test_moderator_suspends_a_member_for_some_days(moderator_client, member, db):
    assert b'name="days"' in moderator_client.get(f"/mod/users/{member.id}/suspend").data
    response = moderator_client.post(f"/mod/users/{member.id}/suspend", data={"days": "7", "reason": "Ads"})
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, member.id)
    assert user.is_suspended and (user.suspended_until - user.suspended_at).days == 7
    assert db.session.scalar(sa.select(Notification.text).where(Notification.user_id == member.id,
                                                                Notification.kind == "suspended")).endswith("Ads")
    assert "user.suspend" in _verbs(db)


@pytest.mark.parametrize("days", ["abc", "0", "-3", "99999"])
def test_a_bad_period_is_explained_and_the_reason_kept(moderator_client, member, db, days):
    page = moderator_client.post(f"/mod/users/{member.id}/suspend", data={"days": days, "reason": "Spamming"})
    assert page.status_code == 200 and b"has-error" in page.data and b'value="Spamming"' in page.data
    db.session.expire_all()
    assert not db.session.get(User, member.id).is_suspended


@pytest.mark.parametrize("client_fixture, url, data", [
    ("moderator_client", "/mod/users/{u}/suspend", {"days": "7"}),
    ("admin_client", "/admin/users/{u}", {"days": "7", "submit": "1"})])
@pytest.mark.parametrize("reason", ["", "   "])
def test_both_suspend_pages_refuse_a_missing_reason(request, member, db, client_fixture, url, data, reason):
    client = request.getfixturevalue(client_fixture)
    page = client.post(url.format(u=member.id), data={**data, "reason": reason})
    assert page.status_code == 200 and b"has-error" in page.data
    db.session.expire_all()
    assert not db.session.get(User, member.id).is_suspended and "user.suspend" not in _verbs(db)


def test_moderators_cannot_suspend_hosts(moderator_client, user_factory, db):
    other_host = user_factory(role="moderator")
    page = moderator_client.post(f"/mod/users/{other_host.id}/suspend", data={"days": "1", "reason": "x"})
    assert b"Only admins can suspend hosts" in page.data
    db.session.expire_all()
    assert not db.session.get(User, other_host.id).is_suspended


def test_moderator_lifts_a_suspension(moderator_client, member, db):
    moderator_client.post(f"/mod/users/{member.id}/suspend", data={"days": "", "reason": "Cool off"})
    assert moderator_client.post(f"/mod/users/{member.id}/unsuspend").status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, member.id).is_suspended and _verbs(db)[-1] == "user.unsuspend"


# --- CSRF and permissions --------------------------------------------------------------------------------

@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_tool_buttons_work_with_their_token_and_fail_without(csrf_on, moderator_client, thread_factory, db):
    thread = thread_factory()
    page = moderator_client.get(f"/t/{thread.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert moderator_client.post(f"/mod/threads/{thread.id}/lock").status_code == 400
    assert not _thread(db, thread.id).is_locked
    assert moderator_client.post(f"/mod/threads/{thread.id}/lock", data={"csrf_token": token}).status_code == 302
    assert _thread(db, thread.id).is_locked


ACTIONS = [("post", "/mod/threads/{t}/pin"), ("post", "/mod/threads/{t}/unpin"), ("post", "/mod/threads/{t}/lock"),
           ("post", "/mod/threads/{t}/unlock"), ("post", "/mod/threads/{t}/feature"),
           ("post", "/mod/threads/{t}/unfeature"), ("get", "/mod/threads/{t}/hide"), ("post", "/mod/threads/{t}/hide"),
           ("post", "/mod/threads/{t}/restore"), ("get", "/mod/threads/{t}/move"), ("post", "/mod/threads/{t}/move"),
           ("get", "/mod/threads/{t}/merge"), ("post", "/mod/threads/{t}/merge"), ("get", "/mod/threads/{t}/split"),
           ("post", "/mod/threads/{t}/split"), ("get", "/mod/posts/{p}/edit"), ("post", "/mod/posts/{p}/edit"),
           ("get", "/mod/users/{u}/suspend"), ("post", "/mod/users/{u}/suspend"),
           ("post", "/mod/users/{u}/unsuspend"), ("get", "/mod/inquiries")]


@pytest.mark.parametrize("client_fixture", ["member_client", "researcher_client"])
@pytest.mark.parametrize("method, url", ACTIONS)
def test_members_and_researchers_get_403_and_change_nothing(request, db, post_factory, user_factory, client_fixture,
                                                            method, url):
    post, victim = post_factory(), user_factory()
    url = url.format(t=post.thread_id, p=post.id, u=victim.id)
    data = {"reason": "x", "to": "landing", "days": "1", "body": "changed", "target": "1", "title": "New thread",
            "category_id": "1", "post_ids": [str(post.id)]}
    client = request.getfixturevalue(client_fixture)
    response = client.post(url, data=data) if method == "post" else client.get(url)
    assert response.status_code == 403
    assert _verbs(db) == [] and _thread(db, post.thread_id).state == "published"


@pytest.mark.parametrize("url", ["/mod/threads/987654/move", "/mod/posts/987654/edit", "/mod/users/987654/suspend",
                                 "/mod/threads/99999999999/split"])
def test_missing_things_are_404_for_hosts(moderator_client, url):
    assert moderator_client.get(url).status_code == 404
