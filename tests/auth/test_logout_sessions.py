"""Logging out ends the session for good: copied cookies die, and CSRF secrets do not survive a sign-in; the CSRF
token signed once per session secret and reused (app/core/forms.py signed_csrf_token) checks out and stays the
session's own."""
from __future__ import annotations

import re

import pytest

from tests.factories import DEFAULT_PASSWORD


def _copy_to_fresh_client(app, name: str, value: str):
    other = app.test_client()
    other.set_cookie(name, value)
    return other


def _logged_in_with_remember(client, member):
    response = client.post("/login", data={"email": member.email, "password": DEFAULT_PASSWORD, "remember": "y"})
    assert response.status_code == 302
    return client.get_cookie("session").value, client.get_cookie("remember_token").value


def test_copied_session_cookie_is_refused_after_logout(app, client, member):
    session_cookie, _remember = _logged_in_with_remember(client, member)
    assert _copy_to_fresh_client(app, "session", session_cookie).get("/settings").status_code == 200
    client.post("/logout")
    replay = _copy_to_fresh_client(app, "session", session_cookie).get("/settings")
    assert replay.status_code == 302 and "/login" in replay.headers["Location"]


def test_copied_remember_cookie_is_refused_after_logout(app, client, member):
    _session, remember_cookie = _logged_in_with_remember(client, member)
    assert _copy_to_fresh_client(app, "remember_token", remember_cookie).get("/settings").status_code == 200
    client.post("/logout")
    replay = _copy_to_fresh_client(app, "remember_token", remember_cookie).get("/settings")
    assert replay.status_code == 302 and "/login" in replay.headers["Location"]


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def _csrf_token(page) -> str:
    return re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page.data).group(1).decode()


def test_csrf_token_from_before_login_is_refused_after_login(csrf_on, client, member):
    planted = _csrf_token(client.get("/login"))
    response = client.post("/login", data={"email": member.email, "password": DEFAULT_PASSWORD,
                                           "csrf_token": planted})
    assert response.status_code == 302
    assert client.post("/logout", data={"csrf_token": planted}).status_code == 400
    assert client.get("/settings").status_code == 200  # still logged in
    fresh = _csrf_token(client.get("/settings"))
    assert fresh != planted
    assert client.post("/logout", data={"csrf_token": fresh}).status_code == 302
    assert client.get("/settings").status_code == 302


def _signed_in(app, user):
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD,
                                "csrf_token": _csrf_token(client.get("/login"))})
    return client


def test_a_session_gets_the_same_token_on_every_page_and_it_checks_out(csrf_on, app, user_factory):
    first, second = user_factory(), user_factory()
    one, other = _signed_in(app, first), _signed_in(app, second)
    token = _csrf_token(one.get("/settings"))
    assert _csrf_token(one.get("/threads")) == token  # signed once for this session's secret, then reused
    assert _csrf_token(other.get("/settings")) != token  # another session's secret gets its own token
    assert other.post("/logout", data={"csrf_token": token}).status_code == 400  # not good for another session
    assert other.get("/settings").status_code == 200
    assert one.post("/logout", data={"csrf_token": token}).status_code == 302
    assert one.get("/settings").status_code == 302


def test_with_a_time_limit_the_token_is_signed_as_flask_wtf_does_and_checks_out(csrf_on, app, member):
    app.config["WTF_CSRF_TIME_LIMIT"] = 3600
    try:
        client = _signed_in(app, member)
        token = _csrf_token(client.get("/settings"))
        assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    finally:
        app.config["WTF_CSRF_TIME_LIMIT"] = None
