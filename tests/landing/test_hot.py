"""Hot ranking and the landing snapshot, with controlled data and a frozen clock."""
from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.db import utcnow
from app.forum import services as forum
from app.landing.hot import hot_score, thread_heat
from app.landing.models import LandingSnapshot
from app.landing.services import build_hot_panels, current_snapshot

NOW = utcnow().replace(microsecond=0)


def _thread(category, author, title, hours_ago):
    return forum.start_thread(category, author=author, title=title, body="opening",
                              now=NOW - timedelta(hours=hours_ago))


def test_score_rises_with_distinct_repliers_and_decays_with_age():
    base = {"reactions": 2, "hours_since_first_recent": 5, "age_hours": 5, "gravity": 1.2, "window_hours": 168}
    assert hot_score(posters=4, **base) > hot_score(posters=2, **base)
    older = dict(base, hours_since_first_recent=50, age_hours=50)
    assert hot_score(posters=4, **older) < hot_score(posters=4, **base)
    assert hot_score(reactions=0, posters=1, hours_since_first_recent=1, age_hours=1, gravity=1.2,
                     window_hours=168) == 0


def test_formula_matches_the_design(db, category_factory, user_factory):
    category = category_factory()
    members = [user_factory() for _ in range(4)]
    thread = _thread(category, members[0], "Formula", hours_ago=10)
    for i, member in enumerate(members[1:]):
        forum.reply(thread, author=member, body="reply", now=NOW - timedelta(hours=9 - i))
    db.session.commit()
    [heat] = thread_heat(NOW, gravity=1.2, window_days=7)
    expected = (0 + 4 - 1) / (10 + 2) ** 1.2 + 0 / (10 + 2) ** 1.2
    assert heat.posters == 4 and heat.replies == 3 and heat.score == pytest.approx(expected)


def test_distinct_repliers_beat_one_chatty_member(db, category_factory, user_factory):
    category = category_factory()
    starter = user_factory()
    crowd, chatty = _thread(category, starter, "Crowd", 3), _thread(category, starter, "Chatty", 3)
    for _ in range(5):
        forum.reply(chatty, author=starter, body="me again", now=NOW - timedelta(hours=2))
    for member in [user_factory() for _ in range(5)]:
        forum.reply(crowd, author=member, body="hello", now=NOW - timedelta(hours=2))
    db.session.commit()
    ranking = [h.title for h in thread_heat(NOW)]
    assert ranking.index("Crowd") < ranking.index("Chatty")


def test_hosts_researchers_and_hidden_content_never_count(db, category_factory, user_factory, moderator):
    from app.moderation.services import moderate_post

    category = category_factory()
    member = user_factory()
    thread = _thread(category, member, "Counted", 2)
    for _ in range(3):
        forum.reply(thread, author=moderator, body="host chat", now=NOW - timedelta(hours=1))
    hidden = forum.reply(thread, author=user_factory(), body="hidden reply", now=NOW - timedelta(hours=1))
    moderate_post(hidden, "hide", by=moderator, reason="rude")
    hidden_thread = _thread(category, user_factory(), "Hidden thread", 2)
    forum.reply(hidden_thread, author=user_factory(), body="x", now=NOW - timedelta(hours=1))
    opening = db.session.scalar(sa.select(forum.Post).where(forum.Post.thread_id == hidden_thread.id,
                                                            forum.Post.number == 1))
    moderate_post(opening, "hide", by=moderator, reason="off-topic")
    db.session.commit()
    heat = {h.title: h for h in thread_heat(NOW)}
    assert heat["Counted"].posters == 1 and heat["Counted"].replies == 0
    assert "Hidden thread" not in heat


def test_activity_outside_the_window_is_ignored(db, category_factory, user_factory):
    thread = _thread(category_factory(), user_factory(), "Old", hours_ago=24 * 10)
    forum.reply(thread, author=user_factory(), body="old reply", now=NOW - timedelta(days=9))
    db.session.commit()
    assert thread_heat(NOW, window_days=7) == []


def test_build_panels_swaps_in_one_new_snapshot(db, category_factory, user_factory, moderator):
    thread = _thread(category_factory(), user_factory(), "Hot one", 1)
    forum.reply(thread, author=user_factory(), body="yes", now=NOW - timedelta(minutes=30))
    db.session.commit()
    build_hot_panels(NOW)
    db.session.commit()
    build_hot_panels(NOW + timedelta(minutes=2))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LandingSnapshot)) == 1
    panels = current_snapshot().panels
    assert panels["trending"][0]["title"] == "Hot one" and panels["popular"][0]["replies"] == 1
    assert panels["figures"]["members"] >= 2 and panels["newest_members"]


