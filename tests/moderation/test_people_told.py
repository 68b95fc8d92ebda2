"""People are told: authors hear about their moderated posts, hosts read the audit log and keep canned replies,
merged threads' addresses redirect, and a purge leaves a tombstone per post."""
from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app import audit
from app.admin.services import save_category
from app.db import utcnow
from app.forum.models import Post
from app.members.notifications import Notification
from app.moderation import canned, curation, services
from app.moderation.models import CannedReply, PostTombstone, ReviewItem
from app.moderation.spam import Score, quarantine
from tests.conftest import login_as


def _notes(db, user_id: int) -> list[Notification]:
    return db.session.scalars(sa.select(Notification).where(Notification.user_id == user_id,
                                                            Notification.kind.startswith("post_"))
                              .order_by(Notification.id)).all()


# --- authors are told -----------------------------------------------------------------------------------------

def test_an_author_is_told_when_a_host_hides_and_restores_their_post(db, post_factory, user_factory, moderator):
    author = user_factory()
    post = post_factory(author=author)
    services.moderate_post(post, "hide", by=moderator, reason="Personal attack")
    db.session.commit()
    [hidden] = _notes(db, author.id)
    assert hidden.kind == "post_hidden" and "Personal attack" in hidden.text and "ask a host" in hidden.text
    services.moderate_post(post, "restore", by=moderator)
    db.session.commit()
    restored = _notes(db, author.id)[-1]
    assert restored.kind == "post_restored" and "visible again" in restored.text and restored.url == f"/p/{post.id}"


def test_a_quarantined_post_tells_its_author_in_their_language_and_where_to_ask(db, post_factory, user_factory):
    author = user_factory()
    author.locale = "zh_Hans"
    ask = save_category(None, by=None, name="问问主持人", description="", position=0, is_inquiry=True)
    post = post_factory(author=author)
    quarantine(post, Score(9.0, ["wechat-id"]), now=utcnow())
    db.session.commit()
    [note] = _notes(db, author.id)
    assert note.kind == "post_quarantined" and note.url == f"/c/{ask.id}/new"
    assert "垃圾" in note.text and "问问主持人" in note.text


def test_an_author_is_told_when_flags_hide_a_post_and_when_a_held_post_is_approved(db, post_factory, user_factory,
                                                                                 moderator):
    from app.core.settings import set_setting

    set_setting("flags.hide_threshold", 1)
    author = user_factory()
    post = post_factory(author=author)
    services.flag_post(post, by=user_factory(), reason="abusive")
    db.session.commit()
    assert [n.kind for n in _notes(db, author.id)] == ["post_hidden"]
    held = post_factory(author=author)
    held.state = "pending"
    db.session.commit()
    services.moderate_post(held, "approve", by=moderator)
    db.session.commit()
    assert "approved" in _notes(db, author.id)[-1].text


def test_a_host_hiding_their_own_post_is_not_told(db, post_factory, moderator):
    post = post_factory(author=moderator)
    services.moderate_post(post, "hide", by=moderator, reason="duplicate")
    db.session.commit()
    assert _notes(db, moderator.id) == []


# --- the hosts' audit log -------------------------------------------------------------------------------------

@pytest.mark.parametrize("client_fixture, status", [("member_client", 403), ("researcher_client", 403),
                                                     ("moderator_client", 200), ("admin_client", 200)])
def test_hosts_and_admins_read_the_audit_log_and_others_do_not(request, db, client_fixture, status):
    assert request.getfixturevalue(client_fixture).get("/mod/audit").status_code == status


def test_hosts_see_moderation_actions_and_admins_every_action(moderator_client, admin_client, db, post_factory,
                                                               moderator, admin):
    post = post_factory()
    services.moderate_post(post, "hide", by=moderator, reason="Off-topic rant")
    audit.record(admin, "settings.points", None, after={"points": 5})
    db.session.commit()
    host_page = moderator_client.get("/mod/audit").get_data(as_text=True)
    assert "post.hide" in host_page and "Off-topic rant" in host_page and "settings.points" not in host_page
    admin_page = admin_client.get("/mod/audit").get_data(as_text=True)
    assert "post.hide" in admin_page and "settings.points" in admin_page


