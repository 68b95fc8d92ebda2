"""Hosts invite all members or a segment to an open activity, see the reach first, and remind only those who
have not taken part."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.db import utcnow
from app.mailing import invitations, preferences
from app.members.notifications import Notification
from app.segments.models import MemberSegment
from app.segments.services import save_attribute
from app.tasks import services as tasks
from tests.mail.helpers import outbox_rows


def _segment(db, user_factory, in_segment: int, outside: int):
    attribute = save_attribute(None, by=None, key="city_tier", label="City tier", values=["Tier 1", "Tier 2"],
                               member_editable=True)
    db.session.commit()
    tier1, tier2 = attribute.values
    inside = [user_factory() for _ in range(in_segment)]
    for user in inside:
        db.session.add(MemberSegment(user_id=user.id, attribute_id=attribute.id, value_id=tier1.id))
    for _ in range(outside):
        db.session.add(MemberSegment(user_id=user_factory().id, attribute_id=attribute.id, value_id=tier2.id))
    db.session.commit()
    return tier1, inside


def _notes(kind: str) -> list[int]:
    from app.extensions import db

    return sorted(db.session.scalars(sa.select(Notification.user_id).where(Notification.kind == kind)))


def test_reach_counts_members_of_the_segment_only(db, user_factory, moderator, researcher):
    tier1, _inside = _segment(db, user_factory, 3, 2)
    assert invitations.reach(tier1.id) == 3
    assert invitations.reach(None) == 5  # hosts and researchers are not invited


def test_inviting_a_segment_notifies_and_emails_by_preference(db, user_factory, moderator, open_task):
    tier1, inside = _segment(db, user_factory, 3, 2)
    preferences.set_choice(inside[0].id, "new_activity", preferences.IMMEDIATE)
    task = open_task()
    invitation = invitations.invite(invitations.load_activity("task", task.id), segment_value_id=tier1.id,
                                    by=moderator)
    db.session.commit()
    assert invitation.reach == 3 and _notes("activity_new") == sorted(u.id for u in inside)
    assert [r.user_id for r in outbox_rows()] == [inside[0].id]  # the others get it in their digest
    assert db.session.scalar(sa.select(AuditEvent.verb).where(AuditEvent.verb == "activity.invite"))


def test_reminders_go_only_to_those_who_have_not_taken_part(db, user_factory, moderator, open_task):
    tier1, inside = _segment(db, user_factory, 3, 1)
    task = open_task(due_in=timedelta(hours=30))
    invitations.invite(invitations.load_activity("task", task.id), segment_value_id=tier1.id, by=moderator)
    tasks.submit(task, user=inside[1], text="Done already", files=[])
    db.session.commit()
    now = utcnow()
    assert invitations.send_reminders(now) == 0  # 30 hours to go: too early
    assert invitations.send_reminders(now + timedelta(hours=7)) == 2
    db.session.commit()
    assert _notes("activity_closing") == sorted([inside[0].id, inside[2].id])
    assert invitations.send_reminders(now + timedelta(hours=8)) == 0  # once
    assert {r.kind for r in outbox_rows()} == {"activity_closing"}  # closing soon: at once by default


def test_the_invite_page_previews_the_reach_before_sending(db, user_factory, moderator_client, open_task):
    tier1, inside = _segment(db, user_factory, 2, 3)
    task = open_task()
    page = moderator_client.post(f"/mail/invite/task/{task.id}", data={"segment": str(tier1.id), "preview": "1"})
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "This reaches 2 members." in body
    assert _notes("activity_new") == []  # a preview sends nothing
    sent = moderator_client.post(f"/mail/invite/task/{task.id}", data={"segment": str(tier1.id), "send": "1"})
    assert sent.status_code == 302 and _notes("activity_new") == sorted(u.id for u in inside)


def test_members_cannot_invite_and_drafts_cannot_be_sent(db, member_client, moderator_client, open_task):
    task = open_task()
    assert member_client.get(f"/mail/invite/task/{task.id}").status_code == 403
    task.is_published = False
    db.session.commit()
    response = moderator_client.post(f"/mail/invite/task/{task.id}", data={"segment": "", "send": "1"})
    assert response.status_code == 200 and "Only an open, published activity" in response.get_data(as_text=True)
    assert moderator_client.get("/mail/invite/task/999999").status_code == 404


def test_polls_and_competitions_can_be_sent_too_and_voters_are_not_reminded(db, user_factory, moderator,
                                                                            moderator_client, poll_factory,
                                                                            competition_factory):
    from app.polls import services as polls

    voter, silent = user_factory(), user_factory()
    poll = poll_factory(by=moderator, closes_at=utcnow() + timedelta(hours=20))
    if not poll.is_published:
        polls.publish_poll(poll, by=moderator)
        db.session.commit()
    assert moderator_client.get(f"/mail/invite/poll/{poll.id}").status_code == 200
    invited = invitations.invite(invitations.load_activity("poll", poll.id), segment_value_id=None, by=moderator)
    polls.vote(poll, user=voter, option_ids=[poll.options[0].id])
    db.session.commit()
    assert invitations.send_reminders(utcnow()) == invited.reach - 1
    db.session.commit()
    assert silent.id in _notes("activity_closing") and voter.id not in _notes("activity_closing")
    competition = competition_factory(by=moderator)
    assert moderator_client.get(f"/mail/invite/competition/{competition.id}").status_code == 200
    assert invitations.load_activity("competition", competition.id).is_open


def _many_members(db, count: int, *, chinese_every: int, immediate_every: int) -> list[int]:
    """``count`` members inserted set-based (the factory hashes a password per member)."""
    from app.mailing.models import MailPreference
    from app.members.models import User

    template = db.session.scalar(sa.select(User.password_hash).limit(1))
    db.session.execute(sa.insert(User), [
        {"email": f"crowd{n}@example.test", "display_name": f"Crowd {n}", "display_name_key": f"crowd {n}",
         "password_hash": template, "role": "member", "locale": "zh_Hans" if n % chinese_every == 0 else "en"}
        for n in range(count)])
    ids = list(db.session.scalars(sa.select(User.id).where(User.email.like("crowd%")).order_by(User.id)))
    db.session.execute(sa.insert(MailPreference), [
        {"user_id": user_id, "category": "new_activity", "mode": preferences.IMMEDIATE}
        for user_id in ids[::immediate_every]])
    db.session.commit()
    return ids


def test_a_large_invitation_is_written_set_based_in_a_bounded_number_of_queries(app, db, moderator, open_task):
    from tests.landing.test_query_counts import count_queries

    ids = _many_members(db, 700, chinese_every=3, immediate_every=2)
    activity = invitations.load_activity("task", open_task().id)
    with count_queries(app) as statements:
        invitation = invitations.invite(activity, segment_value_id=None, by=moderator)
        db.session.commit()
    # Per 500 members: invitees, notifications, who wants email now, outbox rows; the rest is fixed.
    assert len(statements) <= 16, "\n".join(statements)
    assert invitation.reach == 700
    assert _notes("activity_new") == ids
    texts = dict(db.session.execute(sa.select(Notification.user_id, Notification.text)
                                    .where(Notification.kind == "activity_new")).all())
    assert texts[ids[0]] == "邀请您参加：“Photo of your shelf”。"
    assert texts[ids[1]] == "You are invited to take part: “Photo of your shelf”."
    assert texts[ids[0]] != texts[ids[1]] and texts[ids[1]] == texts[ids[2]]  # zh_Hans, then two English
    rows = outbox_rows(kind="activity_new")
    assert sorted(row.user_id for row in rows) == ids[::2]  # those who want new activities at once
    assert {row.language for row in rows} == {"en", "zh_Hans"}
    by_user = {row.user_id: row for row in rows}
    assert by_user[ids[0]].payload["text"] == texts[ids[0]] and by_user[ids[0]].language == "zh_Hans"


def test_reminders_for_a_large_invitation_are_bounded_too(app, db, moderator, open_task):
    from tests.landing.test_query_counts import count_queries

    ids = _many_members(db, 600, chinese_every=4, immediate_every=1)
    task = open_task(due_in=timedelta(hours=6))
    invitations.invite(invitations.load_activity("task", task.id), segment_value_id=None, by=moderator)
    db.session.commit()
    with count_queries(app) as statements:
        assert invitations.send_reminders(utcnow()) == 600
        db.session.commit()
    assert len(statements) <= 16, "\n".join(statements)
    assert _notes("activity_closing") == ids
    assert len(outbox_rows(kind="activity_closing")) == 600
