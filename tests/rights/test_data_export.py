"""Download my data: the request, the job that builds the zip and deletes it after seven days, the download."""
from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.core.exceptions import DomainError
from app.jobs import registry
from app.rights import consent, data_export
from app.rights.models import DataExportRequest
from tests.conftest import login_as

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _prepared(db, user, now=NOW) -> DataExportRequest:
    request = data_export.request_data_export(user, now=now)
    assert registry.get("prepare_data_exports").func(now) == 1
    db.session.commit()
    return request


def test_a_second_request_while_one_is_prepared_is_refused(db, member):
    data_export.request_data_export(member, now=NOW)
    with pytest.raises(DomainError):
        data_export.request_data_export(member, now=NOW)


def test_the_job_builds_a_zip_with_every_kind_of_content_and_the_photos(db, busy_member):
    consent.withdraw_consent(busy_member, now=NOW)
    request = _prepared(db, busy_member)
    assert (request.status, request.expires_at) == ("ready", NOW + timedelta(days=7))
    with zipfile.ZipFile(data_export.file_path(request)) as archive:
        names = set(archive.namelist())
        data = {name: json.loads(archive.read(name)) for name in names if name.endswith(".json")}
        photo_names = [name for name in names if name.startswith("photos/")]
        assert len(photo_names) == 1 and archive.read(photo_names[0])[:2] == b"\xff\xd8"
    assert data["profile.json"]["email"] == busy_member.email
    assert {post["text"] for post in data["posts.json"]} == {"Oolong, every day.", "I prefer green tea."}
    assert data["task_answers.json"][0]["text"] == "Here is my shelf"
    assert data["task_answers.json"][0]["photos"] == photo_names
    assert data["poll_ballots.json"] == [{"poll": "Favourite tea?", "choices": ["Black"],
                                          "voted_at": data["poll_ballots.json"][0]["voted_at"],
                                          "changed_at": data["poll_ballots.json"][0]["changed_at"]}]
    assert data["competition_entries.json"][0]["title"] == "Dawn cup"
    assert sum(event["amount"] for event in data["points.json"]) == busy_member.points > 0
    assert [event["event"] for event in data["consent_history.json"]] == ["withdrawn"]


def test_the_job_deletes_the_zip_after_seven_days(db, member):
    request = _prepared(db, member)
    path = data_export.file_path(request)
    assert data_export.prepare_data_exports(NOW + timedelta(days=7) - timedelta(seconds=1)) == 0
    assert path.is_file()
    assert data_export.prepare_data_exports(NOW + timedelta(days=7)) == 1
    db.session.commit()
    assert request.status == "expired" and request.file_name is None and not path.exists()
    verbs = db.session.scalars(sa.select(AuditEvent.verb).order_by(AuditEvent.id)).all()
    assert verbs == ["data_export.request", "data_export.ready", "data_export.expire"]


def test_member_asks_for_their_data_in_settings_and_downloads_it(db, member, member_client):
    response = member_client.post("/settings/privacy/download")
    assert response.status_code == 302
    assert "being prepared" in member_client.get("/settings/privacy/").get_data(as_text=True)
    data_export.prepare_data_exports(datetime.now(UTC))
    db.session.commit()
    request = db.session.scalar(sa.select(DataExportRequest))
    page = member_client.get("/settings/privacy/").get_data(as_text=True)
    assert f"/settings/privacy/download/{request.id}" in page
    with member_client.get(f"/settings/privacy/download/{request.id}") as response:
        assert response.status_code == 200 and response.mimetype == "application/zip"
        assert response.headers["Cache-Control"] == "no-store"
        assert "attachment" in response.headers["Content-Disposition"]
        body = response.get_data()
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert json.loads(archive.read("profile.json"))["id"] == member.id


def test_nobody_else_can_download_a_members_zip(db, app, member, user_factory, admin):
    request = _prepared(db, member, now=datetime.now(UTC))
    for other in (user_factory(), admin):
        response = login_as(app.test_client(), other).get(f"/settings/privacy/download/{request.id}")
        assert response.status_code == 404
    assert app.test_client().get(f"/settings/privacy/download/{request.id}").status_code == 302  # to login


def test_an_expired_download_is_refused_with_a_message(db, member, member_client):
    request = _prepared(db, member, now=datetime.now(UTC) - timedelta(days=8))
    response = member_client.get(f"/settings/privacy/download/{request.id}", follow_redirects=True)
    assert response.status_code == 200 and "This download has expired." in response.get_data(as_text=True)


def test_an_unwritable_folder_leaves_the_request_waiting(db, app, member, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    saved = app.config.get("MEMBER_EXPORT_DIR")
    app.config["MEMBER_EXPORT_DIR"] = str(blocker / "exports")
    try:
        request = data_export.request_data_export(member, now=NOW)
        assert data_export.prepare_data_exports(NOW) == 0
    finally:
        app.config["MEMBER_EXPORT_DIR"] = saved
    assert request.status == "pending"


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_a_download_request_without_a_csrf_token_is_refused(csrf_on, db, member_client):
    assert member_client.post("/settings/privacy/download").status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DataExportRequest)) == 0
