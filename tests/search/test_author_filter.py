"""The search's author filter: members whose display name contains the text, ignoring case."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.db import utcnow
from app.extensions import db
from app.forum import services as forum
from app.forum.models import Category
from app.members.models import User
from app.search import services
from app.search.services import ORDERS, search
from tests.conftest import shared_rows
from tests.factories import make_category, make_user


@pytest.fixture
def community(db):
    """The community, for a test of its own (one that writes)."""
    return _build_community(db)


@pytest.fixture(scope="class")
def shared_community(app):
    """The community built once for the read-only tests of a class (`shared_rows` checks they add no rows)."""
    with shared_rows(app):
        with app.app_context():
            built = _build_community(db)
            ids = {"people": {name: user.id for name, user in built["people"].items()}, "at": built["at"],
                   "beauty": built["beauty"].id, "life": built["life"].id, "now": built["now"]}
            db.session.remove()
        yield ids


def _build_community(db):
    """口红 posts by several members, written out of date order so that ids and dates disagree now and then."""
    from app.core.settings import set_setting

    set_setting("spam.hold_threshold", 100)
    beauty, life = make_category(name="Beauty"), make_category(name="Life")
    names = ["Li Na", "Lily", "Tom", "小米芳", "阿琳芳", "Élodie", "AC/DC", "Quiet Qi"]
    people = {name: make_user(display_name=name) for name in names}
    people["Han Mei"] = make_user(role="moderator", display_name="Han Mei", host_persona="Tea Host")
    now = utcnow()
    at = {}

    def write(name, days, *, thread=None, category=beauty):
        when = now - timedelta(days=days)
        if thread is None:
            started = forum.start_thread(category, author=people[name], title=f"{name} 的口红", body="口红试色", now=when)
            post = db.session.scalar(forum.sa.select(forum.Post).where(forum.Post.thread_id == started.id))
        else:
            post = forum.reply(thread, author=people[name], body=f"{name} 也喜欢这支口红 ({days})", now=when)
        at[post.id] = (name, category.name, days)
        return post

    tom_first = write("Tom", 12)  # older and newer matches by others lie around Li Na's first and last posts
    li_na = write("Li Na", 10)
    lily = write("Lily", 8, thread=li_na.thread)
    write("Tom", 9, thread=li_na.thread)
    write("小米芳", 7, thread=li_na.thread)
    life_thread = write("阿琳芳", 5, category=life)
    write("Élodie", 4, thread=life_thread.thread, category=life)
    write("Han Mei", 3, thread=life_thread.thread, category=life)
    write("Li Na", 2, thread=life_thread.thread, category=life)
    write("AC/DC", 6, thread=tom_first.thread)
    write("Tom", 1, thread=life_thread.thread, category=life)
    db.session.commit()
    assert lily.id > li_na.id
    return {"people": people, "at": at, "beauty": beauty, "life": life, "now": now}


def _found(order: str, **filters) -> list[int]:
    hits, more = search("口红", order=order, **filters)
    assert more is False
    return sorted(h.post_id for h in hits)


def _written_by(community, *names: str, category: str | None = None, days: tuple[int, int] | None = None):
    return sorted(post_id for post_id, (name, in_category, age) in community["at"].items()
                  if name in names and (category is None or in_category == category)
                  and (days is None or days[0] >= age >= days[1]))


@pytest.fixture(params=["their posts", "members", "names", "names, dates first"])
def plan(request, monkeypatch):
    """Each way the author filter can be applied: through the members' posts (SQLite, newest first), by their
    ids on every walked match, or by name on every walked match (or every post of a date range)."""
    if request.param == "members":
        monkeypatch.setattr(services, "FEW_POSTS", -1)
    elif request.param != "their posts":
        monkeypatch.setattr(services, "MAX_AUTHORS", 0)
    if request.param.startswith("names"):
        monkeypatch.setattr(services, "NARROW_BELOW", 10**9 if request.param.endswith("dates first") else 0)
    used = set()
    page_query = services._page_query

    def spy(dialect, **kwargs):
        used.add((kwargs["order"], kwargs["author"], kwargs["narrow"]))
        return page_query(dialect, **kwargs)

    monkeypatch.setattr(services, "_page_query", spy)
    return request.param, used


def _expected(plan: str, order: str, dialect: str) -> set[tuple]:
    """The (order, author plan, narrow) statements a search with an author and some date ranges should use."""
    if plan.startswith("names"):  # PostgreSQL orders a dated search by date and lets its planner choose the walk
        dates_first = order == "newest" and (plan.endswith("dates first") or dialect != "sqlite")
        return {(order, services.NAMES, False), (order, services.NAMES, dates_first)}
    if plan == "their posts" and order == "newest" and dialect == "sqlite":
        return {(order, services.POSTS, False)}
    return {(order, services.MEMBERS, False)}


class TestOneCommunity:
    """The read-only tests share one community (`shared_community`)."""

    @pytest.fixture
    def community(self, shared_community, db):
        people = {name: db.session.get(User, user_id) for name, user_id in shared_community["people"].items()}
        return {**shared_community, "people": people, "beauty": db.session.get(Category, shared_community["beauty"]),
                "life": db.session.get(Category, shared_community["life"])}

    @pytest.mark.parametrize("order", ORDERS)
    @pytest.mark.parametrize(("text", "names"), [
        ("li", ("Li Na", "Lily")), ("LI", ("Li Na", "Lily")), ("lIlY", ("Lily",)), ("Li Na", ("Li Na",)),
        ("NA", ("Li Na",)), ("mei", ("Han Mei",)), ("c/d", ("AC/DC",)),
    ])
    def test_the_author_filter_matches_part_of_a_display_name_ignoring_case(self, community, order, text, names):
        assert _found(order, author=text) == _written_by(community, *names)


    @pytest.mark.parametrize("order", ORDERS)
    @pytest.mark.parametrize(("text", "names"), [("芳", ("小米芳", "阿琳芳")), ("小米", ("小米芳",)), ("琳芳", ("阿琳芳",))])
    def test_the_author_filter_finds_chinese_names_by_any_part(self, community, order, text, names):
        assert _found(order, author=text) == _written_by(community, *names)


    @pytest.mark.parametrize("order", ORDERS)
    @pytest.mark.parametrize("text", ["ÉLOD", "élod", "ÉLODIE"])
    def test_the_author_filter_ignores_case_beyond_ascii(self, community, order, text):
        assert _found(order, author=text) == _written_by(community, "Élodie")


    @pytest.mark.parametrize("order", ORDERS)
    @pytest.mark.parametrize("text", ["Quiet", "zzz", "%", "_", "//", "li%", "Li_Na", "Tea Host"])
    def test_an_author_text_for_a_member_without_posts_or_for_nobody_finds_nothing(self, community, order, text):
        # "Tea Host" is Han Mei's host persona: a badge beside the name, which the filter (like the hits) does not read
        assert search("口红", author=text, order=order) == ([], False)

    @pytest.mark.parametrize("order", ORDERS)
    def test_the_author_filter_combines_with_category_and_dates(self, community, order):
        beauty, life, now = community["beauty"].id, community["life"].id, community["now"]
        assert _found(order, author="li", category_id=beauty) == _written_by(community, "Li Na", "Lily", category="Beauty")
        assert _found(order, author="li", category_id=life) == _written_by(community, "Li Na", category="Life")
        week = {"start": now - timedelta(days=9, hours=1), "end": now - timedelta(days=1, hours=12)}
        assert _found(order, author="li", **week) == _written_by(community, "Li Na", "Lily", days=(9, 2))
        assert _found(order, author="芳", category_id=beauty, **week) == _written_by(community, "小米芳")
        assert _found(order, author="tom", category_id=life, start=now - timedelta(days=30)) == \
            _written_by(community, "Tom", category="Life")
        assert _found(order, author="tom", end=now - timedelta(days=10)) == _written_by(community, "Tom", days=(12, 10))

    @pytest.mark.parametrize("order", ORDERS)
    def test_every_plan_finds_the_same_posts(self, community, plan, order):
        now = community["now"]
        ranges = [(None, None, None), (9, 2, (9, 2)), (30, None, (30, 0)), (None, 6, (99, 6))]
        for text in ["li", "Li Na", "芳", "tom", "élodie", "Quiet", "zzz"]:
            names = {name for name in community["people"] if text.casefold() in name.casefold()}
            for older, newer, days in ranges:
                start = now - timedelta(days=older, hours=1) if older else None
                end = now - timedelta(days=newer, hours=-1) if newer else None
                assert _found(order, author=text, start=start, end=end) == \
                    _written_by(community, *names, days=days), (plan, text, older, newer)
        name, used = plan
        assert used == _expected(name, order, forum.db.engine.dialect.name)


@pytest.mark.parametrize("order", ORDERS)
def test_a_renamed_member_is_found_by_the_current_name(community, order):
    from app.members.services import update_settings

    update_settings(community["people"]["Tom"], display_name="Thomas Wu", locale="en", timezone="UTC")
    forum.db.session.commit()
    hits, _ = search("口红", author="thomas", order=order)
    assert sorted(h.post_id for h in hits) == _written_by(community, "Tom")
    assert {h.author_name for h in hits} == {"Tom"}  # each hit keeps the name it was written under
    assert search("口红", author="tom", order=order) == ([], False)


@pytest.fixture(scope="class")
def mias_posts(app):
    """Mia's 25 posts among Otto's 26, built once for the class's read-only tests: their ids."""
    from app.core.settings import set_setting

    with shared_rows(app):
        with app.app_context():
            set_setting("spam.hold_threshold", 100)
            mia, other, now = make_user(display_name="Mia"), make_user(display_name="Otto"), utcnow()
            thread = forum.start_thread(make_category(), author=other, title="Lip notes", body="Nothing here.",
                                        now=now - timedelta(days=60))
            mine = []
            for i in range(25):
                forum.reply(thread, author=other, body=f"口红 note {i}", now=now - timedelta(days=50 - i, hours=1))
                mine.append(forum.reply(thread, author=mia, body=f"口红 shade {i}", now=now - timedelta(days=50 - i)).id)
            db.session.commit()
            db.session.remove()
        yield mine


class TestPagingThroughOneMembersPosts:
    @pytest.mark.parametrize("order", ORDERS)
    def test_the_author_filter_pages_through_a_members_posts(self, mias_posts, plan, order):
        mine = mias_posts
        first, more = search("口红", author="mia", order=order)
        second, more_after = search("口红", author="mia", order=order, page=2)
        assert (len(first), more, len(second), more_after) == (20, True, 5, False)
        assert sorted(h.post_id for h in first + second) == mine
        if order == "newest":
            assert [h.post_id for h in first + second] == sorted(mine, reverse=True)


def test_the_search_page_with_an_author_and_dates_stays_within_ten_queries(app, member_client, community, plan):
    from tests.landing.test_query_counts import LIMIT, count_queries

    url = "/search?q=口红&author=li&from=2000-01-01&to=2999-12-31"
    member_client.get(url)
    with count_queries(app) as statements:
        page = member_client.get(url)
    assert page.status_code == 200 and "Li Na" in page.get_data(as_text=True)
    assert len(statements) <= LIMIT, [s[:90] for s in statements]
