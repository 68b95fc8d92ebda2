"""CSRF: every POST route refuses a request without a token, logout included; logout by GET is not allowed."""
from __future__ import annotations

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter

from app.members.models import User


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def _value(converter):
    if isinstance(converter, IntegerConverter):
        return 987654
    if isinstance(converter, AnyConverter):
        return min(converter.items)
    return "no-such-thing"


def _post_rules(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods:
            values = {a: _value(rule._converters[a]) for a in rule.arguments}
            yield rule, rule.build(values, append_unknown=False)[1]


# One-click unsubscribe (RFC 8058): mail clients POST with no session and no form token; the signed token in the
# URL is the proof, and without a valid one the route changes nothing (404; tests/mail/test_unsubscribe.py).
CSRF_EXEMPT = {"mailing.unsubscribe"}


def test_every_post_route_without_a_token_is_refused(csrf_on, app, admin_client):
    refused = 0
    for rule, url in _post_rules(app):
        if rule.endpoint in CSRF_EXEMPT:
            assert admin_client.post(url).status_code == 404, rule.endpoint  # a forged signed token is refused
            continue
        response = admin_client.post(url, data={"body": "x", "title": "x", "email": "a@b.example"})
        assert response.status_code == 400, (rule.endpoint, response.status_code)
        refused += 1
    assert refused >= 20


def test_login_without_token_is_refused_and_does_not_log_in(csrf_on, client, user_factory):
    user = user_factory()
    response = client.post("/login", data={"email": user.email, "password": "correct horse battery"})
    assert response.status_code == 400
    assert client.get("/settings").status_code == 302


def test_logout_needs_post_with_a_token(csrf_on, member_client, db):
    assert member_client.get("/logout").status_code == 405
    assert member_client.post("/logout").status_code == 400
    assert member_client.get("/settings").status_code == 200  # still logged in


def test_a_refused_post_changes_nothing(csrf_on, admin_client, member, db):
    admin_client.post(f"/admin/users/{member.id}", data={"role": "admin", "submit_role": "1"})
    db.session.expire_all()
    assert db.session.get(User, member.id).role == "member"
