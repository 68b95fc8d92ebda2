"""The leaderboard: periods, shared ranks, who is on it, and the admin's on / own rank only / off switch."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.core.settings import set_setting
from app.db import utcnow
from app.points import leaderboard
from app.points.models import PointEvent
from app.points.services import record_points


def _give(user, amount, *, days_ago: float = 0):
    return record_points(user, amount, "moderator_grant", now=utcnow() - timedelta(days=days_ago))


def test_periods_count_points_earned_within_them(user_factory, db):
    recent, old = user_factory(), user_factory()
    _give(recent, 10, days_ago=1)
    _give(old, 50, days_ago=20)
    _give(old, 100, days_ago=60)
    db.session.commit()
    now = utcnow()
    assert [(s.user_id, s.points) for s in leaderboard.board("week", now)] == [(recent.id, 10)]
    assert [(s.user_id, s.points) for s in leaderboard.board("month", now)] == [(old.id, 50), (recent.id, 10)]
    assert [(s.user_id, s.points) for s in leaderboard.board("all", now)] == [(old.id, 150), (recent.id, 10)]


def test_equal_points_share_a_rank_and_hosts_stay_off_the_board(user_factory, moderator, db):
    a, b, c = (user_factory(display_name=name) for name in ("Anna", "Bo", "Chen"))
    for user, amount in ((a, 5), (b, 5), (c, 3)):
        _give(user, amount)
    db.session.add(PointEvent(user_id=moderator.id, amount=99, reason="moderator_grant"))
    db.session.commit()
    board = leaderboard.board("week", utcnow())
    assert [(s.display_name, s.rank) for s in board] == [("Anna", 1), ("Bo", 1), ("Chen", 3)]
    assert leaderboard.standing_of(c, "week", utcnow()).rank == 3
    assert leaderboard.standing_of(moderator, "week", utcnow()) is None


def test_the_leaderboard_page_follows_the_admins_mode(member_client, admin_client, moderator_client, member,
                                                       user_factory, db):
    rival = user_factory(display_name="Rival Reader")
    _give(rival, 40)
    _give(member, 10)
    db.session.commit()
    page = member_client.get("/leaderboard?period=month").get_data(as_text=True)
    assert "Rival Reader" in page and "Your rank: 2 with 10 points" in page
    set_setting("leaderboard.mode", "own_rank")
    db.session.commit()
    page = member_client.get("/leaderboard").get_data(as_text=True)
    assert "Rival Reader" not in page and "Your rank: 2" in page
    assert "Rival Reader" in moderator_client.get("/leaderboard").get_data(as_text=True)
    set_setting("leaderboard.mode", "off")
    db.session.commit()
    assert member_client.get("/leaderboard").status_code == 404
    assert b"Leaderboard" not in member_client.get("/activities").data
    assert admin_client.get("/leaderboard").status_code == 200


def test_an_unknown_period_falls_back_to_the_week(member_client):
    assert member_client.get("/leaderboard?period=decade").status_code == 200


def test_admins_switch_the_leaderboard_and_set_caps(admin_client, db):
    from app.audit.models import AuditEvent
    from app.points.rules import setting

    page = admin_client.get("/admin/points")
    assert page.status_code == 200 and b"Tea master" in page.data
    data = {"mode": "own_rank", "post": "1", "thread": "3", "post_daily_cap": "8", "reply_received": "1",
            "reply_received_daily_cap": "5", "poll_vote": "2"}
    assert admin_client.post("/admin/points", data=data).status_code == 302
    assert setting("leaderboard.mode") == "own_rank" and setting("points.thread") == 3
    assert db.session.scalar(sa.select(AuditEvent.verb).where(AuditEvent.verb == "settings.points"))
    page = admin_client.post("/admin/points", data={**data, "mode": "sometimes", "post": "-4"})
    assert page.status_code == 200 and b"has-error" in page.data and b'value="8"' in page.data
