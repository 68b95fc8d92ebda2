"""Digests: daily or weekly at 8 in the member's own time zone, built from the snapshot, unread threads, open
activities and digest-mode news; never a thread they cannot see, never a masked answer."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.forum import services as forum
from app.landing.models import LandingSnapshot
from app.mailing import digests, invitations, preferences
from app.moderation import curation
from app.tasks import services as tasks
from tests.mail.helpers import outbox_rows, parts, send_all

# Monday 7 December 2026, 00:30 UTC: 08:30 in Shanghai, 19:30 on Sunday in New York, 00:30 in London.
MONDAY_SHANGHAI_8 = datetime(2026, 12, 7, 0, 30, tzinfo=UTC)


def _member(user_factory, zone: str, frequency: str | None = None):
    member = user_factory(role="member")
    member.timezone = zone
    if frequency:
        preferences.set_choice(member.id, "digest", frequency)
    return member


def _snapshot(db, panels: dict) -> None:
    db.session.add(LandingSnapshot(computed_at=MONDAY_SHANGHAI_8, panels=panels))
    db.session.commit()


def test_digests_go_out_at_the_local_hour_weekly_on_mondays(db, user_factory, thread_factory):
    shanghai_weekly = _member(user_factory, "Asia/Shanghai")
    shanghai_daily = _member(user_factory, "Asia/Shanghai", "daily")
    london = _member(user_factory, "Europe/London", "daily")
    off = _member(user_factory, "Asia/Shanghai", "never")
    thread = thread_factory(title="Sunscreen for the office", author=off)  # no digest for the author either
    _snapshot(db, {"trending": [{"thread_id": thread.id, "title": thread.title}], "open_activities": []})
    assert digests.queue_digests(MONDAY_SHANGHAI_8) == 2
    assert {r.user_id for r in outbox_rows()} == {shanghai_weekly.id, shanghai_daily.id}
    assert digests.queue_digests(MONDAY_SHANGHAI_8 + timedelta(minutes=15)) == 0  # once per period
    tuesday = MONDAY_SHANGHAI_8 + timedelta(days=1)
    assert digests.queue_digests(tuesday) == 1  # the daily one again; weekly waits for Monday
    london_eight = datetime(2026, 12, 8, 8, 5, tzinfo=UTC)
    assert digests.queue_digests(london_eight) == 1
    assert {r.user_id for r in outbox_rows()} == {shanghai_weekly.id, shanghai_daily.id, london.id}
    assert off.id not in {r.user_id for r in outbox_rows()}
    assert digests.queue_digests(MONDAY_SHANGHAI_8 + timedelta(hours=3)) == 0  # 11:30 in Shanghai: not the hour


def test_a_digest_holds_what_the_member_may_see_and_no_masked_answer(db, user_factory, thread_factory, moderator,
                                                                     open_task, smtp_server, app):
    reader = _member(user_factory, "Asia/Shanghai")
    other = user_factory()
    visible = thread_factory(title="Toner routines", author=other, now=MONDAY_SHANGHAI_8 - timedelta(days=2))
    hidden = thread_factory(title="Secret hidden thread", author=other, now=MONDAY_SHANGHAI_8 - timedelta(days=2))
    for thread in (visible, hidden):
        forum.mark_read(reader, thread, 1, now=MONDAY_SHANGHAI_8 - timedelta(days=2))
        forum.reply(thread, author=other, body="A new reply", now=MONDAY_SHANGHAI_8 - timedelta(days=1))
    curation.hide_thread(hidden, by=moderator, reason="off topic")
    task = open_task(title="Shelf photo")
    tasks.submit(task, user=other, text="MASKED ANSWER TEXT", files=[])
    invitations.invite(invitations.load_activity("task", task.id), segment_value_id=None, by=moderator)
    db.session.commit()
    _snapshot(db, {"trending": [{"thread_id": hidden.id, "title": hidden.title},
                                {"thread_id": visible.id, "title": visible.title}],
                   "open_activities": [{"kind": "task", "id": task.id, "title": task.title, "masked": True,
                                        "due": None, "count": 1}]})
    assert digests.queue_digests(MONDAY_SHANGHAI_8) >= 1
    [row] = [r for r in outbox_rows() if r.user_id == reader.id and r.kind == "digest"]
    assert [t["title"] for t in row.payload["unread"]] == ["Toner routines"]
    assert [t["title"] for t in row.payload["trending"]] == ["Toner routines"]
    assert row.payload["activities"][0]["title"] == "Shelf photo"
    assert any("Shelf photo" in note["text"] for note in row.payload["notes"])  # new activities: digest by default
    db.session.commit()
    send_all(MONDAY_SHANGHAI_8)
    [message] = [m for m in smtp_server.messages if m["To"] == reader.email]
    text, html = parts(message)
    assert "Toner routines" in text and "Toner routines" in html and "Shelf photo" in text
    assert "Secret hidden thread" not in text + html and "MASKED ANSWER TEXT" not in text + html
    assert "weekly digest" in message["Subject"]


def test_no_digest_when_there_is_nothing_to_tell(db, user_factory):
    _member(user_factory, "Asia/Shanghai")
    assert digests.queue_digests(MONDAY_SHANGHAI_8) == 0


def test_due_members_are_read_in_batches_by_id_and_every_one_gets_a_digest(db, user_factory, thread_factory):
    members = [_member(user_factory, "Asia/Shanghai", "daily") for _ in range(7)]
    london = _member(user_factory, "Europe/London", "daily")  # not their hour
    db.session.commit()
    thread = thread_factory(title="Toner, or not?", author=london)  # the author is not due either
    _snapshot(db, {"trending": [{"thread_id": thread.id, "title": thread.title}], "open_activities": []})
    batches = list(digests.due_members(MONDAY_SHANGHAI_8, batch=3))
    assert [len(b) for b in batches] == [3, 3, 1]
    assert [user.id for b in batches for user, _freq in b] == sorted(m.id for m in members)
    assert digests.queue_digests(MONDAY_SHANGHAI_8, batch=3) == 7
    assert sorted(r.user_id for r in outbox_rows()) == sorted(m.id for m in members)
    assert digests.queue_digests(MONDAY_SHANGHAI_8, batch=3) == 0  # once per period, whatever the batch
