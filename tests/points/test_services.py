"""The points ledger: idempotent awards, posting caps, replies received, moderation, grants, VIP, levels, badges."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.core.exceptions import DomainError
from app.core.settings import set_setting
from app.db import utcnow
from app.forum import services as forum
from app.members.levels import LEVELS, level_for
from app.members.models import User
from app.members.notifications import Notification
from app.points import services
from app.points.badges import badges_of
from app.points.models import BadgeAward, PointEvent


def _reasons(user) -> list[tuple[str, int]]:
    from app.extensions import db

    return [(e.reason, e.amount) for e in db.session.scalars(
        sa.select(PointEvent).where(PointEvent.user_id == user.id).order_by(PointEvent.id))]


def _consistent(db, *users) -> bool:
    db.session.expire_all()
    return all(db.session.get(User, u.id).points == services.ledger_balance(u.id) for u in users)


def test_an_award_with_a_reference_is_made_once(member, db):
    first = services.award_points(member, 10, "task_accepted", ref_type="task_submission", ref_id=7)
    again = services.award_points(member, 10, "task_accepted", ref_type="task_submission", ref_id=7)
    db.session.commit()
    assert first is not None and again is None
    assert member.points == 10 and _consistent(db, member)


def test_hosts_and_researchers_collect_no_points(moderator, researcher, admin, db):
    for user in (moderator, researcher, admin):
        assert services.award_points(user, 5, "competition_win", ref_type="competition_entry", ref_id=1) is None
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PointEvent)) == 0


def test_starting_a_thread_and_replying_earn_points(thread_factory, post_factory, member, db):
    thread_factory(author=member)
    post_factory(thread=thread_factory(), author=member)
    assert _reasons(member) == [("thread", 2), ("post", 1)]
    assert member.points == 3 and _consistent(db, member)


def test_posting_points_are_capped_per_day(thread_factory, member, db):
    set_setting("points.post_daily_cap", 4)
    db.session.commit()
    thread = thread_factory()
    for i in range(6):
        forum.reply(thread, author=member, body=f"Reply number {i} about oolong")
        db.session.commit()
    assert member.points == 4 and [a for _r, a in _reasons(member)] == [1, 1, 1, 1]


def test_the_daily_posting_cap_holds_when_replies_arrive_in_parallel(thread_factory, member, db, parallel):
    from app.forum.models import Thread

    set_setting("points.post_daily_cap", 3)
    db.session.commit()
    thread_id, member_id = thread_factory().id, member.id

    def post(index: int) -> None:
        forum.reply(db.session.get(Thread, thread_id), author=db.session.get(User, member_id),
                    body=f"Parallel reply {index} about pu-erh")

    assert parallel(8, post) == []
    assert 0 < services.ledger_balance(member_id) <= 3 and _consistent(db, member)


def test_yesterdays_posting_points_do_not_count_towards_todays_cap(thread_factory, member, db):
    set_setting("points.post_daily_cap", 2)
    db.session.commit()
    thread = thread_factory()
    for i in range(2):
        forum.reply(thread, author=member, body=f"Early reply {i}")
        db.session.commit()
    db.session.execute(sa.update(PointEvent).values(created_at=utcnow() - timedelta(days=1)))
    forum.reply(thread, author=member, body="A new day")
    db.session.commit()
    assert member.points == 3


def test_replies_received_count_distinct_members_once_per_thread(thread_factory, user_factory, moderator, db):
    author = user_factory()
    thread = thread_factory(author=author)
    bob, carol = user_factory(), user_factory()
    for replier in (bob, bob, carol, author, moderator):
        forum.reply(thread, author=replier, body=f"Hello from {replier.display_name}")
        db.session.commit()
    received = [a for r, a in _reasons(author) if r == "reply_received"]
    assert received == [1, 1]


def test_quoting_a_member_counts_as_a_reply_to_them(thread_factory, user_factory, db):
    thread = thread_factory()
    quoted_author = user_factory()
    quoted = forum.reply(thread, author=quoted_author, body="Pu'er is best aged.")
    forum.reply(thread, author=user_factory(), body="Agreed", quoted=quoted)
    db.session.commit()
    assert ("reply_received", 1) in _reasons(quoted_author)


def test_a_held_post_earns_nothing_until_approved_and_hiding_takes_points_back(thread_factory, user_factory,
                                                                               moderator, db):
    from app.moderation.services import moderate_post

    spammer = user_factory()
    thread = thread_factory()
    post = forum.reply(thread, author=spammer, body="Add wechat wxid_abc1234 call 13812345678 mail me@spam.test "
                                                    "buy now http://spam.test http://spam.test/2")
    db.session.commit()
    assert post.state == "pending" and spammer.points == 0
    moderate_post(post, "approve", by=moderator)
    db.session.commit()
    assert spammer.points == 1
    moderate_post(post, "hide", by=moderator, reason="Advert")
    db.session.commit()
    assert spammer.points == 0
    moderate_post(post, "restore", by=moderator)
    db.session.commit()
    assert spammer.points == 1
    assert [r for r, _a in _reasons(spammer)] == ["post", "post_removed", "post_restored"]
    assert _consistent(db, spammer)


def test_hosts_grant_and_take_back_points_with_a_reason(member, moderator, db):
    services.adjust_points(member, 30, by=moderator, reason="Great diary")
    services.adjust_points(member, -10, by=moderator, reason="Duplicate entry")
    db.session.commit()
    assert member.points == 20 and _consistent(db, member)
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.verb.like("points.%"))
                                .order_by(AuditEvent.id)).all()
    assert [(e.verb, e.reason, e.after["amount"]) for e in events] == [("points.grant", "Great diary", 30),
                                                                        ("points.revoke", "Duplicate entry", -10)]
    notes = db.session.scalars(sa.select(Notification.text).where(Notification.kind == "points")).all()
    assert any("Great diary" in n for n in notes)


@pytest.mark.parametrize("amount, reason, field", [(5, " ", "reason"), (0, "x", "amount"), (-50, "x", "amount"),
                                                   (10_001, "x", "amount")])
def test_grants_need_a_reason_and_cannot_go_below_zero(member, moderator, amount, reason, field):
    with pytest.raises(DomainError) as error:
        services.adjust_points(member, amount, by=moderator, reason=reason)
    assert error.value.field == field


def test_only_hosts_adjust_points_and_never_for_hosts_or_themselves(member, user_factory, moderator, admin):
    with pytest.raises(DomainError):
        services.adjust_points(user_factory(), 5, by=member, reason="Friend")
    with pytest.raises(DomainError):
        services.adjust_points(admin, 5, by=moderator, reason="Boss")


def test_vip_is_granted_and_removed_with_a_reason(member, moderator, db):
    with pytest.raises(DomainError):
        services.set_vip(member, True, by=moderator, reason="")
    assert services.set_vip(member, True, by=moderator, reason="Thoughtful reviews")
    assert not services.set_vip(member, True, by=moderator, reason="Again")
    assert services.set_vip(member, False, by=moderator, reason="Inactive")
    db.session.commit()
    verbs = db.session.scalars(sa.select(AuditEvent.verb).where(AuditEvent.target_id == member.id)).all()
    assert verbs == ["user.vip_grant", "user.vip_remove"] and not member.is_vip
    with pytest.raises(DomainError):
        services.set_vip(member, True, by=member, reason="Me")


def test_a_vip_granted_by_a_host_flags_with_double_weight_until_removed(member, moderator, post_factory, db):
    from app.moderation.services import flag_post

    services.set_vip(member, True, by=moderator, reason="Trusted reviewer")
    assert flag_post(post_factory(), by=member, reason="spam").weight == 2
    services.set_vip(member, False, by=moderator, reason="Stepped back")
    assert flag_post(post_factory(), by=member, reason="spam").weight == 1


def test_levels_come_from_thresholds_in_one_place():
    assert [level_for(level.min_points).number for level in LEVELS] == [level.number for level in LEVELS]
    assert level_for(0).number == 1 and level_for(LEVELS[1].min_points - 1).number == 1
    assert level_for(10**9).number == LEVELS[-1].number


def test_reaching_a_level_notifies_once(member, moderator, db):
    services.adjust_points(member, LEVELS[1].min_points, by=moderator, reason="Welcome")
    services.adjust_points(member, 1, by=moderator, reason="More")
    db.session.commit()
    levels = db.session.scalars(sa.select(Notification.text).where(Notification.kind == "level")).all()
    assert len(levels) == 1 and "level 2" in levels[0]


def test_the_first_post_badge_is_awarded_once(thread_factory, post_factory, member, db):
    thread_factory(author=member)
    post_factory(author=member)
    assert [b["code"] for b in badges_of(member.id)] == ["first_post"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)
                             .where(Notification.kind == "badge", Notification.user_id == member.id)) == 1


def test_the_hundredth_upvote_earns_a_badge(post_factory, user_factory, member, db):
    from app.forum.models import Post

    post = post_factory(author=member)
    db.session.execute(sa.update(Post).where(Post.id == post.id).values(reaction_count=99))
    db.session.commit()
    assert "upvotes_100" not in [b["code"] for b in badges_of(member.id)]
    forum.toggle_reaction(db.session.get(Post, post.id), user=user_factory())
    db.session.commit()
    assert "upvotes_100" in [b["code"] for b in badges_of(member.id)]


def test_ten_accepted_task_answers_earn_a_badge(member, db):
    for submission_id in range(1, 11):
        assert "tasks_10" not in [b["code"] for b in badges_of(member.id)]
        services.award_points(member, 10, "task_accepted", ref_type="task_submission", ref_id=submission_id)
    db.session.commit()
    assert "tasks_10" in [b["code"] for b in badges_of(member.id)]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BadgeAward)
                             .where(BadgeAward.user_id == member.id)) == 1


def test_an_accepted_task_answer_awards_its_points_through_the_ledger(member, moderator, db):
    from app.tasks import services as tasks

    task = tasks.save_task(None, by=moderator, title="Morning tea diary", instructions="Tell us",
                           opens_at=utcnow() - timedelta(hours=1), due_at=utcnow() + timedelta(days=1),
                           min_photos=0, points=15, is_masked=True)
    submission = tasks.submit(task, user=member, text="Green tea at seven", files=[])
    tasks.review(submission, "accept", by=moderator)
    tasks.review(submission, "needs_more", by=moderator, note="A photo?")
    tasks.review(submission, "accept", by=moderator)
    db.session.commit()
    assert [(r, a) for r, a in _reasons(member) if r == "task_accepted"] == [("task_accepted", 15)]


def test_rebuild_balances_repairs_the_cached_column(member, moderator, db):
    services.adjust_points(member, 12, by=moderator, reason="Thanks")
    db.session.execute(sa.update(User).where(User.id == member.id).values(points=999))
    db.session.commit()
    assert services.rebuild_balances() == 1
    db.session.commit()
    assert _consistent(db, member) and db.session.get(User, member.id).points == 12


def test_a_reply_marked_as_spam_takes_back_what_its_thread_author_received(thread_factory, user_factory,
                                                                            moderator, db):
    from app.moderation.services import moderate_post

    author, replier = user_factory(), user_factory()
    thread = thread_factory(author=author)
    reply = forum.reply(thread, author=replier, body="Lovely oolong, where did you buy it?")
    db.session.commit()
    before = author.points
    assert ("reply_received", 1) in _reasons(author) and replier.points == 1
    moderate_post(reply, "spam", by=moderator, reason="Advert")
    db.session.commit()
    assert author.points == before - 1 and replier.points == 0
    moderate_post(reply, "restore", by=moderator)
    db.session.commit()
    assert author.points == before and replier.points == 1
    assert [r for r, _a in _reasons(author) if r.startswith("reply")] == [
        "reply_received", "reply_removed", "reply_restored"]
    assert _consistent(db, author, replier)


def test_the_cached_balance_equals_the_ledger_after_every_kind_of_change(thread_factory, user_factory, moderator,
                                                                           poll_factory, competition_factory, db):
    """Posting, replies received, hiding, spam, restoring, polls, tasks, competitions, grants: balance == ledger."""
    from app.competitions import closing
    from app.competitions import services as competitions
    from app.forum.models import Post
    from app.moderation.services import moderate_post
    from app.polls import services as polls
    from app.tasks import services as tasks

    alice, bob, carol = user_factory(), user_factory(), user_factory()
    steps = []
    thread = thread_factory(author=alice)
    steps.append(lambda: forum.reply(thread, author=bob, body="Bob says hello"))

    def post(number: int) -> Post:
        return db.session.scalar(sa.select(Post).where(Post.thread_id == thread.id, Post.number == number))

    steps.append(lambda: forum.reply(thread, author=carol, body="Carol agrees", quoted=post(2)))
    steps.append(lambda: moderate_post(post(2), "hide", by=moderator, reason="Rude"))
    steps.append(lambda: moderate_post(post(3), "spam", by=moderator, reason="Spam"))
    steps.append(lambda: moderate_post(post(2), "restore", by=moderator))
    poll = poll_factory()
    steps.append(lambda: polls.vote(poll, user=bob, option_ids=[poll.options[0].id]))
    steps.append(lambda: polls.vote(poll, user=bob, option_ids=[poll.options[1].id]))
    task = tasks.save_task(None, by=moderator, title="Tea diary", instructions="Tell us", min_photos=0, points=15,
                           opens_at=utcnow() - timedelta(hours=1), due_at=utcnow() + timedelta(days=1),
                           is_masked=True)
    answer = {}
    steps.append(lambda: answer.setdefault("s", tasks.submit(task, user=carol, text="Green tea", files=[])))
    steps.append(lambda: tasks.review(answer["s"], "accept", by=moderator))
    steps.append(lambda: tasks.review(answer["s"], "needs_more", by=moderator, note="A photo?"))
    steps.append(lambda: tasks.review(answer["s"], "accept", by=moderator))
    start = utcnow() - timedelta(days=1, hours=12)
    competition = competition_factory(start=start)
    entries = {}
    for person in (alice, bob):
        steps.append(lambda p=person: entries.setdefault(p.id, competitions.enter(
            competition, user=p, title="My moment", body="Tea at dawn", now=start + timedelta(hours=1))))
    steps.append(lambda: competitions.moderate_entry(entries[bob.id], "hide", by=moderator, reason="Copied"))
    steps.append(lambda: competitions.moderate_entry(entries[bob.id], "restore", by=moderator))
    steps.append(lambda: competitions.vote(entries[alice.id], user=carol))
    steps.append(lambda: closing.close_competition(competition, now=utcnow()))
    steps.append(lambda: services.adjust_points(bob, 40, by=moderator, reason="Helpful"))
    steps.append(lambda: services.adjust_points(bob, -5, by=moderator, reason="Duplicate"))
    for number, step in enumerate(steps):
        step()
        db.session.commit()
        assert _consistent(db, alice, bob, carol), f"step {number}"
    assert all(db.session.get(User, u.id).points > 0 for u in (alice, bob, carol))


def test_a_task_answer_sent_back_for_more_loses_its_points_until_accepted_again(member, moderator, db):
    from app.tasks import services as tasks

    task = tasks.save_task(None, by=moderator, title="Morning tea diary", instructions="Tell us",
                           opens_at=utcnow() - timedelta(hours=1), due_at=utcnow() + timedelta(days=1),
                           min_photos=0, points=15, is_masked=True)
    submission = tasks.submit(task, user=member, text="Green tea at seven", files=[])
    tasks.review(submission, "accept", by=moderator)
    db.session.commit()
    assert member.points == 15
    tasks.review(submission, "needs_more", by=moderator, note="A photo?")
    db.session.commit()
    assert member.points == 0
    tasks.review(submission, "accept", by=moderator)
    db.session.commit()
    assert member.points == 15 and _consistent(db, member)


def test_ten_accepted_answers_earn_the_badge_even_for_tasks_worth_no_points(member, moderator, db):
    from app.tasks import services as tasks

    for number in range(10):
        assert "tasks_10" not in [b["code"] for b in badges_of(member.id)]
        task = tasks.save_task(None, by=moderator, title=f"Quick check {number}", instructions="Tell us",
                               opens_at=utcnow() - timedelta(hours=1), due_at=utcnow() + timedelta(days=1),
                               min_photos=0, points=0, is_masked=False)
        tasks.review(tasks.submit(task, user=member, text="Done", files=[]), "accept", by=moderator)
    db.session.commit()
    assert "tasks_10" in [b["code"] for b in badges_of(member.id)] and member.points == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.user_id == member.id, Notification.kind == "badge")) == 1


def test_the_clear_spam_sweep_takes_back_the_points_of_what_it_quarantines(thread_factory, user_factory, db):
    from app.forum.models import Post
    from app.forum.services import edit_post
    from app.moderation.spam import sweep_spam

    author, spammer = user_factory(), user_factory()
    thread = thread_factory(author=author)
    post = forum.reply(thread, author=spammer, body="First version of my post")
    db.session.commit()
    author_before = author.points
    assert spammer.points == 1 and ("reply_received", 1) in _reasons(author)
    edit_post(post, editor=spammer, body="加微信 deal12345 买便宜货 http://x.example/a http://y.example/b")
    db.session.commit()
    sweep_spam(utcnow() + timedelta(seconds=1))
    db.session.commit()
    assert db.session.get(Post, post.id).state == "spam"
    assert spammer.points == 0 and author.points == author_before - 1
    assert _consistent(db, author, spammer)
