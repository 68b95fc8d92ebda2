"""@mentions: parsing, profile links, who is told (once, only where they may see it, masked tasks, mass mentions),
and the completion endpoint."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.db import ContentState, utcnow
from app.forum import services as forum
from app.members.mentions import find_mentions, link_mentions
from app.members.notifications import Notification
from app.tasks import services as tasks
from tests.conftest import login_as


def _mentions_of(db, user) -> list[Notification]:
    return list(db.session.scalars(sa.select(Notification).where(
        Notification.user_id == user.id, Notification.kind.in_(("mention", "host_mention")))))


# --- parsing and links ---------------------------------------------------------------------------------------

def test_the_longest_member_name_after_an_at_sign_wins(db, user_factory):
    mei, mei_ling = user_factory(display_name="Mei"), user_factory(display_name="Mei Ling")
    found = find_mentions("thanks @Mei Ling and @mei!")
    assert [(m.user.id, m.start) for m in found] == [(mei_ling.id, 7), (mei.id, 21)]


def test_an_email_address_is_not_a_mention(db, user_factory):
    user_factory(display_name="example")
    assert find_mentions("write to someone@example please") == []


def test_chinese_names_end_at_chinese_punctuation(db, user_factory):
    xiaoyu = user_factory(display_name="小雨")
    assert [m.user.id for m in find_mentions("欢迎@小雨，你好")] == [xiaoyu.id]


def test_mentions_become_profile_links_with_markdown_in_names_escaped(db, user_factory):
    star = user_factory(display_name="a*b [x]")
    assert link_mentions("hi @a*b [x]!", profile_url=lambda i: f"/u/{i}") == f"hi [@a\\*b \\[x\\]](/u/{star.id})!"


def test_a_posted_mention_links_to_the_profile(db, thread_factory, user_factory, member):
    lily = user_factory(display_name="Lily")
    post = forum.reply(thread_factory(), author=member, body="Over to you @Lily")
    assert f'href="/u/{lily.id}"' in post.body_html and ">@Lily</a>" in post.body_html


# --- who is told ---------------------------------------------------------------------------------------------

def test_a_mention_notifies_once_and_an_edit_does_not_notify_again(db, thread_factory, user_factory, member):
    lily = user_factory(display_name="Lily")
    post = forum.reply(thread_factory(), author=member, body="@Lily look, @Lily again")
    db.session.commit()
    assert [n.url for n in _mentions_of(db, lily)] == [f"/p/{post.id}"]
    forum.edit_post(post, editor=member, body="@Lily look, edited, @Lily")
    db.session.commit()
    assert len(_mentions_of(db, lily)) == 1


def test_members_who_cannot_see_the_thread_are_not_told(db, thread_factory, user_factory, moderator):
    lily = user_factory(display_name="Lily")
    thread = thread_factory()
    thread.state, thread.hide_reason = ContentState.HIDDEN.value, "under review"
    forum.reply(thread, author=moderator, body="@Lily can you see this?")
    db.session.commit()
    assert _mentions_of(db, lily) == []


def test_suspended_members_are_not_told(db, thread_factory, user_factory, member):
    lily = user_factory(display_name="Lily")
    lily.suspended_at, lily.suspended_until = utcnow(), utcnow() + timedelta(days=3)
    forum.reply(thread_factory(), author=member, body="hi @Lily")
    db.session.commit()
    assert _mentions_of(db, lily) == []


def test_mentioning_yourself_tells_nobody(db, thread_factory, user_factory):
    lily = user_factory(display_name="Lily")
    forum.reply(thread_factory(), author=lily, body="note to self @Lily")
    db.session.commit()
    assert _mentions_of(db, lily) == []


def test_past_the_limit_mentions_are_not_notified_but_audited(app, db, thread_factory, user_factory, member):
    app.config["MENTION_NOTIFY_LIMIT"] = 3
    try:
        named = [user_factory(display_name=f"Fan {n}") for n in range(5)]
        post = forum.reply(thread_factory(), author=member, body=" ".join(f"@Fan {n}," for n in range(5)))
        db.session.commit()
    finally:
        app.config["MENTION_NOTIFY_LIMIT"] = 10
    assert [len(_mentions_of(db, user)) for user in named] == [1, 1, 1, 0, 0]
    [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.verb == "post.mass_mention")).all()
    assert event.target_id == post.id and event.after == {"notified": 3, "not_notified": 2}


def test_the_author_is_told_on_the_page_when_mentions_went_unnotified(app, member_client, db, thread_factory,
                                                                      user_factory):
    app.config["MENTION_NOTIFY_LIMIT"] = 1
    try:
        for n in range(3):
            user_factory(display_name=f"Fan {n}")
        thread = thread_factory()
        page = member_client.post(f"/t/{thread.id}/reply", data={"body": "@Fan 0, @Fan 1, @Fan 2"},
                                  follow_redirects=True)
    finally:
        app.config["MENTION_NOTIFY_LIMIT"] = 10
    assert "2 more were not notified" in page.get_data(as_text=True)


# --- task answers --------------------------------------------------------------------------------------------

def _task(moderator, *, masked: bool):
    now = utcnow()
    return tasks.save_task(None, by=moderator, title="Shelf photos", instructions="Show us", opens_at=now - timedelta(
        hours=1), due_at=now + timedelta(days=2), min_photos=0, points=5, is_masked=masked)


def test_a_mention_in_a_masked_task_answer_tells_nobody(db, moderator, member, user_factory):
    lily = user_factory(display_name="Lily")
    task = _task(moderator, masked=True)
    tasks.submit(task, user=lily, text="my answer", files=[])  # even one who answered and could see it
    tasks.submit(task, user=member, text="like @Lily said", files=[])
    db.session.commit()
    assert _mentions_of(db, lily) == []


def test_a_mention_in_an_open_task_answer_tells_the_member_once(db, moderator, member, user_factory):
    lily = user_factory(display_name="Lily")
    task = _task(moderator, masked=False)
    tasks.submit(task, user=member, text="like @Lily said", files=[])
    tasks.submit(task, user=member, text="like @Lily said, edited", files=[])
    db.session.commit()
    [note] = _mentions_of(db, lily)
    assert "Shelf photos" in note.text


# --- completion ----------------------------------------------------------------------------------------------

def test_completion_suggests_members_by_name_prefix_without_suspended_ones(app, db, user_factory, member):
    lily, lin = user_factory(display_name="Lily"), user_factory(display_name="Lin")
    gone = user_factory(display_name="Lisa")
    gone.suspended_at = utcnow()
    db.session.commit()
    answer = login_as(app.test_client(), member).get("/members/suggest?q=li").get_json()
    assert [m["name"] for m in answer["members"]] == ["Lin", "Lily"]
    assert answer["members"][0]["avatar"].startswith(f"/u/{lin.id}/avatar")
    assert lily.email not in str(answer)


def test_completion_treats_like_wildcards_as_text(app, db, user_factory, member):
    user_factory(display_name="Lily")
    assert login_as(app.test_client(), member).get("/members/suggest?q=%25").get_json() == {"members": []}
    assert login_as(app.test_client(), member).get("/members/suggest?q=").get_json() == {"members": []}


def test_completion_needs_a_signed_in_member(client):
    assert client.get("/members/suggest?q=li").status_code == 302
