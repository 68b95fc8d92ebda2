"""Admin tools for moderation: audit log, jobs, spam settings, purge, canned replies, inquiry categories."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app import audit
from app.admin import services
from app.audit.models import AuditEvent
from app.core.exceptions import DomainError
from app.core.settings import get_setting
from app.db import utcnow
from app.forum.models import Category, Post
from app.jobs.models import JobRun
from app.moderation import canned
from app.moderation.models import CannedReply
from app.moderation.services import moderate_post


def _events(db, verb: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.verb == verb).order_by(AuditEvent.id)))


# --- audit log -------------------------------------------------------------------------------------------

def test_audit_log_filters_by_verb_and_actor(admin_client, moderator, post_factory, db):
    moderate_post(post_factory(), "hide", by=moderator, reason="rude words")
    moderate_post(post_factory(), "spam", by=moderator)
    db.session.commit()
    page = admin_client.get("/admin/audit?verb=post.hide")
    assert b"rude words" in page.data and b"post.spam" not in page.data
    assert b"post.spam" in admin_client.get(f"/admin/audit?actor={moderator.display_name[:5].lower()}").data
    assert b"post.spam" not in admin_client.get("/admin/audit?actor=nobody-like-this").data


def test_audit_log_filters_by_target_type_and_dates(admin_client, moderator, member, db):
    old = audit.record(moderator, "user.message", member, reason="older note")
    old.created_at = utcnow() - timedelta(days=10)
    audit.record(moderator, "settings.moderation", None, reason="newer change")
    db.session.commit()
    by_target = admin_client.get("/admin/audit?target=user").data
    assert b"older note" in by_target and b"newer change" not in by_target
    day = (utcnow() - timedelta(days=2)).strftime("%Y-%m-%d")
    recent = admin_client.get(f"/admin/audit?from={day}").data
    assert b"newer change" in recent and b"older note" not in recent
    assert b"newer change" not in admin_client.get(f"/admin/audit?to={day}").data


def test_audit_log_shows_before_and_after_compactly(admin_client, admin, db):
    audit.record(admin, "settings.moderation", None, before={"flags.hide_threshold": 3},
                 after={"flags.hide_threshold": 4})
    db.session.commit()
    page = admin_client.get("/admin/audit").get_data(as_text=True)
    assert '{"flags.hide_threshold": 3} → {"flags.hide_threshold": 4}' in page.replace("&#34;", '"')


@pytest.mark.parametrize("query", ["from=yesterday", "to=2026-13-45", "page=abc", "page=-4", "per_page=100000",
                                   "actor=%25_%25", "verb=%00", "actor=a%00b", "target=x%00", "target=<script>"])
def test_bad_audit_filters_never_fail(admin_client, query):
    page = admin_client.get(f"/admin/audit?{query}")
    assert page.status_code == 200


def test_a_malformed_date_is_pointed_out(admin_client):
    assert b"was ignored" in admin_client.get("/admin/audit?from=yesterday").data


def test_audit_log_is_paginated(admin_client, admin, db):
    for i in range(55):
        audit.record(admin, "test.event", None, reason=f"event {i:02d}")
    db.session.commit()
    first, second = admin_client.get("/admin/audit").data, admin_client.get("/admin/audit?page=2").data
    assert b"event 54" in first and b"event 04" not in first and b"event 04" in second
    assert b"event 54" not in admin_client.get("/admin/audit?page=2&per_page=100000").data


# --- jobs ------------------------------------------------------------------------------------------------

def test_jobs_page_shows_each_job_with_interval_and_runs(admin_client, runner, db):
    runner.invoke(args=["jobs", "run-once", "clear_spam"])
    db.session.add(JobRun(job_id="refresh_hot", trigger="schedule", started_at=utcnow() - timedelta(minutes=1),
                          finished_at=utcnow(), status="error", error="Boom: snapshot failed"))
    db.session.commit()
    page = admin_client.get("/admin/jobs").get_data(as_text=True)
    assert page.count('<section class="panel">') >= 5 and "every 300 seconds" in page
    assert "clear_spam" in page and "manual" in page and "Boom: snapshot failed" in page and "error" in page


# --- moderation settings and purge -----------------------------------------------------------------------

SETTINGS = {"hold_threshold": "6", "quarantine_threshold": "9", "flag_threshold": "4", "retention_days": "60",
            "blocked_words": "badword\n  \nworse\nBADWORD", "upload_quota": "40"}


def test_moderation_settings_are_saved_and_audited_with_before_and_after(admin_client, db):
    assert b'value="5.0"' in admin_client.get("/admin/moderation").data
    assert admin_client.post("/admin/moderation", data=SETTINGS).status_code == 302
    assert get_setting("spam.blocked_words") == ["badword", "worse"] and get_setting("flags.hide_threshold") == 4
    assert get_setting("spam.hold_threshold") == 6.0 and get_setting("spam.retention_days") == 60
    [event] = _events(db, "settings.moderation")
    assert event.before["flags.hide_threshold"] == 3 and event.after["flags.hide_threshold"] == 4
    admin_client.post("/admin/moderation", data=SETTINGS)
    assert len(_events(db, "settings.moderation")) == 1  # saving the same values again changes nothing


def test_admin_sets_the_daily_image_quota(admin_client, db):
    assert admin_client.post("/admin/moderation", data={**SETTINGS, "upload_quota": "5"}).status_code == 302
    assert get_setting("uploads.daily_quota") == 5
    [event] = _events(db, "settings.moderation")
    assert event.before["uploads.daily_quota"] == 40 and event.after["uploads.daily_quota"] == 5


@pytest.mark.parametrize("field, value, message", [
    ("upload_quota", "-1", b"has-error"),
    ("hold_threshold", "0", b"has-error"), ("hold_threshold", "abc", b"has-error"),
    ("hold_threshold", "nan", b"has-error"), ("quarantine_threshold", "4", b"at least as high"),
    ("retention_days", "1", b"has-error"), ("flag_threshold", "", b"has-error"),
    ("blocked_words", "fine\nbad\x00word", b"NUL")])
def test_bad_settings_are_refused_and_what_was_typed_is_kept(admin_client, db, field, value, message):
    page = admin_client.post("/admin/moderation", data={**SETTINGS, field: value})
    assert page.status_code == 200 and message in page.data
    typed = {**SETTINGS, field: value}
    for name in ("hold_threshold", "quarantine_threshold", "flag_threshold", "retention_days"):
        assert f'value="{typed[name]}"'.encode() in page.data
    assert get_setting("spam.retention_days") is None and _events(db, "settings.moderation") == []


def test_every_moderation_setting_has_a_default_and_a_field_on_the_settings_form(app):
    from app.admin.forms import ModerationSettingsForm
    from app.admin.moderation_views import SETTING_FIELDS
    from app.moderation.spam import DEFAULTS

    assert set(services.MODERATION_SETTINGS) == set(DEFAULTS)
    with app.test_request_context():
        form = ModerationSettingsForm()
    assert all(field in form for field in services.MODERATION_SETTINGS.values())
    assert set(SETTING_FIELDS.values()) == set(services.MODERATION_SETTINGS) - {"spam.blocked_words"}


def test_purge_deletes_only_old_spam_and_says_how_much(admin_client, post_factory, moderator, db):
    old, new, hidden = post_factory(), post_factory(), post_factory()
    moderate_post(old, "spam", by=moderator, now=utcnow() - timedelta(days=120))
    moderate_post(new, "spam", by=moderator)
    moderate_post(hidden, "hide", by=moderator, reason="rude", now=utcnow() - timedelta(days=400))
    db.session.commit()
    ids = old.id, new.id, hidden.id
    page = admin_client.post("/admin/moderation/purge", follow_redirects=True)
    assert b"1 spam post older than 90 days deleted" in page.data
    db.session.expire_all()
    assert [db.session.get(Post, i) is not None for i in ids] == [False, True, True]
    [event] = _events(db, "spam.purge")
    assert event.after["posts"] == 1


def test_purge_uses_the_current_retention(admin_client, post_factory, moderator, db):
    post = post_factory()
    moderate_post(post, "spam", by=moderator, now=utcnow() - timedelta(days=20))
    db.session.commit()
    post_id = post.id
    admin_client.post("/admin/moderation", data={**SETTINGS, "retention_days": "14"})
    admin_client.post("/admin/moderation/purge")
    db.session.expire_all()
    assert db.session.get(Post, post_id) is None


# --- canned replies --------------------------------------------------------------------------------------

def test_canned_replies_are_created_edited_and_audited(admin_client, db):
    response = admin_client.post("/admin/canned", data={"title": "Welcome", "body_en": "Welcome aboard!",
                                                        "body_zh": "欢迎！"})
    assert response.status_code == 302
    reply = db.session.scalar(sa.select(CannedReply))
    assert (reply.title, reply.body_en, reply.body_zh) == ("Welcome", "Welcome aboard!", "欢迎！")
    assert b"Welcome aboard!" in admin_client.get(f"/admin/canned/{reply.id}").data
    admin_client.post(f"/admin/canned/{reply.id}", data={"title": "Welcome", "body_en": "Welcome, friend!",
                                                         "body_zh": "欢迎！"})
    [created], [updated] = _events(db, "canned.create"), _events(db, "canned.update")
    assert created.after["title"] == "Welcome" and updated.before["body_en"] == "Welcome aboard!" and updated.after["body_en"] == "Welcome, friend!"


@pytest.mark.parametrize("data, message", [
    ({"title": "Welcome"}, b"at least one language"), ({"title": "", "body_en": "x"}, b"has-error"),
    ({"title": "Nul", "body_en": "bad\x00text"}, b"NUL"), ({"title": "Long", "body_en": "x" * 5001}, b"has-error")])
def test_bad_canned_replies_are_refused_and_the_title_kept(admin_client, db, data, message):
    page = admin_client.post("/admin/canned", data=data)
    assert page.status_code == 200 and message in page.data
    assert f'value="{data["title"]}"'.encode() in page.data and db.session.scalar(sa.select(CannedReply)) is None


def test_archived_canned_replies_are_kept_but_not_offered_until_restored(admin_client, moderator_client,
                                                                         thread_factory, db):
    admin_client.post("/admin/canned", data={"title": "Welcome", "body_en": "Welcome aboard!"})
    reply = db.session.scalar(sa.select(CannedReply))
    thread = thread_factory()
    assert b"Welcome aboard!" in moderator_client.get(f"/t/{thread.id}").data
    assert admin_client.post(f"/admin/canned/{reply.id}/archive").status_code == 302
    assert b"Welcome aboard!" not in moderator_client.get(f"/t/{thread.id}").data
    db.session.expire_all()
    assert db.session.get(CannedReply, reply.id).archived_at is not None
    admin_client.post(f"/admin/canned/{reply.id}/restore")
    assert b"Welcome aboard!" in moderator_client.get(f"/t/{thread.id}").data
    assert [len(_events(db, v)) for v in ("canned.archive", "canned.restore")] == [1, 1]


def test_hosts_and_only_hosts_get_canned_replies_in_both_reply_boxes(moderator_client, member_client, thread_factory,
                                                                     admin, db):
    canned.save_canned_reply(None, by=admin, title="Thanks", body_en="Thanks for sharing!", body_zh="谢谢分享！")
    db.session.commit()
    thread = thread_factory()
    for url in (f"/t/{thread.id}", f"/t/{thread.id}/reply"):
        page = moderator_client.get(url).get_data(as_text=True)
        assert 'data-canned-for="body"' in page and 'data-body="Thanks for sharing!"' in page
        assert "Thanks for sharing!" not in member_client.get(url).get_data(as_text=True)


def test_a_chinese_speaking_host_gets_the_chinese_text_or_falls_back_to_english(moderator, moderator_client,
                                                                                thread_factory, admin, db):
    canned.save_canned_reply(None, by=admin, title="Thanks", body_en="Thanks for sharing!", body_zh="谢谢分享！")
    canned.save_canned_reply(None, by=admin, title="Rules", body_en="Please read the rules.", body_zh="")
    moderator.locale = "zh_Hans"
    db.session.commit()
    page = moderator_client.get(f"/t/{thread_factory().id}").get_data(as_text=True)
    assert 'data-body="谢谢分享！"' in page and 'data-body="Please read the rules."' in page
    assert "Thanks for sharing!" not in page


def test_canned_reply_services_say_when_nothing_changes(db, admin):
    reply = canned.save_canned_reply(None, by=admin, title="Hi", body_en="Hello", body_zh=None)
    assert canned.save_canned_reply(reply, by=admin, title="Hi", body_en="Hello", body_zh="") is None
    assert canned.archive_canned_reply(reply, by=admin) and not canned.archive_canned_reply(reply, by=admin)
    assert canned.restore_canned_reply(reply, by=admin) and not canned.restore_canned_reply(reply, by=admin)
    with pytest.raises(DomainError):
        canned.save_canned_reply(None, by=admin, title="Empty", body_en=" ", body_zh="")


# --- inquiry categories ----------------------------------------------------------------------------------

def test_admin_marks_a_category_as_ask_the_hosts(admin_client, category_factory, db):
    category = category_factory(name="Questions")
    assert b'name="is_inquiry"' in admin_client.get(f"/admin/categories/{category.id}/edit").data
    response = admin_client.post(f"/admin/categories/{category.id}/edit",
                                 data={"name": "Questions", "description": "", "position": "0", "is_inquiry": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Category, category.id).is_inquiry is True
    event = _events(db, "category.update")[-1]
    assert event.before["is_inquiry"] is False and event.after["is_inquiry"] is True
    admin_client.post(f"/admin/categories/{category.id}/edit", data={"name": "Questions", "position": "0"})
    db.session.expire_all()
    assert db.session.get(Category, category.id).is_inquiry is False


# --- permissions -----------------------------------------------------------------------------------------

ADMIN_ACTIONS = [("get", "/admin/audit"), ("get", "/admin/jobs"), ("get", "/admin/moderation"),
                 ("post", "/admin/moderation"), ("post", "/admin/moderation/purge"), ("get", "/admin/canned"),
                 ("post", "/admin/canned"), ("get", "/admin/canned/{r}"), ("post", "/admin/canned/{r}"),
                 ("post", "/admin/canned/{r}/archive"), ("post", "/admin/canned/{r}/restore")]


@pytest.mark.parametrize("client_fixture", ["member_client", "moderator_client", "researcher_client"])
@pytest.mark.parametrize("method, url", ADMIN_ACTIONS)
def test_only_admins_reach_the_moderation_admin_tools(request, db, admin, client_fixture, method, url):
    reply = canned.save_canned_reply(None, by=admin, title="Hi", body_en="Hello", body_zh="")
    db.session.commit()
    client = request.getfixturevalue(client_fixture)
    url = url.format(r=reply.id)
    data = {**SETTINGS, "title": "Changed", "body_en": "Changed"}
    response = client.post(url, data=data) if method == "post" else client.get(url)
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(CannedReply, reply.id).title == "Hi" and get_setting("spam.retention_days") is None


@pytest.mark.parametrize("url", ["/admin/canned/987654", "/admin/canned/99999999999"])
def test_missing_canned_replies_are_404(admin_client, url):
    assert admin_client.get(url).status_code == 404
