"""The thread page through the app, kept whole between requests: whatever changes shows on the next request."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.db import ContentState, utcnow
from app.forum import services
from app.moderation.services import moderate_post
from tests.conftest import login_as


@pytest.fixture
def page(db, thread_factory, post_factory, user_factory):
    author = user_factory(role="member", display_name="Ann")
    thread = thread_factory(author=author, body="Opening words")
    reply = post_factory(thread=thread, author=user_factory(role="member", display_name="Bo"), body="Bo first reply")
    return SimpleNamespace(thread=thread, reply=reply, author=author, url=f"/t/{thread.id}")


def _get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_edit_shows_on_the_next_request(db, page, member_client):
    assert "Bo first reply" in _get(member_client, page.url)
    services.edit_post(page.reply, editor=page.reply.author, body="Bo **edited** reply")
    db.session.commit()
    assert "<strong>edited</strong>" in _get(member_client, page.url)


def test_a_hidden_post_leaves_members_pages_and_shows_hosts_its_restore(db, page, member_client, moderator_client,
                                                                         moderator):
    assert "Bo first reply" in _get(member_client, page.url) and "Bo first reply" in _get(moderator_client, page.url)
    moderate_post(page.reply, "hide", by=moderator, reason="rude")
    db.session.commit()
    assert "Bo first reply" not in _get(member_client, page.url)
    assert f'/mod/posts/{page.reply.id}/restore' in _get(moderator_client, page.url)


def test_an_upvote_shows_its_count_to_all_and_the_mark_to_the_voter(db, app, page, member_client, user_factory):
    other = login_as(app.test_client(), user_factory(role="member"))
    _get(member_client, page.url), _get(other, page.url)
    assert member_client.post(f"/p/{page.reply.id}/react").status_code == 302
    mine, theirs = (_get(client, page.url).split(f'id="post-{page.reply.number}"')[1] for client in (member_client, other))
    assert 'aria-pressed="true"' in mine and 'class="react active"' in mine and '"count">1<' in mine
    assert 'aria-pressed="false"' in theirs and 'class="react"' in theirs and '"count">1<' in theirs


def test_a_new_reply_shows_to_a_member_who_saw_the_page_before(db, page, member_client, post_factory):
    assert "1 reply" in _get(member_client, page.url)
    post_factory(thread=page.thread, body="A late answer")
    shown = _get(member_client, page.url)
    assert "A late answer" in shown and "2 replies" in shown


def test_a_new_avatar_a_vip_badge_or_a_moderated_name_shows_at_once(db, page, member_client):
    _get(member_client, page.url)
    bo = page.reply.author
    bo.avatar_name, bo.is_vip = "fresh-face.webp", True
    page.reply.author_name = "Bo Renamed"
    db.session.commit()
    shown = _get(member_client, page.url).split(f'id="post-{page.reply.number}"')[1]
    assert "fresh-face" in shown and "vip-badge" in shown and "Bo Renamed" in shown


def test_a_locale_switch_shows_the_kept_page_in_the_new_language(db, page, member, member_client):
    assert ">Quote<" in _get(member_client, page.url)
    member.locale = "zh_Hans"
    db.session.commit()
    shown = _get(member_client, page.url)
    assert ">Quote<" not in shown and ">引用<" in shown


def test_a_pending_reply_shows_to_its_author_and_hosts_but_not_other_members(db, app, page, member_client,
                                                                              moderator_client, post_factory):
    for client in (member_client, moderator_client):
        _get(client, page.url)
    pending = post_factory(thread=page.thread, author=page.author, body="Awaiting a host")
    pending.state = ContentState.PENDING.value
    db.session.commit()
    author_client = login_as(app.test_client(), page.author)
    assert "Awaiting a host" in _get(author_client, page.url)
    assert "Awaiting a host" in _get(moderator_client, page.url)
    assert "Awaiting a host" not in _get(member_client, page.url)


def test_an_erased_author_shows_as_a_former_member_at_once(db, page, member_client):
    from app.rights.erasure import erase_account
    from app.rights.models import ErasureRequest

    assert ">Bo<" in _get(member_client, page.url)
    request = ErasureRequest(user_id=page.reply.author_id, requested_at=utcnow(), due_at=utcnow())
    db.session.add(request)
    db.session.flush()
    erase_account(request, now=utcnow(), by=None)
    db.session.commit()
    shown = _get(member_client, page.url)
    assert ">Bo<" not in shown and "Former member" in shown
