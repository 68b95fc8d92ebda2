"""The send_mail job: claim due outbox rows, send them over SMTP, record each outcome at once.

Each row is claimed (``claimed_at``/``claimed_by``, committed) before any sending, and marked sent in its own
commit right after the server took it. A sender killed mid-batch leaves its unsent rows claimed; once the claim
lease has passed, the next sender takes them over. Only a row whose SMTP "250" arrived but whose commit did not
can go out twice, with the same Message-ID: at least once, never twice per dedupe key otherwise.
"""
from __future__ import annotations

import logging
import os
import secrets
import smtplib
import socket
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from app.db import utcnow
from app.extensions import db
from app.mailing import render
from app.mailing.models import OutboxMessage, OutboxStatus

log = logging.getLogger("teahouse.mail")

# Someone is waiting for these (a reset link, an invitation): they go first in every batch, and without a mail
# server they still reach the console and instance/outbox/ (the quick start relies on it). They carry one-time
# links, which are blanked in the row once the message is out.
ACCOUNT_KINDS = ("password_reset", "invitation")

# Higher domains plug in here: ``hook(row)`` runs in the commit that marks a row of that kind sent.
_delivered_hooks: dict[str, Callable[[OutboxMessage], None]] = {}


def on_delivered(kind: str, hook: Callable[[OutboxMessage], None]) -> None:
    """Call ``hook(row)`` whenever a row of ``kind`` is sent, in the same transaction (the caller's own counters
    move only for a message that really went out)."""
    _delivered_hooks[kind] = hook

def setting(name: str) -> int:
    """One of the sender's MAIL_* numbers (app/config.py)."""
    return int(current_app.config[name])


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:80]


def _due(now: datetime) -> sa.ColumnElement[bool]:
    stale = now - timedelta(seconds=setting("MAIL_CLAIM_SECONDS"))
    return sa.and_(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_try_at <= now,
                   sa.or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < stale))


def claim(now: datetime, *, holder: str, limit: int, kinds: tuple[str, ...] | None = None) -> list[int]:
    """Claim up to ``limit`` due rows for ``holder`` (account emails first, then oldest first) and commit;
    returns their ids (a conditional UPDATE, so two senders never claim the same row)."""
    urgent = sa.case((OutboxMessage.kind.in_(ACCOUNT_KINDS), 0), else_=1)
    select = sa.select(OutboxMessage.id).where(_due(now))
    if kinds is not None:
        select = select.where(OutboxMessage.kind.in_(kinds))
    ids = list(db.session.scalars(select.order_by(urgent, OutboxMessage.id).limit(limit)))
    if not ids:
        return []
    db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.id.in_(ids), _due(now))
                       .values(claimed_at=now, claimed_by=holder).execution_options(synchronize_session=False))
    db.session.commit()
    return list(db.session.scalars(sa.select(OutboxMessage.id).where(
        OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == holder, OutboxMessage.claimed_at == now,
        OutboxMessage.status == OutboxStatus.QUEUED).order_by(urgent, OutboxMessage.id)))


def _room(now: datetime) -> int:
    """How many more messages the global limit allows in this minute."""
    sent = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.sent_at > now - timedelta(minutes=1))) or 0
    return max(setting("MAIL_GLOBAL_PER_MINUTE") - sent, 0)


def _member_wait(row: OutboxMessage, now: datetime) -> datetime | None:
    """When the member's hourly limit lets this row go, if it does not now."""
    if row.user_id is None:
        return None
    recent = list(db.session.scalars(
        sa.select(OutboxMessage.sent_at).where(OutboxMessage.user_id == row.user_id,
                                               OutboxMessage.sent_at > now - timedelta(hours=1))
        .order_by(OutboxMessage.sent_at)))
    limit = setting("MAIL_MEMBER_HOURLY_LIMIT")
    return recent[len(recent) - limit] + timedelta(hours=1) if len(recent) >= limit else None


def _connect():
    config = current_app.config
    smtp_class = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
    smtp = smtp_class(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=config["MAIL_TIMEOUT"])
    if config.get("MAIL_USE_TLS"):
        smtp.starttls()
    if config.get("MAIL_USERNAME"):
        smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    return smtp


