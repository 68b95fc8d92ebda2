"""The search page's kept form and hits: whatever a hit shows changes on the next search, in the member's language."""
from __future__ import annotations

import pytest

from app.db import ContentState
from app.forum import services as forum


@pytest.fixture
def toner(db, category_factory, user_factory):
    from app.core.settings import set_setting

    set_setting("spam.hold_threshold", 100)
    thread = forum.start_thread(category_factory(name="Skin"), author=user_factory(display_name="Lily"),
                                title="Toner thoughts", body="This toner smells of roses.")
    db.session.commit()
    return thread


def _search(client, q: str = "toner", **args) -> str:
    response = client.get("/search", query_string={"q": q, **args})
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("order", ["newest", "best"])
def test_an_edit_a_new_title_or_a_hidden_post_shows_in_the_next_search(db, toner, member_client, moderator, order):
    from app.moderation.services import moderate_post

    assert "smells of roses" in _search(member_client, order=order)
    forum.edit_post(toner.opening_post, editor=toner.opening_post.author, body="This toner smells of lilies now.")
    toner.title = "Toner, revisited"
    db.session.commit()
    shown = _search(member_client, order=order)
    assert "smells of lilies" in shown and "smells of roses" not in shown and "Toner, revisited" in shown
    moderate_post(toner.opening_post, "hide", by=moderator, reason="test")
    db.session.commit()
    assert "smells of lilies" not in _search(member_client, order=order)


def test_a_hidden_thread_leaves_the_kept_hits(db, toner, member_client):
    assert "Toner thoughts" in _search(member_client)
    toner.state = ContentState.HIDDEN.value
    db.session.commit()
    assert "Toner thoughts" not in _search(member_client)


def test_the_kept_form_and_hits_speak_each_members_language(db, app, toner, member, member_client):
    assert "Nothing found for" in _search(member_client, q="nowhere")
    member.locale = "zh_Hans"
    db.session.commit()
    shown = _search(member_client, q="nowhere")
    assert "Nothing found for" not in shown and "没有找到" in shown


def test_the_kept_form_keeps_what_each_search_asked(db, toner, member_client):
    first = _search(member_client, author="Lily", **{"from": "2020-01-02"})
    second = _search(member_client, author="Tom", order="best")
    assert 'name="author" value="Lily"' in first and 'value="2020-01-02"' in first
    assert 'name="author" value="Tom"' in second and 'value="2020-01-02"' not in second
    assert '<option value="best" selected>' in second and '<option value="best" selected>' not in first


def test_a_search_after_an_edit_shows_the_new_excerpt(db, toner):
    from app.search.services import search

    hits, _ = search("toner")
    assert "roses" in hits[0].snippet
    forum.edit_post(toner.opening_post, editor=toner.opening_post.author, body="The toner is unscented after all.")
    db.session.commit()
    hits, _ = search("toner")
    assert "unscented" in hits[0].snippet and "roses" not in hits[0].snippet
