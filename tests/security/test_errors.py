"""Error pages are generic: a clear message, never a traceback; JSON for clients that ask for it."""
from __future__ import annotations

import pytest
from app.core.errors import render_error


def test_unknown_page_is_a_generic_404(member_client):
    response = member_client.get("/no/such/page")
    assert response.status_code == 404 and b"This page does not exist" in response.data


def test_forbidden_page_is_a_generic_403(member_client):
    response = member_client.get("/admin/")
    assert response.status_code == 403 and b"You do not have permission" in response.data


def test_wrong_method_is_405(member_client):
    assert member_client.get("/logout").status_code == 405


def test_json_clients_get_json_errors(member_client):
    response = member_client.get("/admin/", headers={"Accept": "application/json"})
    assert response.status_code == 403 and response.is_json and "permission" in response.get_json()["error"]


@pytest.mark.parametrize("code", [400, 403, 404, 405, 410, 413, 429, 500, 503])
def test_every_error_code_has_a_clear_page(app, code):
    with app.test_request_context("/"):
        body, status = render_error(code)
    assert status == code and "Traceback" not in body and len(body) > 100


def test_an_unexpected_exception_is_a_generic_500(app, member, monkeypatch):
    from tests.conftest import login_as
    from app.forum import views

    def explode(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views.services, "read_marks", explode)
    response = login_as(app.test_client(), member).get("/threads")
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.data and b"secret internals" not in response.data


def test_oversized_upload_is_413_with_a_message(app, member_client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        response = member_client.post("/settings", data={"display_name": "x" * 5000})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 64 * 1024 * 1024
    assert response.status_code == 413 and b"too large" in response.data
