"""Word frequency and emerging terms on planted data."""
from __future__ import annotations

import random
from datetime import timedelta

from app.db import utcnow
from app.forum import services as forum
from app.research import terms


def test_tokens_segment_chinese_and_drop_stop_words(app):
    words = terms.tokens("我觉得这款口红颜色很好看，the colour is lovely and lasting")
    assert "口红" in words and "颜色" in words and "lovely" in words
    assert "the" not in words and "我" not in words and "觉得" not in words


def test_planted_rising_term_ranks_top_five_and_steady_term_does_not(db, category_factory, user_factory):
    from app.core.settings import set_setting

    set_setting("spam.hold_threshold", 100)
    rng = random.Random(9)
    now = utcnow()
    category = category_factory()
    members = [user_factory() for _ in range(8)]
    thread = forum.start_thread(category, author=members[0], title="Daily chat", body="hello",
                                now=now - timedelta(days=20))
    filler = ["今天天气不错", "周末去逛街", "晚饭吃火锅", "工作有点累", "新买的鞋子很舒服", "喜欢喝奶茶"]
    for day in range(14, 0, -1):
        when = now - timedelta(days=day, hours=1)
        for i in range(6):
            body = f"口红 {rng.choice(filler)}"  # steady: the same share every day
            if day <= 7 and i < (8 - day):  # planted: absent before, rising through the last week
                body += " 玻尿酸精华"
            forum.reply(thread, author=rng.choice(members), body=body, now=when + timedelta(minutes=i))
    db.session.commit()
    ranked = [t.term for t in terms.emerging_terms(now, days=7, min_count=3)]
    assert "玻尿酸" in ranked[:5]
    assert "口红" not in ranked[:5]


def test_word_frequency_counts_member_posts_only(db, thread_factory, user_factory, moderator):
    thread = thread_factory(author=user_factory(), body="防晒 防晒 防晒")
    forum.reply(thread, author=moderator, body="口红 口红 口红 口红")
    db.session.commit()
    frequencies, posts = terms.word_frequency(start=None, end=None)
    assert dict(frequencies).get("防晒") == 3 and "口红" not in dict(frequencies) and posts == 1


def test_word_cloud_places_biggest_first():
    cloud = terms.word_cloud([("口红", 10), ("防晒", 5), ("texture", 1)])
    assert [w["term"] for w in cloud] == ["口红", "防晒", "texture"] and cloud[0]["size"] > cloud[2]["size"]


def test_words_page_renders_svg_cloud(researcher_client, thread_factory, user_factory):
    thread_factory(author=user_factory(), body="口红 颜色 很好看")
    page = researcher_client.get("/research/words")
    assert page.status_code == 200 and b"<svg" in page.data and "口红".encode() in page.data


def test_members_cannot_see_word_analysis(member_client):
    assert member_client.get("/research/words").status_code == 403


def test_growth_must_be_real_and_allow_for_how_much_members_post():
    """Twice the expected authors, and more than mere doubling would bring but once in a hundred windows; a term new
    from zero needs only its authors; a busier week (more posts per member) raises what is expected."""
    assert terms._grows(30, 0.5, 2.0) and terms._grows(3, 0.0, 2.0)
    assert not terms._grows(27, 14.2, 2.0)  # steady, about twice at most
    assert not terms._grows(11, 4.0, 2.0)  # more than twice, but few enough to be chance
    quiet, busy = {1: 40}, {4: 40}  # 40 members writing one post each, or four
    assert terms._expected(0.1, busy) > 3 * terms._expected(0.1, quiet)


def test_words_that_rise_only_beside_a_new_term_are_left_out():
    """第一次尝试 stands in the posts that bring the new term; counted without them it does not grow."""
    now = utcnow()
    tally = terms._Tally(now, 7, 4)
    post = 0
    for week in range(1, 5):
        for author in range(40):
            post += 1
            found = ["面霜", "第一次尝试"] if author % 8 == 0 else ["面霜"]
            tally.add((author, 1, now - timedelta(days=7 * week + 1), post), found)
    for author in range(40):
        post += 1
        tally.add((author, 1, now - timedelta(days=1), post), ["面霜", "第一次尝试"] if author % 8 == 0 else ["面霜"])
        if author < 30:
            post += 1
            tally.add((author, 1, now - timedelta(days=2), post), ["新词", "第一次尝试"])
    scored = sorted((terms._scored(tally, term, 2.0) for term in ("新词", "第一次尝试", "面霜")),
                    key=lambda t: -t.ratio)
    rising = [t for t in scored if t.recent >= 3 and terms._grows(t.recent, t.previous, 2.0)]
    assert [t.term for t in rising] == ["新词", "第一次尝试"]  # 31 authors against about 8 expected: it did rise
    assert [t.term for t in terms._not_carried(rising, tally, 2.0, 3)] == ["新词"]
