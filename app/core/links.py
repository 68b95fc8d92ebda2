"""Absolute links for emails and notices, built from the configured public URL, never from the request's Host.

A request's Host header is chosen by whoever sends the request: a password reset link built from it would carry a
valid token to the sender's own site. Every absolute link therefore starts from ``PUBLIC_URL``.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app

DEVELOPMENT_URL = "http://127.0.0.1:5000"


class PublicUrlMissing(RuntimeError):
    """Absolute links were asked for in production while TEAHOUSE_PUBLIC_URL is not set."""


MISSING_MESSAGE = (
    "TEAHOUSE_PUBLIC_URL is not set. Teahouse builds the links in its emails (password resets, invitations) only "
    "from the configured public address, never from a request's Host header. Set it to the address members use, "
    "e.g. TEAHOUSE_PUBLIC_URL=https://community.example.com"
)


def check_public_url(value: str | None) -> str | None:
    """The public URL without a trailing slash; a clear error for anything but an http(s) origin with a host."""
    if not value:
        return None
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise RuntimeError(f"TEAHOUSE_PUBLIC_URL must be an http(s) address such as https://community.example.com, "
                           f"not {value!r}")
    return value.strip().rstrip("/")


def is_development(app: Flask) -> bool:
    """Debug or tests: the only times links may point at loopback (``quickstart`` sets the public URL itself)."""
    return bool(app.debug or app.testing)


def public_base(app: Flask | None = None) -> str:
    """The base of every absolute link; raises PublicUrlMissing in production when none is configured."""
    app = app or current_app
    base = app.config.get("PUBLIC_URL")
    if base:
        return base
    if is_development(app):
        return DEVELOPMENT_URL
    raise PublicUrlMissing(MISSING_MESSAGE)


def external_url(endpoint: str, **values) -> str:
    """The absolute link to ``endpoint`` under the public URL, the same inside a request, a job or a command."""
    parts = urlsplit(public_base())
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)


def public_host(app: Flask) -> str | None:
    """The host name of the public URL, for TRUSTED_HOSTS (which ignores ports)."""
    base = app.config.get("PUBLIC_URL")
    return urlsplit(base).hostname if base else None
