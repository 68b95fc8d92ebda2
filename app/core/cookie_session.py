"""Flask's signed-cookie session, opened at a fraction of its cost per request.

Flask builds a new signing serializer on every request and verifies, decompresses and parses the cookie each
time, although a member sends the same cookie on request after request. Here the serializer is built once per
set of keys, and a cookie whose signature checked out is remembered with its signing time: the next request with
the very same bytes gets a copy of the same values, after the same age check the signature's timestamp gets.
Only sessions whose values are all plain (strings, numbers, booleans, None) are remembered, so a copy can never
share a mutable value with another request. A change of secret key forgets everything remembered.
"""
from __future__ import annotations

import time

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer

PLAIN = (str, int, float, bool, type(None))


class RememberingCookieSessionInterface(SecureCookieSessionInterface):
    """``SecureCookieSessionInterface`` with its serializer built once and verified cookies remembered."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._keys: tuple | None = None
        self._serializer: URLSafeTimedSerializer | None = None
        self._opened: dict[str, tuple[float, dict]] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        keys = (tuple(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key)
        if keys != self._keys:
            self._serializer = super().get_signing_serializer(app)
            self._keys, self._opened = keys, {}
        return self._serializer

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        opened = self._opened.get(cookie)
        if opened is not None:
            signed_at, values = opened
            if 0 <= time.time() - signed_at <= max_age:  # itsdangerous refuses an older or a future timestamp
                return self.session_class(values)
            self._opened.pop(cookie, None)
        try:
            values, signed_at = serializer.loads(cookie, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if isinstance(values, dict) and all(isinstance(value, PLAIN) for value in values.values()):
            if len(self._opened) >= self.size:
                self._opened = {}  # simpler than least-recently-used, and a refill costs one verification each
            self._opened[cookie] = (signed_at.timestamp(), dict(values))
        return self.session_class(values)
