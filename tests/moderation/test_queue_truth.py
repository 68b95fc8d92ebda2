"""One truth per post in the review queue: one open item, versions named by every action, stale actions refused,
and two hosts acting at once on real concurrent connections."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.db import utcnow
from app.forum.models import Post
from app.members.models import User
from app.moderation import review, services
from app.moderation.models import ReviewItem, ReviewKind
from app.moderation.queue import StaleAction, open_item
from app.moderation.spam import Score, quarantine
from tests.conftest import TEST_DATABASE_URL

ON_POSTGRES = (TEST_DATABASE_URL or "").startswith("postgresql")


def _held(post: Post, *, reasons=("wechat-id",), score: float = 6.0) -> ReviewItem:
    """The post as the spam rules leave it on write: pending, with its item."""
    post.state = "pending"
    item = open_item(post, ReviewKind.PENDING, score=score, reasons=list(reasons), now=utcnow())
    return item


def _open_items(db, post_id: int) -> list[ReviewItem]:
    return db.session.scalars(sa.select(ReviewItem).where(ReviewItem.post_id == post_id,
                                                          ReviewItem.handled_at.is_(None))).all()


def _post_events(db, post_id: int) -> list[AuditEvent]:
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.target_type == "post",
                                                          AuditEvent.target_id == post_id,
                                                          AuditEvent.verb.startswith("post."))
                              .order_by(AuditEvent.id)).all()


# --- one open item per post ---------------------------------------------------------------------------------

def test_a_held_post_that_is_then_quarantined_has_one_item_with_both_reasons(db, post_factory):
    post = post_factory()
    item = _held(post, reasons=["wechat-id"])
    db.session.flush()
    quarantine(post, Score(9.0, ["wechat-id", "author-has-confirmed-spam"]), now=utcnow())
    db.session.commit()
    [only] = _open_items(db, post.id)
    assert only.id == item.id and only.kind == "spam" and only.score == 9.0
    assert only.reasons == ["wechat-id", "author-has-confirmed-spam"]
    assert set(only.kind_reasons) == {"pending", "spam"} and only.version == 2


def test_flags_on_a_post_merge_into_its_waiting_item_and_replace_their_own_reasons(db, post_factory, user_factory):
    post = post_factory()
    services.flag_post(post, by=user_factory(), reason="spam")
    services.flag_post(post, by=user_factory(), reason="abusive")
    db.session.commit()
    [item] = _open_items(db, post.id)
    assert item.kind == "flagged" and item.reasons == ["flag-weight:2", "abusive", "spam"]


def test_the_same_reasons_again_leave_the_item_and_its_version_alone(db, post_factory):
    post = post_factory()
    item = _held(post)
    db.session.flush()
    assert open_item(post, ReviewKind.PENDING, score=6.0, reasons=["wechat-id"], now=utcnow()) is item
    assert item.version == 1


# --- stale actions, on both databases ------------------------------------------------------------------------

def test_approving_a_held_post_after_the_sweep_quarantined_it_is_refused(db, post_factory, moderator):
    """The finding: Approve on a stale Pending row published a quarantined post."""
    post = post_factory()
    item = _held(post)
    db.session.commit()
    shown = item.version
    quarantine(post, Score(9.0, ["wechat-id", "same-text-from-3-accounts"]), now=utcnow())
    db.session.commit()
    with pytest.raises(StaleAction) as refused:
        review.handle_review_item(item, "approve", by=moderator, seen_version=shown)
    db.session.rollback()
    assert "already handled by job:clear_spam" in refused.value.message
    db.session.expire_all()
    assert db.session.get(Post, post.id).state == "spam"
    assert [e.verb for e in _post_events(db, post.id)] == ["post.quarantine"]


def test_a_handled_item_refuses_a_second_action_saying_who_and_when(db, post_factory, user_factory):
    first = user_factory(role="moderator", display_name="Host Ann")
    second = user_factory(role="moderator", display_name="Host Bo")
    post = post_factory()
    item = _held(post)
    db.session.commit()
    shown = item.version
    assert review.handle_review_item(item, "spam", by=first, seen_version=shown)
    db.session.commit()
    with pytest.raises(StaleAction) as refused:
        review.handle_review_item(item, "approve", by=second, seen_version=shown)
    db.session.rollback()
    assert "already handled by Host Ann at" in refused.value.message
    db.session.expire_all()
    assert db.session.get(Post, post.id).state == "spam"


def test_a_post_action_from_a_stale_page_is_refused_and_before_is_what_the_host_saw(db, post_factory,
                                                                                    user_factory):
    first = user_factory(role="moderator", display_name="Host Ann")
    second = user_factory(role="moderator", display_name="Host Bo")
    post = post_factory()
    db.session.commit()
    shown = post.moderation_version
    assert services.moderate_post(post, "hide", by=first, reason="rude", seen_version=shown)
    db.session.commit()
    with pytest.raises(StaleAction) as refused:
        services.moderate_post(post, "spam", by=second, seen_version=shown)
    db.session.rollback()
    assert "already handled by Host Ann" in refused.value.message
    [event] = _post_events(db, post.id)
    assert event.verb == "post.hide" and event.before == {"state": "published", "version": shown}
    assert event.after["state"] == "hidden" and event.after["version"] > shown


def test_a_post_action_also_makes_the_queue_row_stale(db, post_factory, moderator, user_factory):
    post = post_factory()
    item = _held(post)
    db.session.commit()
    shown = item.version
    services.moderate_post(post, "approve", by=user_factory(role="moderator"), seen_version=post.moderation_version)
    db.session.commit()
    with pytest.raises(StaleAction):
        review.handle_review_item(item, "spam", by=moderator, seen_version=shown)


def test_every_state_change_grows_the_post_version(db, post_factory, user_factory):
    post = post_factory()
    start = post.moderation_version
    quarantine(post, Score(9.0, ["links:3"]), now=utcnow())
    db.session.flush()
    assert post.moderation_version == start + 1


# --- views: the message on the page ----------------------------------------------------------------------------

def test_the_queue_page_carries_each_item_version_and_a_stale_form_shows_already_handled(
        moderator_client, db, post_factory, user_factory):
    post = post_factory(body="Add my wechat")
    item = _held(post)
    db.session.commit()
    page = moderator_client.get("/mod/").get_data(as_text=True)
    assert f'name="version" value="{item.version}"' in page and f'value="{item.id}:{item.version}"' in page
    shown = item.version
    review.handle_review_item(item, "spam", by=user_factory(role="moderator", display_name="Host Ann"))
    db.session.commit()
    response = moderator_client.post(f"/mod/review/{item.id}", data={"action": "approve", "version": shown},
                                     follow_redirects=True)
    assert "already handled by Host Ann at" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Post, post.id).state == "spam"


def test_a_stale_post_button_on_the_thread_page_is_refused(moderator_client, db, post_factory, user_factory):
    post = post_factory(body="A reply to judge")
    db.session.commit()
    page = moderator_client.get(f"/t/{post.thread_id}").get_data(as_text=True)
    assert f'name="version" value="{post.moderation_version}"' in page
    shown = post.moderation_version
    services.moderate_post(post, "hide", by=user_factory(role="moderator", display_name="Host Ann"), reason="rude")
    db.session.commit()
    response = moderator_client.post(f"/mod/posts/{post.id}/spam", data={"reason": "", "version": shown},
                                     follow_redirects=True)
    assert "already handled by Host Ann" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Post, post.id).state == "hidden"


def test_a_bulk_action_handles_fresh_rows_and_names_the_stale_ones(moderator_client, db, post_factory, user_factory):
    fresh, stale_post = post_factory(), post_factory()
    fresh_item, stale_item = _held(fresh), _held(stale_post)
    db.session.commit()
    boxes = [f"{fresh_item.id}:{fresh_item.version}", f"{stale_item.id}:{stale_item.version}"]
    review.handle_review_item(stale_item, "spam", by=user_factory(role="moderator", display_name="Host Ann"))
    db.session.commit()
    response = moderator_client.post("/mod/review/bulk", data={"item_ids": boxes, "action": "approve"},
                                     follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "1 item handled" in text and f"#{stale_item.id}: This was already handled by Host Ann" in text
    db.session.expire_all()
    assert [db.session.get(Post, p.id).state for p in (fresh, stale_post)] == ["published", "spam"]


def test_a_form_without_the_version_changes_nothing(moderator_client, db, post_factory):
    post = post_factory()
    item = _held(post)
    db.session.commit()
    moderator_client.post(f"/mod/review/{item.id}", data={"action": "approve"})
    moderator_client.post(f"/mod/posts/{post.id}/approve", data={"reason": ""})
    db.session.expire_all()
    assert db.session.get(Post, post.id).state == "pending"


def test_the_stale_message_is_in_chinese_for_a_chinese_speaking_host(moderator_client, moderator, db, post_factory,
                                                                   user_factory):
    moderator.locale = "zh_Hans"
    post = post_factory()
    item = _held(post)
    db.session.commit()
    shown = item.version
    review.handle_review_item(item, "spam", by=user_factory(role="moderator", display_name="Host Ann"))
    db.session.commit()
    response = moderator_client.post(f"/mod/review/{item.id}", data={"action": "approve", "version": shown},
                                     follow_redirects=True)
    assert "已由 Host Ann 于" in response.get_data(as_text=True)


# --- two hosts at once, on real concurrent connections ----------------------------------------------------------

PAIRS = [("queue", "approve", "queue", "spam"), ("queue", "hide", "post", "approve"),
         ("post", "spam", "post", "approve"), ("queue", "approve", "queue", "approve")]


def _act(db, how: str, action: str, item_id: int, post_id: int, host_id: int, item_version: int,
         post_version: int) -> bool:
    host = db.session.get(User, host_id)
    if how == "queue":
        return review.handle_review_item(db.session.get(ReviewItem, item_id), action, by=host, reason="checked",
                                         seen_version=item_version)
    return services.moderate_post(db.session.get(Post, post_id), action, by=host, reason="checked",
                                  seen_version=post_version)


@pytest.mark.skipif(not ON_POSTGRES, reason="two real concurrent transactions need PostgreSQL's row locks")
@pytest.mark.parametrize("round_", range(9))
def test_two_hosts_acting_on_one_item_at_once_get_one_done_and_one_already_handled(db, post_factory, user_factory,
                                                                                    parallel, round_):
    first_how, first_action, second_how, second_action = PAIRS[round_ % len(PAIRS)]
    hosts = [user_factory(role="moderator", display_name=f"Host {n}").id for n in ("Ann", "Bo")]
    post = post_factory()
    item = _held(post)
    db.session.commit()
    shown = (item.id, post.id, item.version, post.moderation_version)
    plans = [(first_how, first_action), (second_how, second_action)]
    done: list[int] = []

    def work(index: int) -> None:
        how, action = plans[index]
        if _act(db, how, action, shown[0], shown[1], hosts[index], shown[2], shown[3]):
            done.append(index)

    errors = parallel(2, work)
    assert len(done) == 1 and len(errors) == 1, (done, errors)
    assert isinstance(errors[0], StaleAction) and "already handled by Host " in errors[0].message
    winner_action = plans[done[0]][1]
    final = db.session.get(Post, post.id)
    expected = {"approve": "published", "spam": "spam", "hide": "hidden"}[winner_action]
    assert final.state == expected
    [event] = _post_events(db, post.id)
    assert event.verb == f"post.{winner_action}" and event.actor_id == hosts[done[0]]
    assert event.before["state"] == "pending" and event.after["state"] == final.state
    handled = db.session.get(ReviewItem, item.id)
    assert handled.handled_by_id == hosts[done[0]] and handled.action == winner_action
    assert _open_items(db, post.id) == []
