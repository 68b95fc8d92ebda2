"""Every route, every role: anonymous visitors are sent to log in, areas refuse the roles they are not for.

The classification table must name every endpoint, so a new route fails here until someone decides who may
use it.
"""
from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter

PUBLIC = {"auth.login", "auth.two_factor_verify", "auth.accept_invite", "auth.reset_request", "auth.reset_confirm",
          "core.healthz", "static",
          "core.web_manifest",  # the manifest: browsers fetch it without cookies
          "mailing.unsubscribe"}  # a signed link from an email (RFC 8058): no login by design
# Whole areas, guarded once on their blueprint: blueprint -> roles allowed in.
AREAS = {
    "admin": {"admin"},
    "research": {"researcher", "admin"},
    "moderation": {"moderator", "admin"},
    "invites": {"moderator", "admin"},
}
# Member-facing endpoints with their own rule: endpoint -> roles allowed (None means every signed-in role).
MEMBER_ENDPOINTS: dict[str, set[str] | None] = {
    "auth.logout": None,
    "auth.two_factor_settings": None, "auth.two_factor_enable": None, "auth.two_factor_regenerate": None,
    "auth.two_factor_disable": None,
    "forum.index": None, "forum.category_detail": None, "forum.thread_detail": None, "forum.post_goto": None,
    "forum.thread_new": {"member", "moderator", "admin"}, "forum.post_reply": {"member", "moderator", "admin"},
    "forum.post_edit": {"member", "moderator", "admin"}, "forum.post_react": {"member", "moderator", "admin"},
    "forum.post_flag": None, "forum.post_revisions": None,
    "forum.post_preview": {"member", "moderator", "admin"},
    "members.avatar": None, "members.mention_suggest": None,
    "members.profile": None, "members.settings": None, "members.notifications": None,
    "members.notifications_read": None,
    "tasks.task_list": None, "tasks.task_detail": None,
    "tasks.task_edit": {"moderator", "researcher", "admin"},
    "tasks.task_publish": {"moderator", "admin"}, "tasks.submission_review": {"moderator", "admin"},
    "uploads.upload_file": None,
    "landing.index": None, "search.results": None,
    "polls.poll_new": {"moderator", "researcher", "admin"}, "polls.poll_vote": {"member", "moderator", "admin"},
    "polls.poll_action": {"moderator", "admin"}, "polls.poll_thread_new": {"moderator", "admin"},
    "polls.poll_breakdown": {"researcher", "admin"}, "activities.index": None,
    "competitions.competition_edit": {"moderator", "researcher", "admin"}, "competitions.competition_detail": None,
    "competitions.competition_publish": {"moderator", "admin"},
    "competitions.entry_vote": {"member", "moderator", "admin"},
    "competitions.entry_score": {"moderator", "admin"}, "competitions.entry_moderate": {"moderator", "admin"},
    "points.leaderboard": None, "points.member_points": None, "segments.my_segments": None,
    "landing.announcement_save": {"moderator", "admin"}, "landing.announcement_archive": {"moderator", "admin"},
    # members' rights: everyone's own consent, data and account (a download is served only to its owner)
    "rights.privacy": None, "rights.consent_withdraw": None, "rights.consent_give": None,
    "rights.data_export_request": None, "rights.data_export_download": None, "rights.erasure_request": None,
    "rights.erasure_cancel": None,
    # email: everyone's own preferences; hosts invite members to activities
    "mailing.preferences_page": None, "mailing.activity_invite": {"moderator", "admin"},
}
ROLES = ("member", "moderator", "researcher", "admin")


def _rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def _url(rule) -> str:
    values = {}
    for argument in rule.arguments:
        converter = rule._converters[argument]
        if type(converter).__name__ == "AnyConverter":
            values[argument] = min(converter.items)
        elif isinstance(converter, IntegerConverter):
            values[argument] = 987654
        else:
            values[argument] = "no-such-thing"
    return rule.build(values, append_unknown=False)[1]


def _method(rule) -> str:
    return "get" if "GET" in rule.methods else "post"


def _area(endpoint: str) -> str | None:
    blueprint = endpoint.split(".", 1)[0]
    return blueprint if blueprint in AREAS else None


def test_every_endpoint_is_classified(app):
    unclassified = sorted(
        rule.endpoint for rule in _rules(app)
        if rule.endpoint not in PUBLIC and not _area(rule.endpoint) and rule.endpoint not in MEMBER_ENDPOINTS
    )
    assert unclassified == [], "classify these endpoints in tests/security/test_permission_matrix.py"


def test_anonymous_visitors_are_sent_to_log_in_from_every_private_url(app, client):
    checked = 0
    for rule in _rules(app):
        if rule.endpoint in PUBLIC:
            continue
        url = _url(rule)
        response = getattr(client, _method(rule))(url)
        assert response.status_code == 302, (rule.endpoint, response.status_code)
        location = response.headers["Location"]
        assert location.startswith("/login?next="), (rule.endpoint, location)
        checked += 1
    assert checked >= 40


def test_public_pages_are_open_to_visitors(client):
    assert client.get("/login").status_code == 200
    assert client.get("/reset").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/invite/not-a-real-token").status_code == 410
    assert client.get("/reset/not-a-real-token").status_code == 302  # back to the request form
    assert client.get("/mail/unsubscribe/not-a-real-token").status_code == 404  # only a signed token opens it


@pytest.mark.parametrize("role", ROLES)
def test_areas_refuse_roles_they_are_not_for(app, role, user_factory):
    from tests.conftest import login_as

    client = login_as(app.test_client(), user_factory(role=role))
    for rule in _rules(app):
        area = _area(rule.endpoint)
        if area is None or role in AREAS[area]:
            continue
        response = getattr(client, _method(rule))(_url(rule))
        assert response.status_code == 403, (role, rule.endpoint, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_areas_let_their_roles_in(app, role, user_factory):
    from tests.conftest import login_as

    client = login_as(app.test_client(), user_factory(role=role))
    for rule in _rules(app):
        area = _area(rule.endpoint)
        if area is None or role not in AREAS[area] or "GET" not in rule.methods or rule.arguments:
            continue
        assert client.get(_url(rule)).status_code == 200, (role, rule.endpoint)


@pytest.mark.parametrize("role", ROLES)
def test_member_endpoints_with_their_own_rule_refuse_other_roles(app, role, user_factory):
    from tests.conftest import login_as

    client = login_as(app.test_client(), user_factory(role=role))
    for endpoint, allowed in MEMBER_ENDPOINTS.items():
        if allowed is None or role in allowed:
            continue
        for rule in app.url_map.iter_rules(endpoint):
            response = getattr(client, _method(rule))(_url(rule))
            assert response.status_code in (403, 404), (role, endpoint, response.status_code)
