"""Security headers, cookie flags, and no third-party assets or inline script anywhere."""
from __future__ import annotations

import re
from pathlib import Path

from app import create_app

ROOT = Path(__file__).resolve().parents[2]


def test_csp_forbids_inline_script_framing_and_plugins(client):
    csp = client.get("/login").headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'",
                      "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_nosniff_and_referrer_policy_on_every_response(client, member_client):
    for response in (client.get("/login"), client.get("/healthz"), member_client.get("/threads" if False else "/")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_signed_in_pages_are_not_cached(member_client):
    assert member_client.get("/settings").headers["Cache-Control"] == "no-store"


def test_session_and_remember_cookies_are_httponly_and_lax(client, user_factory):
    user = user_factory()
    response = client.post("/login", data={"email": user.email, "password": "correct horse battery",
                                           "remember": "y"})
    cookies = response.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("session="))
    remember = next(c for c in cookies if c.startswith("remember_token="))
    for cookie in (session, remember):
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_secure_cookies_and_hsts_when_enabled(app, database_url, user_factory):
    secure = create_app({**{k: app.config[k] for k in ("SECRET_KEY", "TESTING", "WTF_CSRF_ENABLED",
                                                        "ARGON2_TIME_COST", "ARGON2_MEMORY_COST",
                                                        "ARGON2_PARALLELISM", "LOGIN_RATE_LIMIT")},
                         "DATABASE_URL": database_url, "SECURE_COOKIES": 1})
    user = user_factory()
    client = secure.test_client()
    response = client.post("/login", data={"email": user.email, "password": "correct horse battery",
                                           "remember": "y"}, base_url="https://localhost")
    for cookie in response.headers.getlist("Set-Cookie"):
        assert "Secure" in cookie
    assert "max-age" in response.headers["Strict-Transport-Security"]
    with secure.app_context():
        from app.extensions import db

        db.engine.dispose()


def _files(*patterns):
    for folder in ("templates", "static"):
        for pattern in patterns:
            yield from (ROOT / folder).rglob(pattern)


def test_no_template_or_asset_loads_from_a_third_party_host():
    offenders = []
    for path in _files("*.html", "*.css", "*.js", "*.txt"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"""(?:src|href)\s*=\s*["']?(https?:)?//|url\(\s*["']?(?:https?:)?//|@import""",
                                 text):
            offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert offenders == []


def test_templates_have_no_inline_script_or_style_attributes():
    offenders = []
    for path in _files("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\sstyle\s*=", text) \
                or re.search(r"\son[a-z]+\s*=", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
