"""Every page a browser can open, asked with odd query strings by an admin (who sees the most) and by a member
(whose pages differ): never a 500.

The ids in the path are real rows (so the page itself renders) and the query strings carry the filters pages
read (page, sort, dates, category, words, days, ...) with values a hand-edited URL or a broken link brings:
negative, huge, not numbers, impossible dates, NUL bytes, LIKE wildcards, very long text.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from werkzeug.routing import AnyConverter

from app.db import utcnow
from tests.conftest import login_as

ODD_QUERIES = [
    "page=-1&sort=%27&order=%22&days=-5&category=-3&attribute=-1&period=-1",
    "page=abc&days=abc&category=abc&attribute=abc&from=abc&to=abc&kind=abc&role=abc&period=abc",
    "page=99999999999999999999&days=99999999999&category=9223372036854775808&attribute=99999999999999",
    "from=2026-13-45&to=0000-00-00&q=%25_%5C&author=%25_&member=%25_&actor=%25&verb=_&target=%00",
    "q=" + "口红" * 2000 + "&author=" + "x" * 5000 + "&member=" + "y" * 5000,
    "q=%00&author=%00&member=%00&email=%00&next=%00&back=%00&quote=%00&days=%00&page=%00",
    "next=https://evil.example/&back=//evil.example/&quote=-1&email=not-an-email&format=exe&status=odd",
]


@pytest.fixture
def world(db, thread_factory, user_factory, moderator, researcher, poll_factory, competition_factory):
    """One row of each kind a page path names, for the admin to open."""
    import sqlalchemy as sa

    from app.forum.models import Post
    from app.tasks import services as tasks

    thread = thread_factory(title="Odd input", replies=2)
    opening, reply = db.session.scalars(sa.select(Post.id).where(Post.thread_id == thread.id)
                                        .order_by(Post.number).limit(2)).all()
    poll = poll_factory(thread=thread, by=moderator)
    competition = competition_factory(start=utcnow())
    now = utcnow()
    task = tasks.save_task(None, by=moderator, title="Diary", instructions="Tell us about your day.",
                           opens_at=now - timedelta(hours=1), due_at=now + timedelta(days=3), min_photos=0, points=10,
                           is_masked=True)
    db.session.commit()
    return {"thread_id": thread.id, "category_id": thread.category_id, "post_id": opening,
            "reply_id": reply, "user_id": thread.author_id, "poll_id": poll.id,
            "competition_id": competition.id, "task_id": task.id}


def _page_urls(app, world, method: str = "GET") -> list[str]:
    urls = []
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if method not in rule.methods or rule.endpoint == "static":
                continue
            values = {name: world.get(name, 1) for name in rule.arguments}
            for name, converter in rule._converters.items():
                if isinstance(converter, AnyConverter):  # e.g. /polls/<id>/<any(close, publish):action>
                    values[name] = min(converter.items)
            if "token" in values:
                values["token"] = "not-a-token"
            if "name" in values:
                values["name"] = "odd"
            urls.append(url_for(rule.endpoint, **values))
    return sorted(set(urls))


@pytest.mark.parametrize("role", ["admin", "member"])
def test_no_page_answers_odd_query_strings_with_a_500(app, user_factory, world, role):
    client = login_as(app.test_client(), user_factory(role=role))
    failures = []
    for url in _page_urls(app, world):
        for query in ODD_QUERIES:
            response = client.get(f"{url}?{query}")
            if response.status_code >= 500 or b"Something went wrong" in response.data:
                failures.append(f"{response.status_code} {url}?{query[:80]}")
    assert failures == []


ODD_FORMS = [
    {},
    {"body": "", "title": "", "reason": "", "note": "", "name": "", "email": "", "q": "", "choice": "", "role": ""},
    {"body": "x" * 100_000, "title": "t" * 5000, "reason": "r" * 5000, "note": "n" * 5000, "name": "n" * 5000,
     "question": "q" * 5000, "options": "o\n" * 500, "text": "x" * 100_000, "instructions": "i" * 100_000},
    {"score": "-1", "days": "-1", "points": "-5", "position": "-1", "min_photos": "-1", "winner_count": "-1",
     "option": "-1", "choice": "-1", "choices": "-1", "entry": "-1", "quoted_post_id": "-1", "thread_id": "-1",
     "category_id": "-1", "category": "-1", "target_id": "-1", "post_id": "-1", "user_id": "-1", "code_id": "-1"},
    {"score": "abc", "days": "abc", "points": "abc", "position": "abc", "opens_at": "abc", "due_at": "abc",
     "starts_at": "2026-13-45T99:99", "ends_at": "abc", "from": "abc", "to": "abc", "option": "abc",
     "choice": "abc", "quoted_post_id": "abc", "thread_id": "abc", "category_id": "abc", "action": "abc",
     "format": "abc", "role": "abc", "kind": "abc", "reason": "abc", "locale": "xx", "timezone": "Mars/Base"},
    {"score": "99999999999999999999", "days": "99999999999999999999", "points": "99999999999999999999",
     "position": "99999999999999999999", "option": "99999999999999999999", "thread_id": "99999999999999999999",
     "category_id": "99999999999999999999", "quoted_post_id": "99999999999999999999",
     "ids": "99999999999999999999", "item_ids": "99999999999999999999", "post_ids": "99999999999999999999"},
    {"body": "a\x00b", "title": "a\x00b", "reason": "a\x00b", "note": "a\x00b", "name": "a\x00b",
     "email": "a\x00b@example.test", "display_name": "a\x00b", "q": "a\x00b", "next": "https://evil.example/"},
    # valid choices, so the form gets past its own checks, with a NUL in each text
    {"reason": "other", "note": "why\x00", "title": "A fine title\x00", "body": "A fine body\x00",
     "question": "Which tea?\x00", "options": "Green\nBlack\x00", "name": "Fine name\x00",
     "display_name": "Fine\x00name", "locale": "en", "timezone": "UTC", "email": "someone@example.test",
     "role": "member", "days": "3", "text": "An answer\x00", "instructions": "Do this\x00", "prize": "Tea\x00",
     "rules_text": "Be kind\x00", "description": "About\x00", "words": "spam\x00", "label": "Label\x00"},
]


@pytest.mark.parametrize("role", ["admin", "member"])
def test_no_form_answers_odd_input_with_a_500(app, user_factory, world, role):
    """Every POST route, with empty, huge, negative, non-numeric, out-of-range and NUL-carrying fields."""
    client = login_as(app.test_client(), user_factory(role=role))
    failures = []
    for url in _page_urls(app, world, method="POST"):
        for form in ODD_FORMS:
            response = client.post(url, data=form)
            if response.status_code >= 500 or b"Something went wrong" in response.data:
                failures.append(f"{response.status_code} {url} {sorted(form)[:4]}")
    assert failures == []