def test_the_hosts_audit_log_filters_by_verb_actor_and_dates(moderator_client, db, post_factory, moderator):
    services.moderate_post(post_factory(), "hide", by=moderator, reason="first reason")
    services.moderate_post(post_factory(), "spam", by=moderator, reason="second reason")
    db.session.commit()
    page = moderator_client.get("/mod/audit?verb=post.spam").get_data(as_text=True)
    assert "second reason" in page and "first reason" not in page
    assert "first reason" not in moderator_client.get("/mod/audit?actor=nobody-like-this").get_data(as_text=True)
    bad = moderator_client.get("/mod/audit?from=yesterday")
    assert bad.status_code == 200 and "was ignored" in bad.get_data(as_text=True)


# --- canned replies -------------------------------------------------------------------------------------------

def test_a_host_writes_a_private_canned_reply_and_only_they_get_it(app, moderator_client, db, user_factory,
                                                                  thread_factory, moderator):
    response = moderator_client.post("/mod/canned", data={"title": "My note", "body_en": "Thanks, noted!",
                                                          "body_zh": "谢谢，收到！"})
    assert response.status_code == 302
    reply = db.session.scalar(sa.select(CannedReply))
    assert reply.owner_id == moderator.id and reply.is_shared is False  # the box was left unticked
    thread = thread_factory()
    assert 'data-body="Thanks, noted!"' in moderator_client.get(f"/t/{thread.id}").get_data(as_text=True)
    other_client = login_as(app.test_client(), user_factory(role="moderator"))
    assert "Thanks, noted!" not in other_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert other_client.get(f"/mod/canned/{reply.id}").status_code == 403
    assert other_client.post(f"/mod/canned/{reply.id}/archive").status_code == 403


def test_hosts_edit_shared_canned_replies_and_admins_every_one(moderator_client, admin_client, db, user_factory):
    author = user_factory(role="moderator")
    shared = canned.save_canned_reply(None, by=author, title="Shared", body_en="Hello all")
    private = canned.save_canned_reply(None, by=author, title="Mine", body_en="Just mine", shared=False)
    db.session.commit()
    response = moderator_client.post(f"/mod/canned/{shared.id}", data={"title": "Shared", "body_en": "Hello, all!",
                                                                       "is_shared": "y"})
    assert response.status_code == 302
    assert "Just mine" not in moderator_client.get("/mod/canned").get_data(as_text=True)
    assert admin_client.post(f"/mod/canned/{private.id}", data={"title": "Mine", "body_en": "Edited by admin"}
                             ).status_code == 302
    db.session.expire_all()
    assert db.session.get(CannedReply, shared.id).body_en == "Hello, all!"
    assert db.session.get(CannedReply, private.id).body_en == "Edited by admin"


@pytest.mark.parametrize("client_fixture", ["member_client", "researcher_client"])
@pytest.mark.parametrize("method, url", [("get", "/mod/canned"), ("post", "/mod/canned"),
                                         ("get", "/mod/canned/{r}"), ("post", "/mod/canned/{r}/archive")])
def test_members_and_researchers_cannot_reach_canned_replies(request, db, admin, client_fixture, method, url):
    reply = canned.save_canned_reply(None, by=admin, title="Hi", body_en="Hello")
    db.session.commit()
    client = request.getfixturevalue(client_fixture)
    url = url.format(r=reply.id)
    response = client.post(url, data={"title": "X", "body_en": "X"}) if method == "post" else client.get(url)
    assert response.status_code == 403


def test_a_bad_canned_reply_is_refused_on_the_page_and_keeps_what_was_typed(moderator_client, db):
    page = moderator_client.post("/mod/canned", data={"title": "Empty one", "body_en": " "})
    assert page.status_code == 200 and b"at least one language" in page.data and b'value="Empty one"' in page.data


def test_flask_demo_seed_seeds_shared_canned_replies_in_both_languages_once(runner, db):
    for _ in range(2):
        result = runner.invoke(args=["demo", "seed", "--members", "3", "--threads", "2", "--posts", "4"])
        assert result.exit_code == 0, result.output
    replies = db.session.scalars(sa.select(CannedReply)).all()
    assert len(replies) >= 3 and all(r.body_en and r.body_zh and r.is_shared for r in replies)
    assert len({r.title for r in replies}) == len(replies)


# --- merged threads' addresses ----------------------------------------------------------------------------------

