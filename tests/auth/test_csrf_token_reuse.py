"""The CSRF token signed once per session secret and reused (app/core/forms.py signed_csrf_token) still checks out
and stays the session's own."""
from __future__ import annotations

import re

import pytest

from tests.factories import DEFAULT_PASSWORD


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def _token(page) -> str:
    return re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page.data).group(1).decode()


def _signed_in(app, user):
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD,
                                "csrf_token": _token(client.get("/login"))})
    return client


def test_a_session_gets_the_same_token_on_every_page_and_it_checks_out(csrf_on, app, user_factory):
    first, second = user_factory(), user_factory()
    one, other = _signed_in(app, first), _signed_in(app, second)
    token = _token(one.get("/settings"))
    assert _token(one.get("/threads")) == token  # signed once for this session's secret, then reused
    assert _token(other.get("/settings")) != token  # another session's secret gets its own token
    assert other.post("/logout", data={"csrf_token": token}).status_code == 400  # not good for another session
    assert other.get("/settings").status_code == 200
    assert one.post("/logout", data={"csrf_token": token}).status_code == 302
    assert one.get("/settings").status_code == 302


def test_with_a_time_limit_every_request_signs_afresh(csrf_on, app, member):
    app.config["WTF_CSRF_TIME_LIMIT"] = 3600
    try:
        client = _signed_in(app, member)
        token = _token(client.get("/settings"))
        assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    finally:
        app.config["WTF_CSRF_TIME_LIMIT"] = None
