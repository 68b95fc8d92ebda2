"""Trust boundaries: links from the public URL only, trusted hosts and proxies, look-alike names, safe `next`."""
from __future__ import annotations

import logging
import re

import pytest
import sqlalchemy as sa

from app import create_app
from app.audit.models import AuditEvent
from app.core.exceptions import DomainError
from app.members.accounts import check_display_name
from tests.conftest import TEST_CONFIG, login_as
from tests.mail.helpers import send_all

PUBLIC = "https://community.teahouse.test"


def _links(message) -> list[str]:
    body = message.get_payload(0).get_payload(decode=True).decode()
    return re.findall(r"https?://\S+", body)


# --- 1. absolute links come from the public URL, never from the request -------------------------------------

@pytest.mark.parametrize("headers", [
    {"X-Forwarded-Host": "attacker.example"},
    {"X-Forwarded-Host": "attacker.example", "X-Forwarded-Proto": "http", "X-Forwarded-For": "203.0.113.9"},
    {"Forwarded": "host=attacker.example"},
])
def test_reset_link_uses_the_public_url_whatever_the_forwarded_headers_say(client, member, smtp_server, headers):
    client.post("/reset", data={"email": member.email}, headers=headers)
    send_all()  # the send_mail job, as the scheduler runs it
    (link,) = _links(smtp_server.messages[0])
    assert link.startswith(PUBLIC + "/reset/") and "attacker" not in link


def test_reset_link_uses_the_public_url_even_when_any_host_is_accepted(app, client, member, smtp_server):
    saved = app.config["TRUSTED_HOSTS"]
    app.config["TRUSTED_HOSTS"] = None  # an operator who switched the host check off
    try:
        response = client.post("/reset", data={"email": member.email}, headers={"Host": "attacker.example"})
    finally:
        app.config["TRUSTED_HOSTS"] = saved
    assert response.status_code == 302
    send_all()
    (link,) = _links(smtp_server.messages[0])
    assert link.startswith(PUBLIC + "/reset/")


def test_a_host_outside_trusted_hosts_is_refused_with_a_page_not_a_500(client, member, smtp_server):
    response = client.post("/reset", data={"email": member.email}, headers={"Host": "attacker.example"})
    assert response.status_code == 400
    assert "not served here" in response.get_data(as_text=True)
    send_all()
    assert smtp_server.messages == []


def test_trusted_hosts_default_to_the_public_host_and_loopback(app):
    assert app.config["TRUSTED_HOSTS"] == ["community.teahouse.test", "localhost", "127.0.0.1"]


def test_invitation_link_uses_the_public_url(moderator_client, smtp_server):
    moderator_client.post("/invitations/", data={"email": "friend@example.test", "role": "member"},
                          headers={"X-Forwarded-Host": "attacker.example"})
    send_all()
    (link,) = _links(smtp_server.messages[0])
    assert link.startswith(PUBLIC + "/invite/")


def _production_config(tmp_path, **extra) -> dict:
    config = {**TEST_CONFIG, "TESTING": False, "DEBUG": False, "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
              "INSTANCE_PATH": str(tmp_path / "instance"), **extra}
    return config


@pytest.mark.parametrize("key_from", ["environment", "instance file"])
def test_production_app_refuses_to_start_without_a_public_url(tmp_path, monkeypatch, key_from):
    """Also when the key comes from instance/secret_key, as after `flask backup restore` or quickstart."""
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    extra = {"PUBLIC_URL": None}
    if key_from == "instance file":
        (tmp_path / "instance").mkdir()
        (tmp_path / "instance" / "secret_key").write_text("restored-key")
        extra["SECRET_KEY"] = None
    with pytest.raises(RuntimeError, match="TEAHOUSE_PUBLIC_URL is not set"):
        create_app(_production_config(tmp_path, **extra))


@pytest.mark.parametrize("value", ["community.example.com", "ftp://community.example.com", "https://",
                                   "https://x.example/?a=1"])
