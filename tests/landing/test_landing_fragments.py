"""The landing page's parts kept rendered per process (members' announcements, the For-you panel, the panel
threads' statement per snapshot) are keyed by values read in the request: a change shows on the next request."""
from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from app.db import utcnow
from app.forum import services as forum
from app.landing import panels
from app.landing.services import build_hot_panels
from app.members.notifications import notify
from app.tasks import services as tasks


def _for_you(page) -> str:
    return re.search(r'<section class="panel mine">.*?</section>', page.get_data(as_text=True), re.DOTALL).group(0)


def _figure(section: str, label: str) -> int:
    return int(re.search(rf"<strong>(\d+)</strong> {label}", section).group(1))


def _hot_threads(db, category_factory, user_factory, titles):
    category, starter = category_factory(), user_factory()
    threads = []
    for hours, title in enumerate(titles, start=1):
        thread = forum.start_thread(category, author=starter, title=title, body="opening",
                                    now=utcnow() - timedelta(hours=hours))
        forum.reply(thread, author=user_factory(), body="me too", now=utcnow() - timedelta(minutes=5))
        threads.append(thread)
    db.session.commit()
    build_hot_panels(utcnow())
    db.session.commit()
    return threads


def test_the_for_you_figures_follow_reading_answering_and_notifications(member_client, member, moderator, db,
                                                                       category_factory, user_factory):
    (thread,) = _hot_threads(db, category_factory, user_factory, ["Toner swaps"])
    now = utcnow()
    task = tasks.save_task(None, by=moderator, title="Evening routine", instructions="Tell us.",
                           opens_at=now - timedelta(hours=1), due_at=now + timedelta(days=2), min_photos=0, points=5,
                           is_masked=False)
    db.session.commit()
    mine = _for_you(member_client.get("/"))
    told = _figure(mine, "notification")  # the published task's announcement, perhaps
    assert (_figure(mine, "unread hot thread"), _figure(mine, "open task")) == (1, 1)
    member_client.get(f"/t/{thread.id}")  # reading it to the end
    tasks.submit(task, user=member, text="Cleanser, then cream.", files=[])
    notify(member.id, "test", "News")
    db.session.commit()
    mine = _for_you(member_client.get("/"))
    assert (_figure(mine, "unread hot thread"), _figure(mine, "open task"), _figure(mine, "notification")) == (
        0, 0, told + 1)


def test_members_see_an_announcement_changed_elsewhere_on_the_next_request(member_client, moderator_client, db):
    moderator_client.post("/announcements", data={"title": "Welcome week", "body": "Say **hi**", "position": 0})
    assert "Welcome week" in member_client.get("/").get_data(as_text=True)
    with db.engine.begin() as conn:  # another node's edit, on its own connection
        conn.execute(sa.text("UPDATE announcement SET title = 'Welcome month', body_html = '<p>bye</p>'"))
    page = member_client.get("/").get_data(as_text=True)
    assert "Welcome month" in page and "<p>bye</p>" in page and "Welcome week" not in page


def test_the_hosts_editing_forms_never_show_to_members(member_client, moderator_client):
    moderator_client.post("/announcements", data={"title": "Welcome week", "body": "hi", "position": 0})
    assert "Take down" in moderator_client.get("/").get_data(as_text=True)
    page = member_client.get("/").get_data(as_text=True)
    assert "Welcome week" in page and "Take down" not in page and "New announcement" not in page


def test_members_see_no_announcements_panel_when_there_are_none_and_hosts_an_empty_one(member_client,
                                                                                       moderator_client):
    assert "From the hosts" not in member_client.get("/").get_data(as_text=True)
    page = moderator_client.get("/").get_data(as_text=True)
    assert "From the hosts" in page and "No announcements." in page


def test_each_snapshot_counts_its_own_threads(app, db, member, category_factory, user_factory):
    first = _hot_threads(db, category_factory, user_factory, ["Toner swaps", "Serum talk"])
    with app.test_request_context("/"):
        snapshot = panels.latest()
        assert set(snapshot.thread_ids) >= {t.id for t in first}
        assert panels.thread_states(member, snapshot) == (len(snapshot.thread_ids), frozenset())
    second = _hot_threads(db, category_factory, user_factory, ["Mask night"])
    with app.test_request_context("/"):
        newer = panels.latest()
        assert second[0].id in newer.thread_ids and newer.thread_ids != snapshot.thread_ids
        unread, hidden = panels.thread_states(member, newer)
        assert unread == len(newer.thread_ids) and hidden == frozenset()


def test_the_snapshot_and_open_tasks_come_in_one_query(app, member, db, category_factory, user_factory):
    from tests.landing.test_query_counts import count_queries

    _hot_threads(db, category_factory, user_factory, ["Toner swaps"])
    assert member.role == "member"  # loaded again after the commits, before counting
    with app.test_request_context("/"), count_queries(app) as statements:
        snapshot, open_tasks = panels.latest_and_open_tasks(member)
    assert snapshot is not None and snapshot.panels and open_tasks == 0
    assert len(statements) == 1
