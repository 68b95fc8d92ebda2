"""Admin tools for moderation: audit log, jobs, spam settings, purge and canned replies."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core.settings import get_setting
from app.db import utcnow
from app.forum.models import Post
from app.moderation.models import AuditEvent, CannedReply
from app.moderation.services import moderate_post


def test_audit_log_filters(admin_client, member, moderator, post_factory, db):
    moderate_post(post_factory(), "hide", by=moderator, reason="rude words")
    moderate_post(post_factory(), "spam", by=moderator)
    db.session.commit()
    page = admin_client.get("/admin/audit?verb=post.hide")
    assert b"rude words" in page.data and b"post.spam" not in page.data
    assert b"post.spam" in admin_client.get(f"/admin/audit?actor={moderator.display_name[:5]}").data


def test_jobs_page_shows_runs(admin_client, runner):
    runner.invoke(args=["jobs", "run-once", "clear_spam"])
    page = admin_client.get("/admin/jobs")
    assert page.status_code == 200 and b"clear_spam" in page.data and b"manual" in page.data


def test_moderation_settings_are_validated_saved_and_audited(admin_client, db):
    page = admin_client.post("/admin/moderation", data={"hold_threshold": "0", "quarantine_threshold": "8",
                                                        "flag_threshold": "3", "retention_days": "90"})
    assert page.status_code == 200 and b"error" in page.data
    response = admin_client.post("/admin/moderation", data={
        "hold_threshold": "6", "quarantine_threshold": "9", "flag_threshold": "4", "retention_days": "60",
        "blocked_words": "badword\n  \nworse"})
    assert response.status_code == 302
    assert get_setting("spam.blocked_words") == ["badword", "worse"] and get_setting("flags.hide_threshold") == 4
    assert db.session.scalar(sa.select(AuditEvent.verb).where(AuditEvent.verb == "settings.moderation"))


def test_purge_button_deletes_only_old_spam(admin_client, post_factory, moderator, db):
    old, new = post_factory(), post_factory()
    moderate_post(old, "spam", by=moderator, now=utcnow() - timedelta(days=120))
    moderate_post(new, "spam", by=moderator)
    db.session.commit()
    old_id, new_id = old.id, new.id
    assert admin_client.post("/admin/moderation/purge").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(Post.id).where(Post.id == old_id)) is None
    assert db.session.get(Post, new_id) is not None


def test_canned_replies_are_managed_and_offered_to_hosts(admin_client, moderator_client, member_client,
                                                         thread_factory, db):
    page = admin_client.post("/admin/canned", data={"title": "Welcome"})
    assert b"at least one language" in page.data and b"Welcome" in page.data
    admin_client.post("/admin/canned", data={"title": "Welcome", "body_en": "Welcome aboard!", "body_zh": "欢迎！"})
    assert db.session.scalar(sa.select(CannedReply.title)) == "Welcome"
    thread = thread_factory()
    assert b"Welcome aboard!" in moderator_client.get(f"/t/{thread.id}").data
    assert b"Welcome aboard!" not in member_client.get(f"/t/{thread.id}").data
    reply = db.session.scalar(sa.select(CannedReply))
    admin_client.post(f"/admin/canned/{reply.id}/archive")
    assert b"Welcome aboard!" not in moderator_client.get(f"/t/{thread.id}").data


@pytest.mark.parametrize("client_fixture", ["member_client", "moderator_client", "researcher_client"])
@pytest.mark.parametrize("url", ["/admin/audit", "/admin/jobs", "/admin/moderation", "/admin/canned"])
def test_only_admins_reach_moderation_settings(request, client_fixture, url):
    assert request.getfixturevalue(client_fixture).get(url).status_code == 403
