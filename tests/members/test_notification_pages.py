"""The notifications page reads its rows and their bounded count in one statement; the pages and links stay right."""
from __future__ import annotations

import re

import sqlalchemy as sa

from app.members.notifications import Notification, notify_many
from app.members.queries import notifications_of
from tests.landing.test_query_counts import count_queries


def _fill(db, member, n: int) -> None:
    notify_many("test", [(member.id, f"Note {i}") for i in range(n)])
    db.session.commit()


def test_each_page_knows_how_many_there_are_in_one_statement(app, member, db):
    _fill(db, member, 65)
    assert member.id  # loaded again after the commit, before counting
    for page, shown in ((1, 30), (2, 30), (3, 5)):
        with app.test_request_context(f"/notifications?page={page}"), count_queries(app) as statements:
            listed = notifications_of(member, per_page=30)
            assert (len(listed.items), listed.total, listed.pages) == (shown, 65, 3)
        assert len(statements) == 1


def test_a_page_past_the_end_is_empty_and_still_counts(app, member, db):
    _fill(db, member, 35)
    with app.test_request_context("/notifications?page=9"):
        listed = notifications_of(member, per_page=30)
        assert listed.items == [] and listed.total == 35


def test_the_count_stops_ten_pages_ahead(app, member, db):
    _fill(db, member, 30 * 12)
    with app.test_request_context("/notifications"):
        assert notifications_of(member, per_page=30).total == 30 * 11 + 1


def test_the_page_links_and_new_notifications_show_at_once(member_client, member, db):
    _fill(db, member, 31)
    page = member_client.get("/notifications").get_data(as_text=True)
    # notify_many writes all 31 at one moment: which 30 come first is the database's choice
    assert len(re.findall(r"\bNote \d+\b", page)) == 30 and re.search(r'href="/notifications\?page=2"', page)
    db.session.execute(sa.delete(Notification).where(Notification.id > 0))
    db.session.commit()
    assert "No notifications yet." in member_client.get("/notifications").get_data(as_text=True)
