"""The admin's member list pages by keyset: a stable order (ties on the join time broken by id), next and previous
links that walk it both ways, no COUNT(*) and no OFFSET, and on PostgreSQL a plan that reads the index."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.admin import views as admin_views
from app.core import keyset
from app.db import utcnow
from app.members.models import User

PER_PAGE = 3


@pytest.fixture
def members(db, admin, user_factory, monkeypatch):
    """Eight members, four of them joined at the very same moment (the id breaks the tie), plus the admin."""
    monkeypatch.setattr(admin_views, "USERS_PER_PAGE", PER_PAGE)
    base = utcnow() - timedelta(days=10)
    made = [user_factory(display_name=f"Keyset {i}") for i in range(8)]
    for i, user in enumerate(made):
        user.created_at = base if i < 4 else base + timedelta(hours=i)
    admin.created_at = base + timedelta(days=5)
    db.session.commit()
    return made


def _expected(db) -> list[str]:
    rows = db.session.execute(sa.select(User.display_name).order_by(User.created_at.desc(), User.id.desc()))
    return [row.display_name for row in rows]


def _names(html: str) -> list[str]:
    return re.findall(r'/admin/users/\d+">([^<]+)</a>', html)


def _link(html: str, rel: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_pages_walk_the_whole_list_forward_and_back_in_a_stable_order(admin_client, members, db):
    expected = _expected(db)
    pages, url = [], "/admin/users"
    while url:
        html = admin_client.get(url).get_data(as_text=True)
        pages.append((url, _names(html), _link(html, "prev")))
        url = _link(html, "next")
    assert [name for _, names, _ in pages for name in names] == expected  # every member once, in order
    assert all(len(names) == PER_PAGE for _, names, _ in pages[:-1]) and pages[0][2] is None
    # back from the last page: each "previous" link shows exactly the page before
    for (_, names_before, _), (_, _, prev) in zip(reversed(pages[:-1]), reversed(pages[1:]), strict=True):
        assert _names(admin_client.get(prev).get_data(as_text=True)) == names_before


def test_filters_stay_on_the_links(admin_client, members):
    html = admin_client.get("/admin/users?role=member&q=keyset").get_data(as_text=True)
    following = _link(html, "next")
    assert "role=member" in following and "q=keyset" in following
    assert all(name.startswith("Keyset") for name in _names(admin_client.get(following).get_data(as_text=True)))


@pytest.mark.parametrize("cursor", ["nonsense", "1.2.3", "99999999999999999.1", "-5.x", ""])
def test_a_bad_cursor_shows_the_first_page(admin_client, members, db, cursor):
    for name in ("after", "before"):
        response = admin_client.get(f"/admin/users?{name}={cursor}")
        assert response.status_code == 200
        assert _names(response.get_data(as_text=True)) == _expected(db)[:PER_PAGE]


def test_a_page_asks_no_count_and_skips_no_rows(app, admin_client, members):
    html = admin_client.get("/admin/users").get_data(as_text=True)
    seen: list[str] = []

    def note(_conn, _cursor, statement, parameters, *_args):
        seen.append(statement)
        if " OFFSET " in statement:  # SQLite's dialect writes LIMIT ? OFFSET ? even without an offset: it is 0
            assert list(parameters)[-1] == 0, (statement, parameters)

    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        admin_client.get(_link(html, "next"))
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)
    # The header's unread-notification badge counts the admin's own notifications (an index range, not this
    # list); nothing counts or skips over the members.
    over_members = [s.lower() for s in seen if 'from "user"' in s.lower() or "from user" in s.lower()]
    assert over_members and not [s for s in over_members if "count(" in s], over_members
    assert len(seen) <= 10


def test_cursor_round_trips():
    moment = utcnow()
    assert keyset.decode(keyset.encode(moment, 42)) == (moment, 42)
    assert keyset.decode("x") is None and keyset.decode(None) is None


def test_postgresql_reads_a_page_off_the_index(db, members):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("EXPLAIN on PostgreSQL")
    at, key = keyset.decode(keyset.encode(utcnow(), 10**9))
    select = (sa.select(User.id).where(sa.tuple_(User.created_at, User.id) < sa.tuple_(at, key))
              .order_by(User.created_at.desc(), User.id.desc()).limit(PER_PAGE + 1))
    compiled = select.compile(db.engine, compile_kwargs={"literal_binds": True})
    # A handful of rows would be scanned and sorted anyway: forbid that, to see what the plan at a million is.
    for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
        db.session.execute(sa.text(f"SET LOCAL {setting} = off"))
    plan = "\n".join(db.session.scalars(sa.text(f"EXPLAIN {compiled}")))
    db.session.rollback()
    assert "Scan Backward using ix_user_created_at_id" in plan and "Sort" not in plan, plan
