"""Turning an outbox row into a multipart email in the member's language, with one-click unsubscribe.

No tracking: no pixels, no redirecting links; every link is an absolute link under the configured public URL.
"""
from __future__ import annotations

import hashlib
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import formatdate

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from app.core.links import external_url, public_base
from app.mailing.models import OutboxMessage

_SALT = "mail-unsubscribe"
# Long header lines stay whole (RFC 5322 allows 998 characters): a folded or encoded List-Unsubscribe URL is one
# that mail clients cannot use.
_POLICY = policy.SMTP.clone(max_line_length=998)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def unsubscribe_token(user_id: int, category: str) -> str:
    """A signed token naming the member and what they unsubscribe from; it needs no login and never expires
    (an old email's link must still work)."""
    return _serializer().dumps({"u": user_id, "c": category})


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("c"), str):
        return None
    return data["u"], data["c"]


def absolute(path: str | None) -> str | None:
    """A site path as an absolute link under the public URL (never the Host of some request)."""
    if not path:
        return None
    return path if path.startswith(("https://", "http://")) else public_base() + "/" + path.lstrip("/")


def message_id(row: OutboxMessage) -> str:
    """Derived from the dedupe key, so a message sent again after a crash carries the same Message-ID and the
    receiving side can drop the copy."""
    digest = hashlib.sha256(row.dedupe_key.encode()).hexdigest()[:32]
    domain = (public_base().split("://", 1)[1].split("/", 1)[0].split(":", 1)[0]) or "teahouse.invalid"
    return f"<{digest}@{domain}>"


# Account emails: sent because someone asked (a reset) or was invited; no unsubscribe, no community footer.
ACCOUNT_TEMPLATES = ("invitation", "password_reset")


def subject_of(row: OutboxMessage) -> str:
    payload, name = row.payload, current_app.config["COMMUNITY_NAME"]
    if payload["template"] == "invitation":
        return _("You are invited to the Teahouse community")
    if payload["template"] == "password_reset":
        return _("Reset your Teahouse password")
    subjects = {
        "notice": lambda: payload.get("text", "")[:120],
        "digest": lambda: _("Your daily digest") if payload.get("frequency") == "daily" else _("Your weekly digest"),
        "inquiry_alert": lambda: _("A member's question has waited %(hours)s hours", hours=payload.get("hours")),
        "invite_back": lambda: _("We miss you at %(name)s", name=name),
    }
    return f"[{name}] {subjects[payload['template']]()}"


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def build(row: OutboxMessage) -> EmailMessage:
    """The email for an outbox row: text and HTML rendered in the row's language, List-Unsubscribe headers."""
    config = current_app.config
    category = row.payload.get("category") or "digest"
    account = row.payload["template"] in ACCOUNT_TEMPLATES
    unsubscribe = external_url("mailing.unsubscribe", token=unsubscribe_token(row.user_id, category)) \
        if row.user_id and not account else None
    with force_locale(row.language):
        context = {"p": row.payload, "community": config["COMMUNITY_NAME"], "unsubscribe_url": unsubscribe,
                   "link": absolute(row.payload.get("url")), "absolute": absolute,
                   "settings_url": None if account else external_url("mailing.preferences_page"),
                   "expires_at": _when(row.payload.get("expires_at")),
                   "language": row.language.replace("_", "-")}
        template = row.payload["template"]
        message = EmailMessage(policy=_POLICY)
        message["Subject"] = subject_of(row)
        message.set_content(render_template(f"email/mail_{template}.txt", **context))
        message.add_alternative(render_template(f"email/mail_{template}.html", **context), subtype="html")
    message["From"] = config["MAIL_SENDER"]
    message["To"] = row.recipient
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id(row)
    message["Content-Language"] = row.language.replace("_", "-")
    if unsubscribe:
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    return message
