"""Flags and the review queue: services and views."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.core.exceptions import DomainError
from app.core.settings import set_setting
from app.forum.models import Post
from app.moderation import services
from app.moderation.models import Flag, ReviewItem


def _audit_verbs(db):
    return [e.verb for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]


def test_member_flags_count_once_and_hide_at_the_threshold(db, post_factory, user_factory):
    post = post_factory()
    set_setting("flags.hide_threshold", 2)
    services.flag_post(post, by=user_factory(), reason="spam")
    assert post.state == "published"
    assert db.session.scalar(sa.select(ReviewItem.kind).where(ReviewItem.post_id == post.id)) == "flagged"
    services.flag_post(post, by=user_factory(), reason="abusive")
    db.session.commit()
    assert post.state == "hidden"
    items = db.session.scalars(sa.select(ReviewItem).where(ReviewItem.post_id == post.id)).all()
    assert len(items) == 1 and items[0].kind == "flagged" and items[0].handled_at is None
    assert items[0].reasons == ["flag-weight:2", "abusive", "spam"]
    assert "post.hide_by_flags" in _audit_verbs(db)


def test_member_cannot_flag_the_same_post_twice(db, post_factory, member):
    post = post_factory()
    services.flag_post(post, by=member, reason="off_topic")
    with pytest.raises(DomainError):
        services.flag_post(post, by=member, reason="spam")


def test_a_double_submitted_flag_counts_once_and_the_second_is_told_why(db, post_factory, member, parallel):
    from app.members.models import User

    post = post_factory()
    post_id, member_id = post.id, member.id

    def submit(index: int) -> None:
        services.flag_post(db.session.get(Post, post_id), by=db.session.get(User, member_id), reason="spam")

    errors = parallel(2, submit)
    assert all(isinstance(error, DomainError) for error in errors), errors
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Flag).where(Flag.post_id == post_id)) == 1


def test_members_flagging_a_post_at_once_share_one_review_item(db, post_factory, user_factory, parallel):
    from app.members.models import User

    post = post_factory()
    set_setting("flags.hide_threshold", 100)
    flaggers = [user_factory().id for _ in range(4)]

    def submit(index: int) -> None:
        services.flag_post(db.session.get(Post, post.id), by=db.session.get(User, flaggers[index]), reason="spam")

    assert parallel(4, submit) == []
    flags = db.session.scalar(sa.select(sa.func.count()).select_from(Flag).where(Flag.post_id == post.id))
    items = db.session.scalars(sa.select(ReviewItem).where(ReviewItem.post_id == post.id)).all()
    assert len(items) == 1 and items[0].reasons[0] == f"flag-weight:{flags}"


def test_the_database_keeps_one_open_review_item_per_post_whatever_its_kind(db, post_factory):
    from app.db import utcnow

    post = post_factory()
    db.session.add(ReviewItem(post_id=post.id, kind="flagged", score=1))
    db.session.commit()
    for kind in ("flagged", "pending"):  # neither the same kind nor another may wait beside it
        db.session.add(ReviewItem(post_id=post.id, kind=kind, score=2))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()
    db.session.execute(sa.update(ReviewItem).values(handled_at=utcnow()))
    db.session.add(ReviewItem(post_id=post.id, kind="pending", score=3))  # once handled, it may come back
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewItem)) == 2


def test_quarantining_a_post_again_updates_its_waiting_item(db, post_factory):
    from app.db import utcnow
    from app.moderation.spam import Score, quarantine

    post = post_factory()
    quarantine(post, Score(6.0, ["links:3"]), now=utcnow())
    quarantine(post, Score(9.0, ["links:3", "author-has-confirmed-spam"]), now=utcnow())
    db.session.commit()
    items = db.session.scalars(sa.select(ReviewItem).where(ReviewItem.post_id == post.id)).all()
    assert [(i.kind, i.score, i.handled_at) for i in items] == [("spam", 9.0, None)]


def test_flags_arriving_together_hide_a_post_once(db, post_factory, user_factory, parallel):
    from app.members.models import User

    post = post_factory()
    set_setting("flags.hide_threshold", 1)
    db.session.commit()
    flaggers = [user_factory().id for _ in range(3)]

    def submit(index: int) -> None:
        services.flag_post(db.session.get(Post, post.id), by=db.session.get(User, flaggers[index]), reason="spam")

    errors = parallel(3, submit)
    assert all(isinstance(error, DomainError) for error in errors), errors
    db.session.refresh(post)
    assert post.state == "hidden"
    assert _audit_verbs(db).count("post.hide_by_flags") == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Flag).where(Flag.post_id == post.id)) == 1


def test_vip_flag_weighs_double(db, post_factory, user_factory):
    set_setting("flags.hide_threshold", 2)
    vip = user_factory()
    vip.is_vip = True
    post = post_factory()
    flag = services.flag_post(post, by=vip, reason="spam")
    assert flag.weight == 2 and post.state == "hidden"


def test_moderator_flag_hides_at_once(db, post_factory, moderator):
    post = post_factory()
    services.flag_post(post, by=moderator, reason="abusive")
    assert post.state == "hidden"


def test_other_reason_needs_a_note(db, post_factory, member):
    with pytest.raises(DomainError) as error:
        services.flag_post(post_factory(), by=member, reason="other", note="  ")
    assert error.value.field == "note"


def test_member_cannot_flag_own_post(db, post_factory, member):
    with pytest.raises(DomainError):
        services.flag_post(post_factory(author=member), by=member, reason="spam")


@pytest.mark.parametrize("action, state", [("hide", "hidden"), ("spam", "spam"), ("restore", "published")])
def test_moderation_actions_change_state_close_items_and_audit(db, post_factory, moderator, action, state):
    post = post_factory()
    services.flag_post(post, by=moderator, reason="spam")
    if action == "restore":
        services.moderate_post(post, "spam", by=moderator)
    changed = services.moderate_post(post, action, by=moderator, reason="checked")
    db.session.commit()
    assert changed and post.state == state
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewItem)
                             .where(ReviewItem.post_id == post.id, ReviewItem.handled_at.is_(None))) == 0
    assert f"post.{action}" in _audit_verbs(db)


def test_hiding_needs_a_reason(db, post_factory, moderator):
    with pytest.raises(DomainError):
        services.moderate_post(post_factory(), "hide", by=moderator, reason="")


def test_member_cannot_moderate(db, post_factory, member):
    with pytest.raises(DomainError):
        services.moderate_post(post_factory(), "spam", by=member)


def test_hiding_an_opening_post_hides_its_thread(db, thread_factory, moderator):
    thread = thread_factory()
    opening = db.session.scalar(sa.select(Post).where(Post.thread_id == thread.id, Post.number == 1))
    services.moderate_post(opening, "hide", by=moderator, reason="off-topic")
    assert thread.state == "hidden" and thread.hide_reason == "off-topic"


def test_dismissing_flags_brings_a_flag_hidden_post_back(db, post_factory, user_factory, moderator):
    set_setting("flags.hide_threshold", 1)
    post = post_factory()
    services.flag_post(post, by=user_factory(), reason="spam")
    assert post.state == "hidden"
    services.moderate_post(post, "dismiss", by=moderator)
    assert post.state == "published"
    assert db.session.scalar(sa.select(Flag.resolved_at).where(Flag.post_id == post.id)) is not None


def test_purge_deletes_only_spam_older_than_retention_and_audits_counts(db, post_factory, moderator, admin):
    from datetime import timedelta

    from app.db import utcnow

    old, recent, normal = post_factory(), post_factory(), post_factory()
    services.moderate_post(old, "spam", by=moderator, now=utcnow() - timedelta(days=91))
    services.moderate_post(recent, "spam", by=moderator)
    db.session.commit()
    old_id = old.id
    assert services.purge_spam(utcnow(), by=admin) == 1
    db.session.commit()
    assert db.session.get(Post, old_id) is None
    assert recent.state == "spam" and normal.state == "published"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.verb == "spam.purge"))
    assert event.actor_id == admin.id and event.reason == "Spam for longer than 90 days"
    assert event.after == {"posts": 1, "threads": 0, "post_ids": [old_id], "thread_ids": [], "tombstones": 1}


def test_purge_takes_purged_posts_and_emptied_threads_off_the_counters(db, thread_factory, user_factory,
                                                                      moderator, admin):
    from datetime import timedelta

    from app.db import utcnow
    from app.forum import services as forum
    from app.forum.models import Category

    spammer, member = user_factory(), user_factory()
    kept = thread_factory(author=member)
    category = db.session.get(Category, kept.category_id)
    spam_thread = thread_factory(category=category, author=spammer)
    spam_reply = forum.reply(kept, author=spammer, body="Buy followers now")
    db.session.commit()
    before = (category.thread_count, category.post_count, spammer.thread_count, spammer.post_count)
    assert before == (2, 3, 1, 2)
    long_ago = utcnow() - timedelta(days=91)
    opening = db.session.scalar(sa.select(Post).where(Post.thread_id == spam_thread.id))
    for post in (opening, spam_reply):
        services.moderate_post(post, "spam", by=moderator, now=long_ago)
    db.session.commit()
    assert services.purge_spam(utcnow(), by=admin) == 2
    db.session.commit()
    db.session.refresh(category), db.session.refresh(spammer), db.session.refresh(member)
    assert (category.thread_count, category.post_count) == (1, 1)
    assert (spammer.thread_count, spammer.post_count) == (0, 0) and (member.thread_count, member.post_count) == (1, 1)


# --- views -----------------------------------------------------------------------------------------


def test_member_flags_a_post_through_the_form(member_client, post_factory, db):
    post = post_factory()
    page = member_client.get(f"/p/{post.id}/flag")
    assert page.status_code == 200
    response = member_client.post(f"/p/{post.id}/flag", data={"reason": "spam", "note": "ads"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Flag.reason).where(Flag.post_id == post.id)) == "spam"


def test_flag_form_without_reason_shows_message_and_keeps_note(member_client, post_factory):
    post = post_factory()
    page = member_client.post(f"/p/{post.id}/flag", data={"note": "my careful note"})
    assert page.status_code == 200
    assert b"my careful note" in page.data and b"Choose a reason" in page.data


def test_moderator_sees_queue_with_reasons(moderator_client, post_factory, moderator, db):
    post = post_factory(body="suspicious text")
    services.flag_post(post, by=moderator, reason="spam", note="looks like ads")
    db.session.commit()
    page = moderator_client.get("/mod/")
    assert page.status_code == 200
    assert b"suspicious text" in page.data and b"looks like ads" in page.data


def test_queue_filters_by_kind_and_member(moderator_client, post_factory, user_factory, moderator, db):
    alice = user_factory(display_name="Alice")
    services.flag_post(post_factory(author=alice, body="alice words"), by=moderator, reason="spam")
    services.flag_post(post_factory(body="other words"), by=moderator, reason="spam")
    db.session.commit()
    page = moderator_client.get("/mod/?member=alic&kind=flagged")
    assert b"alice words" in page.data and b"other words" not in page.data
    assert b"alice words" not in moderator_client.get("/mod/?kind=pending").data


def test_queue_filters_by_category_and_keeps_it_chosen(moderator_client, thread_factory, category_factory, post_factory,
                                                      moderator, db):
    teas, skin = category_factory(name="Teas"), category_factory(name="Skin")
    services.flag_post(post_factory(thread=thread_factory(category=teas), body="oolong words"), by=moderator,
                       reason="spam")
    services.flag_post(post_factory(thread=thread_factory(category=skin), body="serum words"), by=moderator,
                       reason="spam")
    db.session.commit()
    page = moderator_client.get(f"/mod/?category={teas.id}")
    assert page.status_code == 200
    assert b"oolong words" in page.data and b"serum words" not in page.data
    assert f'<option value="{teas.id}" selected>'.encode() in page.data


def test_moderator_handles_an_item_and_it_leaves_the_queue(moderator_client, post_factory, moderator, db):
    post = post_factory(body="flagged body")
    services.flag_post(post, by=moderator, reason="spam")
    db.session.commit()
    item = db.session.scalar(sa.select(ReviewItem))
    response = moderator_client.post(f"/mod/review/{item.id}", data={"action": "spam", "reason": "ads",
                                                                      "version": item.version})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, post.id).state == "spam"
    assert b"flagged body" not in moderator_client.get("/mod/").data
    handled = moderator_client.get("/mod/handled")
    assert b"Mark as spam" in handled.data


def test_items_the_migration_merged_read_as_merged_in_the_history(moderator_client, post_factory, db):
    from app.db import utcnow

    post = post_factory()
    db.session.add(ReviewItem(post_id=post.id, kind="flagged", handled_at=utcnow(), action="merged"))
    db.session.commit()
    assert b"Merged into a newer item for the same post" in moderator_client.get("/mod/handled").data


def test_bulk_action_handles_every_ticked_item(moderator_client, post_factory, moderator, db):
    posts = [post_factory() for _ in range(3)]
    for post in posts:
        services.flag_post(post, by=moderator, reason="spam")
    db.session.commit()
    ids = [f"{i.id}:{i.version}" for i in db.session.scalars(sa.select(ReviewItem))]
    response = moderator_client.post("/mod/review/bulk", data={"item_ids": ids, "action": "restore"})
    assert response.status_code == 302
    db.session.expire_all()
    assert {db.session.get(Post, p.id).state for p in posts} == {"published"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.verb == "post.restore")) == 3


def test_suspend_author_from_the_queue(moderator_client, post_factory, user_factory, moderator, db):
    author = user_factory()
    services.flag_post(post_factory(author=author), by=moderator, reason="spam")
    db.session.commit()
    item = db.session.scalar(sa.select(ReviewItem))
    moderator_client.post(f"/mod/review/{item.id}", data={"action": "suspend_author", "reason": "spammer",
                                                                 "version": item.version})
    db.session.expire_all()
    assert author.is_suspended and author.suspend_reason == "spammer"
    assert {"user.suspend", "post.hide"} <= set(_audit_verbs(db))


def test_an_author_suspended_from_the_queue_is_told_why(moderator_client, post_factory, user_factory, moderator, db):
    from app.members.notifications import Notification

    author = user_factory()
    services.flag_post(post_factory(author=author), by=moderator, reason="spam")
    db.session.commit()
    item = db.session.scalar(sa.select(ReviewItem))
    moderator_client.post(f"/mod/review/{item.id}", data={"action": "suspend_author", "reason": "spammer",
                                                                 "version": item.version})
    sent = db.session.scalars(sa.select(Notification).where(Notification.user_id == author.id,
                                                            Notification.kind == "suspended")).all()
    assert len(sent) == 1 and "spammer" in sent[0].text


def test_hide_from_thread_page_without_reason_is_refused(moderator_client, post_factory, db):
    post = post_factory()
    response = moderator_client.post(f"/mod/posts/{post.id}/hide", data={"reason": "", "version": 0})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, post.id).state == "published"


def test_message_author_creates_a_notification(moderator_client, member, db):
    from app.members.notifications import Notification

    response = moderator_client.post(f"/mod/users/{member.id}/message?back=//evil.example",
                                     data={"text": "Please keep it friendly"})
    assert response.status_code == 302 and "evil" not in response.headers["Location"]
    note = db.session.scalar(sa.select(Notification).where(Notification.user_id == member.id))
    assert note.text == "Please keep it friendly"
    assert "user.message" in _audit_verbs(db)


@pytest.mark.parametrize("client_fixture", ["member_client", "researcher_client"])
@pytest.mark.parametrize("method, url", [
    ("get", "/mod/"), ("get", "/mod/handled"), ("post", "/mod/review/1"), ("post", "/mod/review/bulk"),
    ("post", "/mod/posts/1/hide"), ("get", "/mod/users/1/message"),
])
def test_members_and_researchers_cannot_moderate(request, client_fixture, method, url):
    client = request.getfixturevalue(client_fixture)
    assert getattr(client, method)(url).status_code == 403