def record_failure(row: OutboxMessage, error: str, now: datetime) -> None:
    """One more failed attempt: retry after an exponentially growing wait, or give up after the last attempt."""
    row.attempts += 1
    row.last_error = error[:1000]
    row.claimed_at = row.claimed_by = None
    if row.attempts >= setting("MAIL_MAX_ATTEMPTS"):
        row.status, row.failed_at = OutboxStatus.FAILED, now
    else:
        row.next_try_at = now + timedelta(seconds=setting("MAIL_RETRY_SECONDS") * 2 ** (row.attempts - 1))


def _mark_sent(row: OutboxMessage) -> None:
    row.status, row.sent_at, row.attempts = OutboxStatus.SENT, utcnow(), row.attempts + 1
    row.claimed_at = row.claimed_by = row.last_error = None
    if row.kind in _delivered_hooks:
        _delivered_hooks[row.kind](row)
    if row.kind in ACCOUNT_KINDS:  # a one-time link is nobody's business once it is out
        row.payload = {**row.payload, "url": None}
    db.session.commit()  # at once: a crash after this line never sends the row again


def _deliver(smtp, row: OutboxMessage, now: datetime) -> bool:
    try:
        smtp.send_message(render.build(row))
    except (OSError, smtplib.SMTPException) as error:
        record_failure(row, f"{type(error).__name__}: {error}", now)
        db.session.commit()
        return False
    _mark_sent(row)
    return True


def _write_to_folder(row: OutboxMessage) -> None:
    """No mail server: print the message (and so its link) to the log and keep it in instance/outbox/."""
    message = render.build(row)
    folder = Path(current_app.instance_path) / "outbox"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{utcnow():%Y%m%d-%H%M%S}-{row.id}-{secrets.token_hex(4)}.eml"
    path.write_bytes(bytes(message))
    log.info("No SMTP server configured; email to %s (%s) written to %s\n%s", row.recipient, message["Subject"],
             path, message.get_body(("plain",)).get_content())


def _send_to_folder(now: datetime, holder: str) -> int:
    """Account emails without a mail server go to the console and instance/outbox/; other rows wait queued."""
    ids = claim(now, holder=holder, limit=setting("MAIL_BATCH_SIZE"), kinds=ACCOUNT_KINDS)
    for row_id in ids:
        row = db.session.get(OutboxMessage, row_id)
        try:
            _write_to_folder(row)
        except OSError as error:
            record_failure(row, f"{type(error).__name__}: {error}", now)
            db.session.commit()
            continue
        _mark_sent(row)
    return len(ids)


def _defer(row: OutboxMessage, until: datetime) -> None:
    row.next_try_at, row.claimed_at, row.claimed_by = until, None, None
    db.session.commit()


def send_due(now: datetime, *, holder: str | None = None) -> int:
    """Send one batch of due outbox rows; returns how many the server took. Commits per row."""
    if not current_app.config.get("MAIL_SERVER"):
        # Notices and digests wait for a mail server (the admin page shows them queued); account emails do not.
        return _send_to_folder(now, holder or _holder())
    ids = claim(now, holder=holder or _holder(), limit=min(setting("MAIL_BATCH_SIZE"), _room(now)))
    if not ids:
        return 0
    sent = 0
    try:
        smtp = _connect()
    except (OSError, smtplib.SMTPException) as error:
        for row in db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.id.in_(ids))):
            record_failure(row, f"{type(error).__name__}: {error}", now)
        db.session.commit()
        log.warning("mail server unavailable (%s); %d messages will be retried", error, len(ids))
        return 0
    try:
        for row_id in ids:
            row = db.session.get(OutboxMessage, row_id)
            wait = _member_wait(row, now)
            if wait is not None:
                _defer(row, wait)
            else:
                sent += _deliver(smtp, row, now)
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return sent


def retry(row: OutboxMessage, *, now: datetime | None = None) -> bool:
    """Queue a failed (or waiting) message again at once; False when it was already sent. The caller audits."""
    if row.status == OutboxStatus.SENT:
        return False
    row.status, row.next_try_at, row.failed_at = OutboxStatus.QUEUED, now or utcnow(), None
    row.attempts, row.claimed_at, row.claimed_by = 0, None, None
    db.session.flush()
    return True