def test_readers_during_a_refresh_always_see_a_complete_snapshot(app, db, category_factory, user_factory):
    thread = _thread(category_factory(), user_factory(), "Steady", 1)
    forum.reply(thread, author=user_factory(), body="yes", now=NOW - timedelta(minutes=30))
    db.session.commit()
    build_hot_panels(NOW)
    db.session.commit()
    seen, stop = [], threading.Event()

    def reader():
        with app.app_context():
            while not stop.is_set():
                snapshot = current_snapshot()
                seen.append(snapshot is not None and "trending" in snapshot.panels and
                            bool(snapshot.panels["trending"]))
                db.session.rollback()

    workers = [threading.Thread(target=reader) for _ in range(2)]
    for worker in workers:
        worker.start()
    try:
        for i in range(15):
            with app.app_context():
                build_hot_panels(NOW + timedelta(seconds=i))
                db.session.commit()
    finally:
        stop.set()
        for worker in workers:
            worker.join()
    assert seen and all(seen)


def test_refresh_hot_job_runs_from_the_cli(runner, db):
    result = runner.invoke(args=["jobs", "run-once", "refresh_hot"])
    assert result.exit_code == 0 and "refresh_hot: ok" in result.output


# --- views --------------------------------------------------------------------------------------------

def test_landing_before_any_snapshot_says_it_is_being_prepared(member_client):
    assert b"being prepared" in member_client.get("/").data


def test_landing_shows_panels_and_member_figures(member_client, db, category_factory, user_factory, member):
    thread = _thread(category_factory(), user_factory(display_name="Starter"), "Sunscreen talk", 1)
    forum.reply(thread, author=user_factory(), body="agree", now=NOW - timedelta(minutes=5))
    db.session.commit()
    build_hot_panels(utcnow())
    db.session.commit()
    page = member_client.get("/").get_data(as_text=True)
    assert "Sunscreen talk" in page and "1 reply" in page and "Newest members" in page
    assert re.search(r"<strong>1</strong> unread hot thread<", page)  # one thread: the singular


def test_a_thread_hidden_after_the_snapshot_leaves_the_panels_at_once(member_client, db, category_factory,
                                                                     user_factory, moderator):
    from app.moderation.services import moderate_post

    category, starter = category_factory(), user_factory()
    shown, hidden = _thread(category, starter, "Toner swaps", 2), _thread(category, starter, "Rude rant", 1)
    for thread in (shown, hidden):
        forum.reply(thread, author=user_factory(), body="me too", now=NOW - timedelta(minutes=5))
    db.session.commit()
    build_hot_panels(utcnow())
    db.session.commit()
    before = member_client.get("/").get_data(as_text=True)  # renders and caches the panels with both
    assert "Toner swaps" in before and "Rude rant" in before
    moderate_post(db.session.scalar(sa.select(forum.Post).where(forum.Post.thread_id == hidden.id,
                                                                forum.Post.number == 1)),
                  "hide", by=moderator, reason="rude")
    db.session.commit()
    after = member_client.get("/").get_data(as_text=True)  # the same snapshot, no refresh in between
    assert "Toner swaps" in after and "Rude rant" not in after


def test_moderators_edit_announcements_in_place_and_members_cannot(moderator_client, member_client, db):
    assert member_client.post("/announcements", data={"title": "Nope"}).status_code == 403
    moderator_client.post("/announcements", data={"title": "Welcome week", "body": "Say **hi**", "position": 0})
    assert b"<strong>hi</strong>" in member_client.get("/").data
    from app.landing.models import Announcement

    announcement = db.session.scalar(sa.select(Announcement))
    moderator_client.post(f"/announcements/{announcement.id}", data={"title": "Welcome month", "body": "x"})
    assert b"Welcome month" in member_client.get("/").data
    moderator_client.post(f"/announcements/{announcement.id}/archive")
    assert b"Welcome month" not in member_client.get("/").data


def test_admin_hot_settings_preview_and_save(admin_client, db):
    from app.core.settings import get_setting

    assert admin_client.get("/admin/hot").status_code == 200
    assert admin_client.post("/admin/hot", data={"gravity": "1.5", "window_days": "3", "panel_size": "5"}).status_code == 302
    assert get_setting("hot.gravity") == 1.5
    page = admin_client.post("/admin/hot", data={"gravity": "99", "window_days": "3", "panel_size": "5"})
    assert page.status_code == 200 and b"error" in page.data


def test_members_cannot_change_hot_settings(member_client, moderator_client):
    assert member_client.get("/admin/hot").status_code == 403
    assert moderator_client.get("/admin/hot").status_code == 403
