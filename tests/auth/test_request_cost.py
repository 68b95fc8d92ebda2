"""What every signed-in request pays for, made cheaper without trusting anything stale: the member read fresh
through one Core select, the session cookie verified once per process and remembered, one query for /healthz."""
from __future__ import annotations

import time

import sqlalchemy as sa
from flask.sessions import SecureCookieSessionInterface

from app.auth.session import _fetch_user, load_user
from app.core.cookie_session import RememberingCookieSessionInterface
from app.db import utcnow
from tests.conftest import login_as


def _statements(app):
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        seen.append(statement)

    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
    sa.event.listen(engine, "before_cursor_execute", note)
    return seen, lambda: sa.event.remove(engine, "before_cursor_execute", note)


def test_loaded_member_is_persistent_clean_and_its_changes_are_written(db, member):
    member_id, email = member.id, member.email
    db.session.close()
    user = _fetch_user(member_id)
    assert user in db.session and not db.session.dirty and user.email == email
    assert db.session.get(type(user), member_id) is user  # the identity map knows it: no second load
    user.locale = "zh_Hans"
    db.session.commit()
    db.session.close()
    assert db.session.scalar(sa.text('SELECT locale FROM "user" WHERE id = :id'), {"id": member_id}) == "zh_Hans"


def test_load_user_refuses_a_stale_token_a_suspension_and_a_malformed_id(db, member):
    good = member.get_id()
    assert load_user(good).id == member.id
    db.session.close()
    assert load_user(f"{member.id}:not-the-token") is None
    assert load_user("abc:def") is None and load_user(f"{member.id}:") is None and load_user("99999:x") is None
    member = db.session.get(type(member), member.id)
    member.suspended_at = utcnow()
    db.session.commit()
    db.session.close()
    assert load_user(good) is None


def test_a_member_held_by_the_session_is_refreshed_not_trusted(db, member):
    held = db.session.get(type(member), member.id)
    db.session.execute(sa.text('UPDATE "user" SET role = :role WHERE id = :id'), {"role": "moderator", "id": member.id})
    assert load_user(member.get_id()) is held and held.role == "moderator"


def test_a_role_change_by_another_connection_counts_on_the_next_request(app, db, member, client):
    login_as(client, member)
    assert client.get("/admin/audit").status_code in (302, 403)
    with db.engine.begin() as conn:  # another worker's write
        conn.execute(sa.text('UPDATE "user" SET role = :role WHERE id = :id'), {"role": "admin", "id": member.id})
    assert client.get("/admin/audit").status_code == 200


def test_healthz_asks_the_database_once(app, db, member, client):
    login_as(client, member)
    client.get("/healthz")
    seen, stop = _statements(app)
    try:
        body = client.get("/healthz").get_json()
    finally:
        stop()
    assert body["database"] is True
    queries = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    assert len(queries) == 2, queries  # the member, then the scheduler lease (which proves the database answers)


class _Request:
    def __init__(self, cookie: str | None) -> None:
        self.cookies = {"session": cookie} if cookie else {}


def _cookie(app, values: dict) -> str:
    return SecureCookieSessionInterface().get_signing_serializer(app).dumps(values)


def test_remembered_cookie_gives_each_request_its_own_copy(app):
    interface = RememberingCookieSessionInterface()
    cookie = _cookie(app, {"_user_id": "1:token", "_fresh": True})
    first = interface.open_session(app, _Request(cookie))
    first["_fresh"] = False
    second = interface.open_session(app, _Request(cookie))
    assert second == {"_user_id": "1:token", "_fresh": True} and not second.modified
    assert cookie in interface._opened


def test_a_tampered_or_foreign_cookie_is_an_empty_session(app):
    interface = RememberingCookieSessionInterface()
    cookie = _cookie(app, {"_user_id": "1:token"})
    payload, _, signature = cookie.rpartition(".")
    assert interface.open_session(app, _Request(payload + "." + signature[::-1])) == {}
    other = SecureCookieSessionInterface()
    app_key = app.secret_key
    try:
        app.secret_key = "another key"
        foreign = other.get_signing_serializer(app).dumps({"_user_id": "1:token"})
    finally:
        app.secret_key = app_key
    assert interface.open_session(app, _Request(foreign)) == {}
    assert interface.open_session(app, _Request(None)) == {}


def test_a_remembered_cookie_expires_as_the_signature_would(app, monkeypatch):
    interface = RememberingCookieSessionInterface()
    cookie = _cookie(app, {"_user_id": "1:token"})
    assert interface.open_session(app, _Request(cookie)) == {"_user_id": "1:token"}
    lifetime = app.permanent_session_lifetime.total_seconds()
    later = time.time() + lifetime + 5
    monkeypatch.setattr(time, "time", lambda: later)
    assert interface.open_session(app, _Request(cookie)) == {}


def test_a_new_secret_key_forgets_remembered_cookies(app):
    interface = RememberingCookieSessionInterface()
    cookie = _cookie(app, {"_user_id": "1:token"})
    assert interface.open_session(app, _Request(cookie))
    app_key = app.secret_key
    try:
        app.secret_key = "rotated key"
        assert interface.open_session(app, _Request(cookie)) == {}
    finally:
        app.secret_key = app_key


def test_a_session_with_nested_values_is_not_remembered(app):
    interface = RememberingCookieSessionInterface()
    cookie = _cookie(app, {"pending": {"user_id": 1}})
    assert interface.open_session(app, _Request(cookie)) == {"pending": {"user_id": 1}}
    assert cookie not in interface._opened
