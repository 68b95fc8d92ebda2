"""Shared helpers for the mail tests: run the sender, read what the loopback SMTP server received."""
from __future__ import annotations

import re
from datetime import datetime

import sqlalchemy as sa

from app.extensions import db
from app.mailing.models import OutboxMessage
from app.mailing.sender import send_due


def send_all(now: datetime | None = None) -> int:
    """Run send_mail until nothing more is due; returns how many the server took."""
    from app.db import utcnow

    now = now or utcnow()
    total = 0
    while (sent := send_due(now)):
        total += sent
    return total


def outbox_rows(**where) -> list[OutboxMessage]:
    db.session.expire_all()
    select = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    for key, value in where.items():
        select = select.where(getattr(OutboxMessage, key) == value)
    return list(db.session.scalars(select))


def text_body(message) -> str:
    return message.get_body(("plain",)).get_content() if hasattr(message, "get_body") else \
        message.get_payload(0).get_payload(decode=True).decode()


def parts(message) -> tuple[str, str]:
    """The text and HTML parts of a received message."""
    text = html = ""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            text = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        elif part.get_content_type() == "text/html":
            html = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return text, html


def links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"<>]+", text)
