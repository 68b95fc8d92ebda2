"""Security headers on every response: CSP without inline script, nosniff, framing and caching."""
from __future__ import annotations

from flask import Flask, Response, request
from flask_login import current_user

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    # Decided once per app, not per response.
    always = [("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"), ("X-Frame-Options", "DENY")]
    if app.config.get("SECURE_COOKIES"):
        always.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    always = tuple(always)

    @app.after_request
    def _set_security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        for name, value in always:
            headers.set(name, value)
        if request.endpoint != "static" and current_user and current_user.is_authenticated:
            headers.set("Cache-Control", "no-store")
        return response
