"""Static files are served whole from memory, with conditional requests and no way out of the folder."""
from __future__ import annotations


def test_a_static_file_is_served_with_its_type_and_answers_a_conditional_request(client):
    first = client.get("/static/css/layout.css")
    assert first.status_code == 200 and first.mimetype == "text/css" and first.data
    again = client.get("/static/css/layout.css", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_a_path_outside_the_static_folder_or_a_missing_file_is_not_found(client):
    assert client.get("/static/../app/config.py").status_code == 404
    assert client.get("/static/css/no-such-file.css").status_code == 404