def test_a_public_url_that_is_not_an_http_origin_is_a_clear_startup_error(tmp_path, value):
    with pytest.raises(RuntimeError, match="must be an http"):
        create_app(_production_config(tmp_path, PUBLIC_URL=value))


def test_public_url_with_a_path_prefixes_every_link(tmp_path):
    app = create_app(_production_config(tmp_path, PUBLIC_URL="https://brand.example/community/"))
    from app.core.links import external_url

    with app.app_context():
        assert external_url("auth.reset_confirm", token="t0k") == "https://brand.example/community/reset/t0k"


def test_cli_invitation_without_a_public_url_in_production_fails_clearly(app, runner, consent_factory, db):
    from app.auth.models import Invitation

    consent_factory()
    saved = app.config["PUBLIC_URL"], app.config["TESTING"]
    app.config.update(PUBLIC_URL=None, TESTING=False)
    try:
        result = runner.invoke(args=["invites", "create", "cli@example.test"])
    finally:
        app.config["PUBLIC_URL"], app.config["TESTING"] = saved
    assert result.exit_code == 1 and "TEAHOUSE_PUBLIC_URL is not set" in result.output
    db.session.rollback()  # what the command flushed was never committed
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0


def test_without_a_mail_server_the_host_sees_the_invitation_link_and_the_console_gets_it(app, moderator_client,
                                                                                        client, consent_factory,
                                                                                        caplog):
    consent_factory()
    page = moderator_client.post("/invitations/", data={"email": "pal@example.test", "role": "member"},
                                 follow_redirects=True).get_data(as_text=True)
    with caplog.at_level(logging.INFO, logger="teahouse.mail"):
        send_all()  # the send_mail job prints it (the request never does)
    shown = re.search(re.escape(PUBLIC) + r"/invite/[\w-]+", page).group(0)
    assert "pal@example.test" in page and "No mail server is configured" in page
    assert any(shown in record.getMessage() for record in caplog.records)
    assert client.get(shown.removeprefix(PUBLIC)).status_code == 200


# --- 3. behind a reverse proxy -----------------------------------------------------------------------------

@pytest.fixture
def proxied_app(database_url, tmp_path):
    """The app as deployed behind one nginx: TRUSTED_PROXIES=1 and a low login limit."""
    from app.extensions import limiter

    proxied = create_app({**TEST_CONFIG, "DATABASE_URL": database_url, "INSTANCE_PATH": str(tmp_path),
                          "TRUSTED_PROXIES": 1, "LOGIN_RATE_LIMIT": "3 per minute"})
    yield proxied
    limiter.reset()
    with proxied.app_context():
        from app.extensions import db

        db.engine.dispose()


def _login(client, email, address, **headers):
    return client.post("/login", data={"email": email, "password": "wrong password"},
                       headers={"X-Forwarded-For": address, **headers})


def test_behind_a_proxy_each_client_has_its_own_login_limit(proxied_app, member):
    client = proxied_app.test_client()
    answers = [_login(client, f"nobody{i}@example.test", "198.51.100.7").status_code for i in range(4)]
    assert answers == [200, 200, 200, 429]
    assert _login(client, "other@example.test", "198.51.100.8").status_code == 200  # another member of the public


def test_a_429_says_when_to_come_back(proxied_app):
    client = proxied_app.test_client()
    for i in range(3):
        _login(client, f"a{i}@example.test", "198.51.100.7")
    refused = _login(client, "a9@example.test", "198.51.100.7")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 61  # a minute's window, rounded up


def test_only_the_address_the_trusted_proxy_saw_counts(proxied_app):
    """A client that sends its own X-Forwarded-For cannot pick the address: nginx appends the real one."""
    client = proxied_app.test_client()
    answers = [_login(client, f"s{i}@example.test", f"10.0.0.{i}, 198.51.100.7").status_code for i in range(4)]
    assert answers[-1] == 429


