"""Outgoing email over SMTP; with no server configured, messages go to the log and instance/outbox/."""
from __future__ import annotations

import logging
import secrets
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import gettext as _

from app.core.exceptions import DomainError

log = logging.getLogger(__name__)


def build_message(to: str, subject: str, template: str, **context) -> EmailMessage:
    """Render ``templates/email/<template>.txt`` and ``.html`` into one multipart message."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="teahouse.invalid")
    message.set_content(render_template(f"email/{template}.txt", **context))
    message.add_alternative(render_template(f"email/{template}.html", **context), subtype="html")
    return message


def send_email(to: str, subject: str, template: str, **context) -> None:
    """Send a templated email, or write it to the outbox when no SMTP server is configured."""
    message = build_message(to, subject, template, **context)
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        _write_to_outbox(message)
        return
    smtp_class = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
    try:
        with smtp_class(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=config["MAIL_TIMEOUT"]) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        log.error("Sending email to %s failed: %s", to, error)
        raise MailError(_("The email could not be sent (%(error)s). Please try again later.", error=error)) from error


class MailError(DomainError):
    """The mail server could not take the message."""


def _write_to_outbox(message: EmailMessage) -> None:
    outbox = Path(current_app.instance_path) / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    name = f"{message['Date'].replace(' ', '_').replace(',', '').replace(':', '')}-{secrets.token_hex(4)}.eml"
    path = outbox / name
    path.write_bytes(bytes(message))
    log.info("No SMTP server configured; email to %s (%s) written to %s\n%s",
             message["To"], message["Subject"], path, message.get_body(("plain",)).get_content())
