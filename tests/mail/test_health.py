"""The community health dashboard, checked against a generated community whose activity is known exactly."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.admin.services import save_category
from app.audit.models import AuditEvent
from app.db import utcnow
from app.forum import services as forum
from app.pulse import rollup
from app.pulse.models import CohortMonth, DailyHealth
from app.tasks.models import TaskSubmission
from tests.landing.test_query_counts import count_queries
from tests.mail.helpers import outbox_rows

LIMIT = 10


@pytest.fixture
def community(app, db, user_factory, category_factory, moderator, open_task):
    """Three community days (in the community's time zone), at noon so no day boundary is near.

    Two days ago: A opens T1 (B replies), A opens T2 (no reply), A asks the hosts in T4 (a host answers after
    30 minutes): 3 threads, 2 replies, 2 answered, active A, B and the host. Yesterday: C opens T3 (no reply), D
    joins and visits, C answers a task: 1 thread, 1 new member, active C and D, 1 participation. E joined 60 days
    ago and was last seen 45 days ago (gone quiet)."""
    with app.app_context():
        zone = rollup.community_zone()
    today = rollup.day_of(utcnow(), zone)
    noon = {n: rollup.day_start(today - timedelta(days=n), zone) + timedelta(hours=12) for n in range(1, 4)}
    a, b, c, d, e = (user_factory(display_name=name) for name in ("Amy", "Bo", "Cai", "Dee", "Eve"))
    for user in (a, b, c):
        user.created_at = noon[3]
    d.created_at, d.last_seen_at = noon[1], noon[1]
    e.created_at, e.last_seen_at = utcnow() - timedelta(days=60), utcnow() - timedelta(days=45)
    moderator.created_at = noon[3]
    category = category_factory()
    ask = save_category(None, by=None, name="Ask the hosts", description="", position=0, is_inquiry=True)
    t1 = forum.start_thread(category, author=a, title="Thread T1", body="one", now=noon[2])
    forum.reply(t1, author=b, body="reply", now=noon[2] + timedelta(hours=1))
    forum.start_thread(category, author=a, title="Thread T2", body="two", now=noon[2] + timedelta(minutes=5))
    t4 = forum.start_thread(ask, author=a, title="Thread T4", body="question?", now=noon[2] + timedelta(hours=2))
    forum.reply(t4, author=moderator, body="answer", now=noon[2] + timedelta(hours=2, minutes=30))
    forum.start_thread(category, author=c, title="Thread T3", body="three", now=noon[1])
    task = open_task()
    db.session.add(TaskSubmission(task_id=task.id, user_id=c.id, author_name=c.display_name, text="x",
                                  text_html="x", created_at=noon[1], updated_at=noon[1]))
    for user, seen in ((a, noon[2]), (b, noon[2]), (c, noon[1]), (moderator, noon[2])):
        user.last_seen_at = seen
    db.session.commit()
    rollup.roll_up(utcnow())
    db.session.commit()
    return {"days": {n: today - timedelta(days=n) for n in range(4)}, "quiet": e, "users": (a, b, c, d)}


def _day(db, day) -> DailyHealth:
    db.session.expire_all()
    return db.session.get(DailyHealth, day)


def test_daily_figures_match_the_known_activity(db, community):
    two_days_ago, yesterday = _day(db, community["days"][2]), _day(db, community["days"][1])
    assert (two_days_ago.threads, two_days_ago.replies, two_days_ago.threads_answered) == (3, 2, 2)
    assert two_days_ago.active_members == 3 and two_days_ago.first_answer_minutes == 30
    assert (yesterday.threads, yesterday.replies, yesterday.new_members, yesterday.participations) == (1, 0, 1, 1)
    assert yesterday.active_members == 2 and yesterday.weekly_active == 5  # A, B, the host, C, D
    assert _day(db, community["days"][3]).new_members == 4  # A, B, C and the host


def test_a_second_run_changes_nothing_and_fills_no_duplicates(db, community):
    before = db.session.scalar(sa.select(sa.func.count()).select_from(DailyHealth))
    rollup.roll_up(utcnow())
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DailyHealth)) == before
    assert _day(db, community["days"][2]).threads == 3


def test_cohorts_count_each_months_new_members_and_their_activity(db, community):
    rows = db.session.scalars(sa.select(CohortMonth)).all()
    assert sum(r.size for r in rows if r.offset_months == 0) >= 6  # every member who joined this year
    a = community["users"][0]
    cohort = rollup._month(rollup.day_of(a.created_at, rollup.community_zone()))
    month_of_activity = rollup._months_between(cohort, community["days"][2])
    [row] = [r for r in rows if r.cohort == cohort and r.offset_months == month_of_activity]
    assert row.active >= 3  # A, B and the host were active


def test_the_dashboard_shows_the_figures_within_ten_queries(app, moderator_client, community):
    moderator_client.get("/mod/health?period=7")  # warm: the first visit may record the host's visit
    with count_queries(app) as statements:
        response = moderator_client.get("/mod/health?period=7&quiet=30")
    assert response.status_code == 200 and len(statements) <= LIMIT, statements
    page = response.get_data(as_text=True)
    assert '<svg class="chart"' in page and "<script" not in page.split("<main", 1)[-1].split("</main>")[0]
    assert 'id="fig-answered">50%' in page  # T1 and T4 of T1..T4
    assert "30 minutes" in page
    assert "Eve" in page and 'id="quiet-total">1 member' in page


def test_members_and_researchers_cannot_see_the_dashboard(member_client, researcher_client):
    assert member_client.get("/mod/health").status_code == 403
    assert researcher_client.get("/mod/health").status_code == 403


def test_invite_back_queues_one_email_a_day_and_is_audited(db, moderator_client, community):
    quiet = community["quiet"]
    assert moderator_client.post(f"/mod/health/invite-back/{quiet.id}").status_code == 302
    assert moderator_client.post(f"/mod/health/invite-back/{quiet.id}").status_code == 302
    rows = outbox_rows(kind="invite_back")
    assert [r.user_id for r in rows] == [quiet.id]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.verb == "member.invite_back")) == 1


def test_a_visit_is_recorded_at_most_hourly(app, db, member, member_client):
    member_client.get("/")
    db.session.expire_all()
    first = db.session.get(type(member), member.id).last_seen_at
    assert first is not None
    with count_queries(app) as statements:
        member_client.get("/")
    assert not any(s.lstrip().upper().startswith("UPDATE") and "last_seen_at" in s for s in statements)


def test_a_year_charts_one_point_per_week(moderator_client, community):
    page = moderator_client.get("/mod/health?period=365").get_data(as_text=True)
    assert "each point of the charts is one week" in page and page.count('<svg class="chart"') == 6


def test_an_unknown_period_falls_back_to_thirty_days(moderator_client, community):
    response = moderator_client.get("/mod/health?period=13&quiet=abc")
    assert response.status_code == 200 and '<option value="30" selected>' in response.get_data(as_text=True)


def test_the_quiet_count_comes_from_the_rollup_and_the_dashboard_never_counts_the_members(
        app, db, moderator_client, community, user_factory):
    with count_queries(app) as statements:
        page = moderator_client.get("/mod/health?period=7&quiet=30").get_data(as_text=True)
    assert 'id="quiet-total">1 member' in page and "Eve" in page
    counting_members = re.compile(r'count\(.*\bfrom "?user"?\s', re.IGNORECASE | re.DOTALL)
    assert not any(counting_members.search(s) for s in statements)  # no scan of the member table on a view
    later = user_factory(display_name="Fay")  # gone quiet after the roll-up: counted at the next one
    later.created_at = later.last_seen_at = utcnow() - timedelta(days=50)
    db.session.commit()
    assert 'id="quiet-total">1 member' in moderator_client.get("/mod/health?quiet=30").get_data(as_text=True)
    rollup.roll_up(utcnow())
    db.session.commit()
    page = moderator_client.get("/mod/health?quiet=30").get_data(as_text=True)
    assert 'id="quiet-total">2 members' in page and "Fay" in page and "Eve" in page
    assert 'id="quiet-total">0 members' in moderator_client.get("/mod/health?quiet=90").get_data(as_text=True)


def test_a_member_who_came_back_leaves_the_quiet_list_at_once(db, moderator_client, community):
    quiet = community["quiet"]
    quiet.last_seen_at = utcnow()
    db.session.commit()
    page = moderator_client.get("/mod/health?quiet=30").get_data(as_text=True)
    assert "Eve" not in page.split('id="quiet-total"', 1)[1]
