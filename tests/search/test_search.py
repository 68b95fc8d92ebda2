"""Chinese-aware full-text search on SQLite FTS5 and PostgreSQL tsvector."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.db import utcnow
from app.forum import services as forum
from app.search.services import BEST, NEWEST, ORDERS, search, snippet


@pytest.fixture
def corpus(db, category_factory, user_factory, moderator):
    from app.core.settings import set_setting

    set_setting("spam.hold_threshold", 100)
    beauty, life = category_factory(name="Beauty"), category_factory(name="Life")
    lily, tom = user_factory(display_name="Lily"), user_factory(display_name="Tom")
    now = utcnow()
    lipstick = forum.start_thread(beauty, author=lily, title="最喜欢的口红", body="我最近买了一支新的口红，颜色很正。",
                                  now=now - timedelta(days=3))
    forum.reply(lipstick, author=tom, body="The new sunscreen leaves no white cast at all.", now=now - timedelta(days=2))
    weekend = forum.start_thread(life, author=tom, title="Weekend plans", body="周末想去逛街，顺便试试口红。",
                                 now=now - timedelta(days=1))
    hidden = forum.reply(weekend, author=lily, body="这条口红评论会被隐藏", now=now)
    from app.moderation.services import moderate_post

    moderate_post(hidden, "hide", by=moderator, reason="test")
    db.session.commit()
    return {"beauty": beauty, "lily": lily, "tom": tom, "lipstick": lipstick}


def test_two_character_chinese_word_is_found_inside_sentences(corpus):
    hits, _ = search("口红")
    texts = {h.title for h in hits}
    assert texts == {"最喜欢的口红", "Weekend plans"}
    assert all("<mark>口红</mark>" in h.snippet for h in hits)


def test_english_words_are_found_case_insensitively(corpus):
    hits, _ = search("Sunscreen CAST")
    assert [h.author_name for h in hits] == ["Tom"] and "<mark>sunscreen</mark>" in hits[0].snippet.lower()


def test_thread_titles_are_searchable(corpus):
    assert {h.title for h in search("weekend")[0]} == {"Weekend plans"}


def test_hidden_pending_and_spam_posts_are_never_found(corpus):
    assert all("隐藏" not in h.snippet for h in search("评论")[0])
    assert search("评论")[0] == []


def test_filters_by_category_author_and_date(corpus):
    assert {h.title for h in search("口红", category_id=corpus["beauty"].id)[0]} == {"最喜欢的口红"}
    assert {h.author_name for h in search("口红", author="tom")[0]} == {"Tom"}
    assert {h.title for h in search("口红", start=utcnow() - timedelta(days=1, hours=12))[0]} == {"Weekend plans"}


def test_edits_and_title_changes_update_the_index(corpus, db):
    opening = db.session.scalar(forum.sa.select(forum.Post).where(forum.Post.thread_id == corpus["lipstick"].id,
                                                                  forum.Post.number == 1))
    forum.edit_post(opening, editor=corpus["lily"], body="现在改用唇釉了", title="唇釉心得分享")
    db.session.commit()
    assert {h.title for h in search("唇釉")[0]} == {"唇釉心得分享"}
    assert "最喜欢的口红" not in {h.title for h in search("口红")[0]}


def test_reindex_rebuilds_from_the_posts(corpus, runner, db):
    import sqlalchemy as sa

    db.session.execute(sa.text("DELETE FROM search_index"))
    db.session.commit()
    assert search("口红")[0] == []
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0 and "Indexed 4 posts" in result.output
    assert len(search("口红")[0]) == 2


def _word_statistics(db, word: str) -> tuple[int, bool]:
    """PostgreSQL's statistics target for the index's words, and whether its sampled common words hold ``word``."""
    import sqlalchemy as sa

    target = db.session.scalar(sa.text("SELECT attstattarget FROM pg_attribute WHERE attname = 'document' "
                                       "AND attrelid = 'search_index'::regclass"))
    common = db.session.scalar(sa.text("SELECT most_common_elems::text::text[] FROM pg_stats WHERE attname = 'document' "
                                       "AND tablename = 'search_index'")) or []
    return target, word in common


def test_postgresql_samples_ten_times_the_usual_words_for_the_search_index(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("only PostgreSQL's planner keeps word statistics")
    assert _word_statistics(db, "")[0] == 1000


def test_reindex_refreshes_postgresqls_word_statistics(corpus, db):
    """So the planner knows a rare word has few matches and reads them from the word index."""
    from app.search.index import reindex

    if db.engine.dialect.name != "postgresql":
        pytest.skip("only PostgreSQL's planner keeps word statistics")
    forum.reply(corpus["lipstick"], author=corpus["tom"], body="木樨香 smells like osmanthus")  # not committed:
    assert not _word_statistics(db, "osmanthus")[1]  # no other ANALYZE can have seen it
    reindex()
    assert _word_statistics(db, "osmanthus")[1]


def test_postgresql_plans_each_search_for_its_own_words_without_parallel_workers(corpus, db):
    """A generic plan (psycopg prepares frequent statements) or a parallel walk suits no search for long."""
    import sqlalchemy as sa

    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL settings")
    search("口红", start=utcnow() - timedelta(days=30))
    assert db.session.scalar(sa.text("SHOW plan_cache_mode")) == "force_custom_plan"
    assert db.session.scalar(sa.text("SHOW max_parallel_workers_per_gather")) == "0"
    db.session.commit()  # for this transaction only
    assert db.session.scalar(sa.text("SHOW plan_cache_mode")) == "auto"


def test_snippet_escapes_html_and_marks_words():
    assert snippet("<b>口红</b> is nice", ["口红"]) == "&lt;b&gt;<mark>口红</mark>&lt;/b&gt; is nice"


def test_search_page_shows_highlighted_results(member_client, corpus):
    page = member_client.get("/search?q=口红").get_data(as_text=True)
    assert "<mark>口红</mark>" in page and "最喜欢的口红" in page
    assert "Nothing found" in member_client.get("/search?q=zzzzqqq").get_data(as_text=True)


def test_odd_queries_do_not_break_the_engine(member_client, corpus):
    for q in ['"', "AND OR NOT", "*", "口红\") OR (", "-", "NEAR(a b)"]:
        assert member_client.get("/search", query_string={"q": q}).status_code == 200


def test_filters_apply_before_the_cut_to_the_newest_matches(corpus, monkeypatch):
    from app.search import services

    monkeypatch.setattr(services, "CANDIDATES", 1)  # only the newest match would survive an unfiltered cut
    assert {h.title for h in search("口红", category_id=corpus["beauty"].id, order=BEST)[0]} == {"最喜欢的口红"}
    assert {h.title for h in search("口红", end=utcnow() - timedelta(days=2), order=BEST)[0]} == {"最喜欢的口红"}
    assert {h.author_name for h in search("口红", author="lily", order=BEST)[0]} == {"Lily"}


def test_the_author_filter_takes_percent_and_underscore_literally(corpus):
    assert search("口红", author="%")[0] == []
    assert search("口红", author="_")[0] == []
    assert {h.author_name for h in search("口红", author="li")[0]} == {"Lily"}


@pytest.mark.parametrize("order", ORDERS)
def test_posts_in_a_hidden_thread_are_never_found_with_or_without_filters(corpus, moderator, order):
    from app.moderation.curation import hide_thread

    weekend = next(h for h in search("weekend")[0]).thread_id
    hide_thread(forum.db.session.get(forum.Thread, weekend), by=moderator, reason="test")
    forum.db.session.commit()
    assert {h.title for h in search("口红", order=order)[0]} == {"最喜欢的口红"}
    assert search("口红", author="tom", order=order)[0] == []
    assert search("weekend", start=utcnow() - timedelta(days=30), order=order)[0] == []


@pytest.mark.parametrize("order", ORDERS)
def test_pending_and_spam_posts_stay_out_when_a_filter_reads_the_post_rows(corpus, moderator, db, order):
    from app.moderation.services import moderate_post

    sunscreen = search("sunscreen")[0][0]
    moderate_post(db.session.get(forum.Post, sunscreen.post_id), "spam", by=moderator, reason="test")
    db.session.commit()
    assert search("sunscreen", order=order)[0] == []
    assert search("sunscreen", author="tom", order=order)[0] == []
    assert search("sunscreen", category_id=corpus["beauty"].id, start=utcnow() - timedelta(days=30),
                  order=order)[0] == []


def test_hidden_posts_do_not_use_up_the_newest_candidates(corpus, monkeypatch):
    from app.search import services

    monkeypatch.setattr(services, "CANDIDATES", 1)  # the newest 口红 post is the hidden reply
    assert {h.title for h in search("口红", order=BEST)[0]} == {"Weekend plans"}


@pytest.fixture
def many_hits(db, category_factory, user_factory):
    from app.core.settings import set_setting

    set_setting("spam.hold_threshold", 100)
    author, now = user_factory(display_name="Mia"), utcnow()
    thread = forum.start_thread(category_factory(name="Notes"), author=author, title="Shade notes",
                                body="Nothing about it here.", now=now - timedelta(days=40))
    emphatic = forum.reply(thread, author=author, body="唇釉, 唇釉, 唇釉 note", now=now - timedelta(days=35))
    posts = [forum.reply(thread, author=author, body=f"唇釉 shade note {i}", now=now - timedelta(days=30 - i))
             for i in range(25)]
    db.session.commit()
    return [p.id for p in posts], emphatic.id


def test_best_match_pages_split_the_ranked_candidates_and_say_whether_more_follow(many_hits):
    posts, emphatic = many_hits
    first, more = search("唇釉", order=BEST)
    second, more_after_second = search("唇釉", page=2, order=BEST)
    assert (len(first), more, len(second), more_after_second) == (20, True, 6, False)
    # the oldest post says the word three times and ranks first; equally relevant posts come newest first
    assert [h.post_id for h in first + second] == [emphatic, *sorted(posts, reverse=True)]


def test_newest_matches_come_first_by_default_and_pages_follow_them(many_hits):
    posts, emphatic = many_hits
    first, more = search("唇釉")
    second, more_after_second = search("唇釉", page=2, order=NEWEST)
    assert (len(first), more, len(second), more_after_second) == (20, True, 6, False)
    # the post that says the word three times is the oldest, so it comes last here
    assert [h.post_id for h in first + second] == [*sorted(posts, reverse=True), emphatic]


def test_an_unknown_order_is_refused_by_the_service(corpus):
    with pytest.raises(ValueError):
        search("口红", order="loudest")


def test_the_search_page_offers_both_orders_and_keeps_the_chosen_one_across_pages(member_client, many_hits):
    posts, emphatic = many_hits
    best = member_client.get("/search", query_string={"q": "唇釉", "order": BEST}).get_data(as_text=True)
    assert best.index(f'/p/{emphatic}"') < best.index(f'/p/{posts[-1]}"')
    assert '<option value="best" selected>' in best and "order=best" in best and "page=2" in best
    newest = member_client.get("/search", query_string={"q": "唇釉"}).get_data(as_text=True)
    assert newest.index(f'/p/{posts[-1]}"') < newest.index(f'/p/{posts[-2]}"') and f'/p/{emphatic}"' not in newest
    assert '<option value="newest" selected>' in newest
    odd = member_client.get("/search", query_string={"q": "唇釉", "order": "loudest"})
    assert odd.status_code == 200 and '<option value="newest" selected>' in odd.get_data(as_text=True)


@pytest.fixture
def shuffled_dates(db, category_factory, user_factory):
    """Posts whose ids do not follow their dates (as after an import): id order 0..11, dates shuffled."""
    from app.core.settings import set_setting

    set_setting("spam.hold_threshold", 100)
    author, now = user_factory(display_name="Ada"), utcnow()
    days = [9, 2, 30, 15, 1, 22, 5, 40, 12, 3, 27, 18]
    thread = forum.start_thread(category_factory(name="Diary"), author=author, title="Tea diary",
                                body="Nothing here.", now=now - timedelta(days=50))
    posts = {forum.reply(thread, author=author, body=f"乌龙 day {d}", now=now - timedelta(days=d)).id: d
             for d in days}
    db.session.commit()
    return posts, now


@pytest.mark.parametrize("walk", ["matches first", "dates first"])
def test_date_filters_find_the_same_posts_whichever_way_the_search_walks(shuffled_dates, db, monkeypatch, walk):
    from app.search import services

    posts, now = shuffled_dates
    monkeypatch.setattr(services, "NARROW_BELOW", 10**9 if walk == "dates first" else 0)
    # PostgreSQL walks a date range by date whatever NARROW_BELOW says, and lists it newest by date; SQLite lists
    # by id (the order posts arrived in) either way.
    by_date = db.engine.dialect.name != "sqlite"
    ranges = [(10, 4), (None, 20), (25, None), (100, 60), (16, 14)]
    for older, newer in ranges:
        start = now - timedelta(days=older, hours=1) if older else None
        end = now - timedelta(days=newer, hours=-1) if newer else None
        found = [post_id for post_id, day in posts.items()
                 if (older is None or day <= older) and (newer is None or day >= newer)]
        expected = sorted(found, key=lambda post_id: (-posts[post_id], post_id) if by_date else post_id,
                          reverse=True)
        assert [h.post_id for h in search("乌龙", start=start, end=end)[0]] == expected, (older, newer)


def test_search_lists_at_most_its_last_page_and_says_so(member_client, many_hits, monkeypatch):
    from app.search import services

    monkeypatch.setattr(services, "LAST_PAGE", 1)
    hits, more = search("唇釉", page=5)
    assert len(hits) == 20 and more is False  # page 5 is read as the last page
    page = member_client.get("/search", query_string={"q": "唇釉", "page": 3}).get_data(as_text=True)
    assert "Only the first page of matches is listed" in page and 'rel="next"' not in page


def test_the_same_filters_with_other_values_find_their_own_posts(corpus):
    beauty = corpus["beauty"].id
    assert {h.title for h in search("口红", category_id=beauty)[0]} == {"最喜欢的口红"}
    assert {h.title for h in search("口红", category_id=beauty + 1000)[0]} == set()
    assert {h.author_name for h in search("口红", author="lily")[0]} == {"Lily"}
    assert {h.author_name for h in search("口红", author="tom")[0]} == {"Tom"}
    old, new = utcnow() - timedelta(days=30), utcnow() - timedelta(days=1, hours=12)
    assert {h.title for h in search("口红", start=old)[0]} == {"最喜欢的口红", "Weekend plans"}
    assert {h.title for h in search("口红", start=new)[0]} == {"Weekend plans"}
