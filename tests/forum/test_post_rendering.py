"""The thread page's kept HTML: always what a fresh render of its templates shows, per viewer and now."""
from __future__ import annotations

from datetime import timedelta

import pytest
from flask import current_app
from flask_login import login_user
from markupsafe import Markup

from app.core.dates import time_ago
from app.core.templating import csrf_field
from app.db import ContentState, utcnow
from app.extensions import db as _db
from app.forum import queries, rendering, services
from app.forum.models import Post, Reaction
from app.moderation.models import Flag
from tests.conftest import login_as


def _fresh(viewer, row, rows, *, now) -> tuple[str, str]:
    """The heading and posts of the page straight from the templates, with the ORM's posts and their authors."""
    env = current_app.jinja_env
    context = rendering.page_context(viewer, row)
    read_before = rows[0].read_mark or 0 if rows else 0
    posts = [_db.session.get(Post, r.id) for r in rows]
    photos = services.photos_of([p.id for p in posts])
    html = [Markup(env.get_template(rendering.TEMPLATE).render({
        **context, "post": post, "viewer": viewer, "is_new": post.number > read_before > 0, "upvoted": r.upvoted,
        "flagged": r.flagged, "photos": photos.get(post.id, []), "ago": time_ago(post.created_at, now),
        "csrf": csrf_field()})) for post, r in zip(posts, rows, strict=True)]
    block = env.get_template("forum/_thread_posts.html").render(
        posts_html=html, page=1, last_page=1, replying=context["replying"], thread=row,
        reply_box=rendering.reply_box(viewer, row) if context["replying"] else None)
    return env.get_template("forum/_thread_head.html").render(thread=row), block


def _render(viewer, thread, *, now=None):
    """Both renders of the thread's first page for ``viewer``: (heading, posts) through the kept render, and
    fresh from the templates."""
    now = now or utcnow()
    with current_app.test_request_context(f"/t/{thread.id}"):
        login_user(viewer)
        row, rows = queries.thread_page(viewer, thread.id, 1, 20, services.POST_PHOTOS)
        kept = rendering.thread_page(viewer, row, rows, page=1, last_page=1, now=now,
                                     photos=services.photos_of([r.id for r in rows if r.has_photos]))
        return (str(kept.head), str(kept.posts)), _fresh(viewer, row, rows, now=now)


def _articles(html: str) -> list[str]:
    return html.split('<article class="post')[1:]


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
def test_kept_page_is_what_a_fresh_render_shows_for_every_role(db, scene, user_factory, role):
    viewer = scene["author"] if role == "author" else user_factory(role=role)
    services.mark_read(viewer, scene["thread"], 1)
    if role != "author":  # an upvote and a flag as rows: not every role may give them, every page must show them
        db.session.add(Reaction(post_id=scene["reply"].id, user_id=viewer.id))
        db.session.add(Flag(post_id=scene["own"].id, user_id=viewer.id, reason="spam"))
    db.session.commit()
    first, fresh = _render(viewer, scene["thread"])
    again, _ = _render(viewer, scene["thread"])
    assert first == fresh and again == fresh
    assert len(_articles(fresh[1])) == (5 if role in ("moderator", "admin") else 4 if role == "author" else 3)


def test_members_alike_share_the_kept_page_and_each_sees_their_own_marks(db, scene, user_factory):
    reader, other = user_factory(role="member"), user_factory(role="member")
    services.mark_read(reader, scene["thread"], 1)
    services.toggle_reaction(scene["reply"], user=reader)
    db.session.add(Flag(post_id=scene["own"].id, user_id=reader.id, reason="spam"))
    db.session.commit()
    rendering._pages.clear()
    (_, mine), fresh_mine = _render(reader, scene["thread"])
    (_, theirs), fresh_theirs = _render(other, scene["thread"])
    assert len(rendering._pages.items) == 1  # one render served both
    assert mine == fresh_mine[1] and theirs == fresh_theirs[1] and mine != theirs
    mine_reply, theirs_reply = _articles(mine)[1], _articles(theirs)[1]
    assert mine_reply.startswith(" is-new") and 'badge-new' in mine_reply and 'aria-pressed="true"' in mine_reply
    assert 'class="react active"' in mine_reply and "badge-new" not in theirs_reply
    assert 'aria-pressed="false"' in theirs_reply and "active" not in theirs_reply
    flag_link = f'href="/p/{scene["own"].id}/flag"'
    assert flag_link not in mine and flag_link in theirs


