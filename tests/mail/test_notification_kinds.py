"""Each kind of news reaches the member by email, at once, in the digest or never, as they chose."""
from __future__ import annotations

import pytest

from app.forum import services as forum
from app.mailing import preferences
from app.mailing.models import OutboxStatus
from app.members.notifications import notify
from app.tasks import services as tasks
from tests.mail.helpers import outbox_rows, parts, send_all


def _categories() -> list[str]:
    return [row.payload["category"] for row in outbox_rows()]


def test_a_reply_to_my_thread_emails_me(db, thread_factory, user_factory, smtp_server):
    author, replier = user_factory(), user_factory(display_name="Kim")
    thread = thread_factory(author=author, title="Which toner?")
    forum.reply(thread, author=replier, body="Try the rice one.")
    db.session.commit()
    assert send_all() == 1
    message = smtp_server.messages[0]
    assert message["To"] == author.email and "Kim replied to “Which toner?”" in parts(message)[0]
    assert _categories() == ["replies"]


def test_quotes_and_mentions_email_the_quoted_and_mentioned(db, thread_factory, user_factory, smtp_server):
    quoted, mentioned, writer = user_factory(), user_factory(display_name="Lin Wei"), user_factory()
    thread = thread_factory(author=writer)
    first = forum.reply(thread, author=quoted, body="I like it.")
    db.session.commit()
    forum.reply(thread, author=writer, body="Agreed, @Lin Wei what do you think?", quoted=first)
    db.session.commit()
    send_all()
    to_others = [m["To"] for m in smtp_server.messages if m["To"] != writer.email]  # the writer heard of the reply
    assert sorted(to_others) == sorted([quoted.email, mentioned.email])
    assert sorted(_categories()) == ["mentions", "mentions", "replies"]


def test_a_hosts_reply_is_the_answer_to_my_inquiry(db, thread_factory, user_factory, moderator, smtp_server):
    member = user_factory()
    thread = thread_factory(author=member, title="Is this safe for sensitive skin?")
    forum.reply(thread, author=moderator, body="Yes, it is fragrance-free.")
    db.session.commit()
    send_all()
    assert _categories() == ["inquiry_answers"] and smtp_server.messages[0]["To"] == member.email


@pytest.mark.parametrize("kind", ["post_hidden", "post_restored", "post_quarantined", "thread_hidden"])
def test_my_post_hidden_or_restored_emails_me(db, member, moderator, smtp_server, kind):
    notify(member.id, kind, "A host hid your post in “Tea”.", url="/p/3", actor=moderator)
    db.session.commit()
    assert send_all() == 1 and _categories() == ["moderation"]


def test_my_task_answer_reviewed_emails_me(db, member, moderator, open_task, smtp_server):
    task = open_task()
    submission = tasks.submit(task, user=member, text="My shelf has three serums.", files=[])
    db.session.commit()
    tasks.review(submission, "accept", by=moderator)
    db.session.commit()
    send_all()
    assert "task_review" in _categories()
    assert any("accepted" in parts(m)[0] for m in smtp_server.messages)


def test_competition_results_email_the_entrant(db, member, smtp_server):
    notify(member.id, "competition", "You won second place in “Best shelf”.", url="/competitions/1")
    db.session.commit()
    assert send_all() == 1 and _categories() == ["competition"]


def test_mention_kinds_of_other_domains_count_as_mentions(db, member, smtp_server):
    notify(member.id, "photo_mention", "Kim mentioned you under a photo.", url="/p/9")
    db.session.commit()
    assert send_all() == 1 and _categories() == ["mentions"]


def test_kinds_outside_the_preferences_stay_in_app(db, member, smtp_server):
    notify(member.id, "badge", "You earned a badge.")
    db.session.commit()
    assert outbox_rows() == [] and send_all() == 0


def test_digest_and_never_choices_send_nothing_at_once(db, thread_factory, user_factory, smtp_server):
    author, replier = user_factory(), user_factory()
    preferences.set_choice(author.id, "replies", preferences.DIGEST)
    thread = thread_factory(author=author)
    forum.reply(thread, author=replier, body="One")
    preferences.set_choice(author.id, "replies", preferences.NEVER)
    forum.reply(thread, author=replier, body="Two")
    db.session.commit()
    assert outbox_rows() == [] and send_all() == 0


def test_defaults_suit_a_research_community(db, member):
    modes = preferences.choices(member.id)
    assert modes["replies"] == modes["mentions"] == modes["inquiry_answers"] == preferences.IMMEDIATE
    assert modes["moderation"] == modes["task_review"] == modes["competition"] == preferences.IMMEDIATE
    assert modes["new_activity"] == preferences.DIGEST and modes["digest"] == preferences.WEEKLY


def test_suspended_members_get_no_email(db, member, smtp_server):
    from app.db import utcnow

    member.suspended_at = utcnow()
    db.session.commit()
    notify(member.id, "reply", "x replied", url="/p/1")
    db.session.commit()
    assert outbox_rows() == [] and OutboxStatus.QUEUED


def test_a_notification_sent_from_inside_a_flush_still_queues_its_email(db, member, moderator, thread_factory):
    """Domains may notify from a before_flush hook (moderation tells authors that way): no savepoint, no flush."""
    import sqlalchemy as sa
    from sqlalchemy.orm import Session

    from app.forum.models import Thread

    told = []

    def tell(session, _context, _instances):
        for obj in list(session.dirty):
            if isinstance(obj, Thread) and not told:
                told.append(notify(member.id, "post_hidden", "A host hid your thread.", url=f"/t/{obj.id}",
                                   actor=moderator))

    thread = thread_factory(author=member)
    sa.event.listen(Session, "before_flush", tell)
    try:
        thread.title = "A renamed thread"
        db.session.commit()
    finally:
        sa.event.remove(Session, "before_flush", tell)
    assert told and [r.payload["category"] for r in outbox_rows()] == ["moderation"]
