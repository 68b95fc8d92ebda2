"""The client as the app sees it: trusted reverse proxies (ProxyFix) and the host names the app answers to.

Without a configured number of proxies the app never reads ``X-Forwarded-*``: anyone could send those headers
and pick the address that rate limits and audit records count. With N proxies in front, ProxyFix takes the
N-th address from the right of ``X-Forwarded-For`` (the one the outermost trusted proxy saw) and the scheme
from ``X-Forwarded-Proto``; the host stays the request's own, which ``TRUSTED_HOSTS`` then checks.
"""
from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

from app.core.links import public_host

LOOPBACK_HOSTS = ("localhost", "127.0.0.1")


def trusted_proxy_count(app: Flask) -> int:
    """TEAHOUSE_TRUSTED_PROXIES as a whole number of hops; a clear error for anything else."""
    value = app.config.get("TRUSTED_PROXIES") or 0
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise RuntimeError(f"TEAHOUSE_TRUSTED_PROXIES must be the number of reverse proxies in front of the app "
                           f"(0 to 10), not {value!r}")
    return value


def trusted_hosts(app: Flask) -> list[str] | None:
    """TEAHOUSE_TRUSTED_HOSTS when set; else the public URL's host plus loopback (for health checks); else any."""
    configured = app.config.get("TRUSTED_HOSTS")
    if configured:
        if isinstance(configured, str):
            configured = [host.strip() for host in configured.split(",") if host.strip()]
        return list(configured)
    host = public_host(app)
    return [host, *LOOPBACK_HOSTS] if host else None


def init_app(app: Flask) -> None:
    """Wrap the app in ProxyFix for the configured hops; refuse unknown hosts before any other hook runs."""
    hops = trusted_proxy_count(app)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app)
    app.before_request(_refuse_untrusted_host)  # registered first: later hooks build URLs, which needs a host


def _refuse_untrusted_host() -> None:
    if isinstance(request.routing_exception, SecurityError):
        raise request.routing_exception