def test_without_trusted_proxies_forwarded_for_is_ignored(app, client):
    app.config["LOGIN_RATE_LIMIT"], saved = "3 per minute", app.config["LOGIN_RATE_LIMIT"]
    try:
        answers = [_login(client, f"x{i}@example.test", f"203.0.113.{i}").status_code for i in range(4)]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = saved
    assert answers[-1] == 429  # spoofed addresses did not buy a fresh limit


def test_ipv6_clients_share_a_limit_across_their_64(proxied_app):
    """One subscriber gets a whole /64: rotating addresses inside it buys no fresh login attempts."""
    client = proxied_app.test_client()
    answers = [_login(client, f"v{i}@example.test", f"2001:db8:1:2::{i + 1:x}").status_code for i in range(4)]
    assert answers == [200, 200, 200, 429]
    assert _login(client, "w@example.test", "2001:db8:1:3::1").status_code == 200  # the next /64 is someone else


def test_the_audit_log_records_the_real_client_address(proxied_app, moderator, member, db):
    client = login_as(proxied_app.test_client(), moderator)
    response = client.post(f"/mod/users/{member.id}/suspend", data={"reason": "spam", "days": 1},
                           headers={"X-Forwarded-For": "192.0.2.44"})
    assert response.status_code in (200, 302)
    event = db.session.scalar(sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    assert event is not None and event.ip_address == "192.0.2.44"


def test_a_trusted_proxy_count_that_is_not_a_number_is_a_clear_startup_error(tmp_path):
    with pytest.raises(RuntimeError, match="TEAHOUSE_TRUSTED_PROXIES"):
        create_app({**TEST_CONFIG, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "INSTANCE_PATH": str(tmp_path),
                    "TRUSTED_PROXIES": "yes"})


# --- 4. look-alike display names --------------------------------------------------------------------------

@pytest.mark.parametrize("lookalike", [
    "Lеo (host)",        # Cyrillic е
    "Ｌｅｏ (host)",      # full-width letters
    "LEO (HOST)",        # case
    "Leo(host)",         # spacing
    "Leo (h0st)",        # digit for letter
])
def test_a_member_cannot_take_a_name_that_looks_like_a_hosts(user_factory, lookalike):
    user_factory(role="moderator", display_name="Leo (host)")
    with pytest.raises(DomainError, match="looks too much like|kept for the community's hosts"):
        check_display_name(lookalike, role="member")


@pytest.mark.parametrize("name", [
    "Mei (host)", "Ｍｅｉ (host)", "Mei（主持人）", "Admin Mei", "ＡＤＭＩＮ", "美美版主",
    # spaced, traditional, small capitals, enclosed letters, accents, digits, other scripts, joined, spelled out
    "Mei 版 主", "Mei 管理員", "Mei ʜᴏsᴛ", "Mei 🅷🅾🆂🆃", "Mei (hośt)", "Mei (HO5T)", "Mei (н0ѕт)", "Mei (НОЅТ)",
    "Mei_host", "MeiHost", "Mei (h.o.s.t)", "Mei 管 理 员", "Mei (mod)",
])
def test_host_marks_are_kept_for_hosts(name):
    with pytest.raises(DomainError, match="kept for the community's hosts"):
        check_display_name(name, role="member")
    assert check_display_name(name, role="moderator") == name


@pytest.mark.parametrize("existing, lookalike", [
    ("lan", "Ian"), ("Chloe", "Chloе"), ("大伟", "大伟 "), ("Emma", "Ｅｍｍａ"), ("rnia", "mia"),
    ("Lily", "Lily\u2800"), ("Lily", "Lily\U00016FE4"), ("Lily", "Lily\U0001D159"),  # blanks that render as nothing
    ("Tom", "ТОМ"), ("阿杰", "阿傑"), ("晓彤", "曉彤"), ("Admiral", "Adm1ral"), ("Amelie", "Amélie"),
    ("Research team", "Research_team"),
])
def test_member_names_that_look_alike_clash(user_factory, existing, lookalike):
    user_factory(display_name=existing)
    with pytest.raises(DomainError, match="looks too much like"):
        check_display_name(lookalike, role="member")


@pytest.mark.parametrize("name", ["Ghost", "Hostess Amy", "Lana", "大卫", "Emily", "Modern Mia", "Rosa"])
def test_distinct_names_are_accepted(user_factory, name):
    user_factory(display_name="lan")
    user_factory(display_name="大伟")
    assert check_display_name(name, role="member") == name


def test_a_member_keeps_their_own_name_when_saving_settings(member, db):
    assert check_display_name(member.display_name.upper(), user=member) == member.display_name.upper()


def test_settings_refuse_a_lookalike_with_a_message_and_keep_the_text(app, user_factory, member):
    user_factory(role="moderator", display_name="Mei (host)")
    page = login_as(app.test_client(), member).post("/settings", data={
        "display_name": "Ｍｅｉ (host)", "locale": "en", "timezone": "UTC", "submit": "Save settings"}).get_data(
        as_text=True)
    assert "kept for the community" in page or "looks too much like" in page
    assert 'value="Ｍｅｉ (host)"' in page


# --- 5. unsafe `next` values -----------------------------------------------------------------------------

UNSAFE_NEXT = ["/%0D%0AX:1", "/%0d%0aSet-Cookie:%20a=b", "/%09/evil.example", "/%0A/evil.example",
               "/%E2%80%AE/evil", "/%E3%80%80/x", "//evil.example", "/\\evil.example", "https://evil.example/",
               "/%00"]


@pytest.mark.parametrize("target", UNSAFE_NEXT)
def test_an_unsafe_next_is_ignored_not_a_500(client, member, target):
    assert client.get(f"/login?next={target}").status_code == 200
    response = client.post(f"/login?next={target}", data={"email": member.email, "password": "correct horse battery"})
    assert response.status_code == 302
    assert response.headers["Location"] in ("/", "/threads", "http://localhost/")
    assert "evil" not in response.headers["Location"] and "\n" not in response.headers["Location"]


@pytest.mark.parametrize("target", UNSAFE_NEXT)
def test_an_unsafe_next_is_ignored_when_already_signed_in(member_client, target):
    response = member_client.get(f"/login?next={target}")
    assert response.status_code == 302 and "evil" not in response.headers["Location"]


def test_a_safe_next_still_works(client, member):
    response = client.post("/login?next=/threads%3Fpage%3D2",
                           data={"email": member.email, "password": "correct horse battery"})
    assert response.headers["Location"] == "/threads?page=2"


# --- other redirect targets --------------------------------------------------------------------------------

@pytest.fixture
def flagged_item(db, moderator, post_factory):
    """A post a host flagged, waiting in the review queue."""
    from app.moderation import services
    from app.moderation.models import ReviewItem

    services.flag_post(post_factory(body="flagged body"), by=moderator, reason="spam")
    db.session.commit()
    return db.session.scalar(sa.select(ReviewItem))


@pytest.mark.parametrize("query", ["_method=DELETE", "_method=POST", "_scheme=https", "_external=1",
                                   "_anchor=%0d%0aSet-Cookie:x=1", "status=pending&_external=1"])
def test_the_review_queue_redirect_ignores_url_building_options(moderator_client, flagged_item, query):
    response = moderator_client.post(f"/mod/review/{flagged_item.id}?{query}",
                                     data={"action": "dismiss", "version": flagged_item.version})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/mod/") and "#" not in location and "http" not in location


@pytest.mark.parametrize("referrer", ["https://evil.example/mod/", "http://localhost.evil.example/x",
                                      "http://localhost//evil.example", "javascript:alert(1)"])
def test_a_refused_review_form_goes_back_only_to_our_own_pages(moderator_client, flagged_item, referrer):
    response = moderator_client.post(f"/mod/review/{flagged_item.id}", data={"action": "no-such-action"},
                                     headers={"Referer": referrer})
    assert response.status_code == 302 and response.headers["Location"] == "/mod/"
