"""Markup defects of the thread page (issue 17): upvote names, flag links, <time> values, CSRF ids, author line."""
from __future__ import annotations

import re

import pytest

from app.moderation.services import flag_post


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def _post_html(page: str, number: int) -> str:
    return page.split(f'id="post-{number}"', 1)[1].split("</article>", 1)[0]


def test_the_upvote_button_is_named_upvote_with_its_count(db, member_client, member, thread_factory, post_factory,
                                                          user_factory):
    thread = thread_factory()
    post = post_factory(thread=thread, body="Three people liked this.")
    from app.forum import services as forum
    for _ in range(3):
        forum.toggle_reaction(post, user=user_factory())
    one = post_factory(thread=thread, body="One like.")
    forum.toggle_reaction(one, user=user_factory())
    db.session.commit()
    page = member_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert 'aria-label="Upvote, 3 votes"' in _post_html(page, post.number)
    assert 'aria-label="Upvote, 1 vote"' in _post_html(page, one.number)


def test_the_upvote_script_gets_the_new_name_with_the_count(db, member_client, thread_factory, post_factory):
    post = post_factory(thread=thread_factory())
    answer = member_client.post(f"/p/{post.id}/react", headers={"Accept": "application/json"}).get_json()
    assert answer == {"upvoted": True, "count": 1, "label": "Upvote, 1 vote"}


def test_flag_is_not_offered_on_a_post_the_member_already_flagged(db, member_client, member, thread_factory,
                                                                  post_factory):
    thread = thread_factory()
    flagged, other = post_factory(thread=thread, body="An advert"), post_factory(thread=thread, body="Fine")
    flag_post(flagged, by=member, reason="spam")
    db.session.commit()
    page = member_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert f"/p/{flagged.id}/flag" not in page
    assert f"/p/{other.id}/flag" in page
    again = member_client.get(f"/p/{flagged.id}/flag", follow_redirects=True).get_data(as_text=True)
    assert "You have already flagged this post" in again and 'name="reason"' not in again


def test_time_elements_carry_valid_datetimes_without_fractions_of_a_second(db, member_client, thread_factory):
    thread = thread_factory()
    page = member_client.get(f"/t/{thread.id}").get_data(as_text=True)
    values = re.findall(r'<time datetime="([^"]+)"', page)
    assert values and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", v) for v in values), values


def test_pages_with_several_forms_repeat_no_csrf_token_id(csrf_on, db, member_client, thread_factory, post_factory):
    thread = thread_factory(replies=2)
    for path in (f"/t/{thread.id}", "/settings"):
        page = member_client.get(path).get_data(as_text=True)
        assert page.count('name="csrf_token"') >= 2, path
        ids = re.findall(r'\bid="([^"]+)"', page)
        assert "csrf_token" not in ids and len(ids) == len(set(ids)), (path, sorted(i for i in ids if ids.count(i) > 1))


def test_the_post_author_line_keeps_level_and_join_date_apart(db, member_client, thread_factory):
    thread = thread_factory()
    page = member_client.get(f"/t/{thread.id}").get_data(as_text=True)
    author = page.split('class="post-author"', 1)[1].split("</aside>", 1)[0]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", author))
    assert re.search(r"Newcomer · Joined [A-Z][a-z]{2} \d{4}", text), text
