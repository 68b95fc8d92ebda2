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
    from app.forum import views
    from tests.conftest import login_as

    def explode(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views.queries, "read_marks_of", explode)
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


@pytest.mark.parametrize("url", ["/threads/2147483648", "/threads/99999999999999999999", "/mod/threads/4294967296/split",
                                 "/admin/canned/9223372036854775808"])
def test_ids_too_large_for_the_database_are_a_404_not_a_500(moderator_client, admin_client, url):
    client = admin_client if url.startswith("/admin") else moderator_client
    response = client.get(url)
    assert response.status_code == 404 and b"This page does not exist" in response.data


@pytest.mark.parametrize("url", ["/mod/?member=a%00b", "/threads?page=1%00", "/search?q=%E5%8F%A3%00"])
def test_a_nul_byte_in_the_query_string_is_never_a_500(moderator_client, url):
    response = moderator_client.get(url)
    assert response.status_code in (200, 400) and b"Something went wrong" not in response.data


@pytest.mark.parametrize("url", ["/threads?category=99999999999", "/search?q=tea&category=99999999999",
                                 "/mod/?category=99999999999", "/search?q=tea&category=99999999999999999999",
                                 "/search?q=%E5%8F%A3%E7%BA%A2&page=99999999999999999999",
                                 "/threads?page=99999999999999999999", "/mod/?category=99999999999999999999"])
def test_an_out_of_range_filter_is_a_clear_page_not_a_500(moderator_client, url):
    response = moderator_client.get(url)
    assert response.status_code in (200, 400) and b"Something went wrong" not in response.data


def test_a_value_the_database_refuses_is_a_clear_400_not_a_500(app, member, monkeypatch):
    from sqlalchemy.exc import DataError

    from app.forum import views
    from tests.conftest import login_as

    def refuse(*args, **kwargs):
        raise DataError("SELECT 1", {}, Exception("integer out of range"))

    monkeypatch.setattr(views.queries, "read_marks_of", refuse)
    response = login_as(app.test_client(), member).get("/threads")
    assert response.status_code == 400 and b"cannot be stored" in response.data