def test_an_edit_a_vote_a_level_or_a_new_name_shows_at_once(db, scene, user_factory):
    viewer = user_factory(role="member")
    _render(viewer, scene["thread"])  # now kept
    reply = scene["reply"]
    services.edit_post(reply, editor=reply.author, body="Edited: a different **text**")
    reply.reaction_count = 41
    reply.author.points = 5000
    reply.author.is_vip = True
    reply.author_name = "Bo Renamed"
    reply.author.avatar_name = "new-face.webp"
    db.session.commit()
    kept, fresh = _render(viewer, scene["thread"])
    assert kept == fresh
    shown = _articles(kept[1])[1]
    assert "<strong>text</strong>" in shown and ">41<" in shown and "Bo Renamed" in shown and "new-face" in shown


def test_a_new_reply_a_lock_or_a_new_title_shows_at_once(db, scene, user_factory, post_factory):
    viewer = user_factory(role="member")
    (head, _), _ = _render(viewer, scene["thread"])
    post_factory(thread=scene["thread"], body="A late answer")
    kept, fresh = _render(viewer, scene["thread"])
    assert kept == fresh and "A late answer" in kept[1] and "4 replies" in head and "5 replies" in kept[0]
    scene["thread"].is_locked, scene["thread"].title = True, "Renamed thread"
    db.session.commit()
    kept, fresh = _render(viewer, scene["thread"])
    assert kept == fresh and "Renamed thread" in kept[0] and "This thread is locked" in kept[1]


def test_hiding_a_post_changes_what_a_host_and_a_member_see(db, scene, moderator, user_factory):
    member = user_factory(role="member")
    _render(moderator, scene["thread"])
    _render(member, scene["thread"])
    scene["reply"].state = ContentState.HIDDEN.value
    db.session.commit()
    kept, fresh = _render(moderator, scene["thread"])
    assert kept == fresh and f'action="/mod/posts/{scene["reply"].id}/restore"' in kept[1]
    kept, fresh = _render(member, scene["thread"])
    assert kept == fresh and "A reply with a link" not in kept[1]


def test_a_pending_post_shows_to_its_author_and_hosts_only(db, scene, moderator, user_factory):
    member = user_factory(role="member")
    for viewer, shown in ((scene["author"], True), (member, False), (moderator, True), (member, False)):
        kept, fresh = _render(viewer, scene["thread"])
        assert kept == fresh and ("Waiting for a host" in kept[1]) is shown


def test_an_erased_author_shows_at_once(db, scene, user_factory, app):
    from app.rights.erasure import erase_account
    from app.rights.models import ErasureRequest

    viewer = user_factory(role="member")
    bo = scene["reply"].author
    _render(viewer, scene["thread"])
    request = ErasureRequest(user_id=bo.id, requested_at=utcnow(), due_at=utcnow())
    db.session.add(request)
    db.session.flush()
    erase_account(request, now=utcnow(), by=None)
    db.session.commit()
    db.session.expire_all()
    kept, fresh = _render(viewer, scene["thread"])
    assert kept == fresh and ">Bo<" not in kept[1]


def test_relative_time_is_of_the_request_not_of_the_first_render(scene, user_factory):
    viewer = user_factory(role="member")
    before, _ = _render(viewer, scene["thread"])
    kept_entries = len(rendering._pages.items)
    later = utcnow() + timedelta(days=3)
    after, fresh = _render(viewer, scene["thread"], now=later)
    assert len(rendering._pages.items) == kept_entries  # the kept HTML was reused
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
    assert kept == fresh and body in kept[1]
