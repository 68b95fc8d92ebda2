"""Logging out ends the session for good: copied cookies die, and CSRF secrets do not survive a sign-in."""
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