def test_a_merged_threads_address_and_its_pages_redirect_to_where_its_posts_went(app, member_client, db, moderator,
                                                                                 thread_factory, monkeypatch):
    monkeypatch.setitem(app.config, "POSTS_PER_PAGE", 2)
    target = thread_factory(title="Keeper", replies=1)
    source = thread_factory(title="Duplicate", replies=3)  # posts 1..4, newer than the target's
    source_ids = db.session.scalars(sa.select(Post.id).where(Post.thread_id == source.id).order_by(Post.number)).all()
    curation.merge_threads(source, target, by=moderator)
    db.session.commit()
    first = db.session.get(Post, source_ids[0])
    response = member_client.get(f"/t/{source.id}")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/t/{target.id}?page=2#post-{first.number}")
    third = db.session.get(Post, source_ids[2])  # the first post of the old page 2
    response = member_client.get(f"/t/{source.id}?page=2")
    assert response.status_code == 301 and response.headers["Location"].endswith(f"#post-{third.number}")
    assert member_client.get(response.headers["Location"]).status_code == 200


def test_a_thread_merged_twice_leads_to_the_last_thread(member_client, db, moderator, thread_factory):
    first, second, third = (thread_factory(title=t) for t in ("One", "Two", "Three"))
    opening = db.session.scalar(sa.select(Post.id).where(Post.thread_id == first.id))
    curation.merge_threads(first, second, by=moderator)
    curation.merge_threads(second, third, by=moderator)
    db.session.commit()
    location = member_client.get(f"/t/{first.id}").headers["Location"]
    assert f"/t/{third.id}" in location and location.endswith(f"#post-{db.session.get(Post, opening).number}")


# --- purge tombstones -------------------------------------------------------------------------------------------

def test_a_purge_leaves_a_tombstone_per_post_with_its_flags_and_review_items(db, post_factory, user_factory,
                                                                            moderator, admin):
    author = user_factory(display_name="Ad Poster")
    post = post_factory(author=author, body="Best prices in town")  # one the filter lets through: members flag it
    flagger = user_factory()
    services.flag_post(post, by=flagger, reason="spam")
    services.moderate_post(post, "spam", by=moderator, reason="advertising", now=utcnow() - timedelta(days=100))
    db.session.commit()
    post_id, thread_id = post.id, post.thread_id
    assert services.purge_spam(utcnow(), by=admin) == 1
    db.session.commit()
    [stone] = db.session.scalars(sa.select(PostTombstone)).all()
    assert (stone.post_id, stone.author_id, stone.thread_id, stone.purged_by_id) == (post_id, author.id, thread_id,
                                                                                    admin.id)
    assert stone.content_sha256 == hashlib.sha256(b"Best prices in town").hexdigest()
    assert stone.reason == "Spam for longer than 90 days" and stone.author_name == "Ad Poster"
    assert [(f["by"], f["reason"], f["outcome"]) for f in stone.flags] == [(flagger.id, "spam", "purged")]
    assert [(i["kind"], i["action"]) for i in stone.review_items] == [("flagged", "spam")]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewItem)) == 0  # gone with the post


def test_open_flags_and_items_are_recorded_as_purged(db, post_factory, user_factory, admin):
    post = post_factory()
    services.flag_post(post, by=user_factory(), reason="spam")
    quarantine(post, Score(9.0, ["links:3"]), now=utcnow() - timedelta(days=100))
    db.session.commit()
    services.purge_spam(utcnow(), by=None)
    db.session.commit()
    [stone] = db.session.scalars(sa.select(PostTombstone)).all()
    assert stone.purged_by_name == "job:purge_spam" and stone.flags[0]["outcome"] == "purged"
    assert stone.review_items[0]["action"] == "purged" and stone.review_items[0]["kind"] == "spam"


def test_the_hosts_audit_log_shows_purged_posts(moderator_client, db, post_factory, moderator, admin):
    post = post_factory(body="Cheap watches")
    services.moderate_post(post, "spam", by=moderator, now=utcnow() - timedelta(days=100))
    services.purge_spam(utcnow(), by=admin)
    db.session.commit()
    page = moderator_client.get("/mod/audit").get_data(as_text=True)
    digest = hashlib.sha256(b"Cheap watches").hexdigest()
    assert 'id="purged"' in page and digest[:16] in page and "Spam for longer than 90 days" in page
    assert "spam.purge" in page
