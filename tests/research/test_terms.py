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
