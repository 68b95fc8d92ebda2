"""The thread page's kept post HTML: always what a fresh render of the post partial shows, per viewer and now."""
from __future__ import annotations

from datetime import timedelta

import pytest
from flask import current_app
from flask_login import login_user

from app.core.dates import time_ago
from app.core.templating import csrf_field
from app.db import ContentState, utcnow
from app.forum import queries, rendering, services
from tests.conftest import login_as


def _render(viewer, thread, *, read_before=0, upvoted=frozenset(), now=None):
    """Both renders of the thread's first page for ``viewer``: through the cache, and fresh from the template."""
    now = now or utcnow()
    with current_app.test_request_context(f"/t/{thread.id}"):
        login_user(viewer)
        posts = queries.page_posts(viewer, thread, 1, 20)
        context = rendering.page_context(viewer, thread)
        kept = rendering.render_posts(posts, viewer=viewer, thread=thread, read_before=read_before,
                                      upvoted=set(upvoted), page_context=context, now=now)
        template = current_app.jinja_env.get_template(rendering.TEMPLATE)
        fresh = [template.render({**context, "post": post, "viewer": viewer,
                                  "is_new": post.number > read_before > 0, "upvoted": post.id in upvoted,
                                  "ago": time_ago(post.created_at, now), "csrf": csrf_field()}) for post in posts]
        return [str(html) for html in kept], fresh


@pytest.fixture
def scene(db, thread_factory, post_factory, user_factory):
    author = user_factory(role="member", display_name="Author Ann")
    thread = thread_factory(author=author, body="Opening **bold** words")
    reply = post_factory(thread=thread, author=user_factory(display_name="Bo"), body="A reply with a link")
    own = post_factory(thread=thread, author=author, body="Ann again")
    pending = post_factory(thread=thread, author=author, body="Waiting for a host")
    pending.state = ContentState.PENDING.value
    hidden = post_factory(thread=thread, author=user_factory(), body="Hidden by a host")
    hidden.state = ContentState.HIDDEN.value
    db.session.commit()
    return {"thread": thread, "author": author, "reply": reply, "own": own}


@pytest.mark.parametrize("role", ["member", "moderator", "researcher", "admin", "author"])
def test_kept_post_html_is_what_a_fresh_render_shows_for_every_role(scene, user_factory, role):
    viewer = scene["author"] if role == "author" else user_factory(role=role)
    first, fresh = _render(viewer, scene["thread"], read_before=1, upvoted={scene["reply"].id})
    again, _ = _render(viewer, scene["thread"], read_before=1, upvoted={scene["reply"].id})
    assert first == fresh and again == fresh
    assert len(fresh) == (5 if role in ("moderator", "admin") else 4 if role == "author" else 3)


def test_an_edit_a_vote_a_level_or_a_new_name_shows_at_once(db, scene, user_factory):
    viewer = user_factory(role="member")
    _render(viewer, scene["thread"])  # now kept
    reply = scene["reply"]
    services.edit_post(reply, editor=reply.author, body="Edited: a different **text**")
    reply.reaction_count = 41
    reply.author.points = 5000
    reply.author.is_vip = True
    reply.author_name = "Bo Renamed"
    db.session.commit()
    kept, fresh = _render(viewer, scene["thread"])
    assert kept == fresh
    assert "<strong>text</strong>" in kept[1] and ">41<" in kept[1] and "Bo Renamed" in kept[1]


def test_hiding_a_post_changes_what_a_host_sees(db, scene, moderator):
    _render(moderator, scene["thread"])
    scene["reply"].state = ContentState.HIDDEN.value
    db.session.commit()
    kept, fresh = _render(moderator, scene["thread"])
    assert kept == fresh and f'action="/mod/posts/{scene["reply"].id}/restore"' in kept[1]


def test_relative_time_is_of_the_request_not_of_the_first_render(scene, user_factory):
    viewer = user_factory(role="member")
    before, _ = _render(viewer, scene["thread"])
    kept_entries = len(rendering._rendered.items)
    later = utcnow() + timedelta(days=3)
    after, fresh = _render(viewer, scene["thread"], now=later)
    assert len(rendering._rendered.items) == kept_entries  # the kept HTML was reused
    assert after == fresh and "3 days ago" in after[1] and "3 days ago" not in before[1]


def test_each_member_gets_their_own_csrf_token_in_kept_posts_and_reply_box(app, scene, user_factory):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        tokens = []
        for _ in range(2):
            client = login_as(app.test_client(), user_factory(role="member"))
            page = client.get(f"/t/{scene['thread'].id}").get_data(as_text=True)
            react_forms = page.split('class="inline react-form"')[1:]
            assert react_forms
            reply_box = page.split('class="panel reply-box"')[1:]  # kept like the posts, with its own marker
            form_tokens = {form.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
                           for form in react_forms + reply_box}
            assert len(form_tokens) == 1 and len(reply_box) == 1 and rendering._MARK not in page
            tokens.append(form_tokens.pop())
        assert tokens[0] != tokens[1]
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_the_kept_reply_box_speaks_each_members_language(db, scene, user_factory, app):
    english, chinese = user_factory(role="member"), user_factory(role="member")
    chinese.locale = "zh_Hans"
    db.session.commit()
    url = f"/t/{scene['thread'].id}"
    for _ in range(2):  # the second round comes from the kept boxes
        en_page = login_as(app.test_client(), english).get(url).get_data(as_text=True)
        zh_page = login_as(app.test_client(), chinese).get(url).get_data(as_text=True)
        en_box, zh_box = (page.split('class="panel reply-box"')[1].split("</section>")[0] for page in (en_page, zh_page))
        assert "<h2>Reply</h2>" in en_box and "<h2>Reply</h2>" not in zh_box
        assert f'action="/t/{scene["thread"].id}/reply"' in en_box and 'name="body"' in zh_box


def test_text_like_a_marker_in_a_post_is_shown_as_written(db, thread_factory, user_factory):
    body = "time-ago- csrf-input- time-ago-0123 and csrf-input-" + rendering._MARK[:6]
    thread = thread_factory(body=body)
    viewer = user_factory(role="member")
    kept, fresh = _render(viewer, thread)
    assert kept == fresh and body in kept[0]
