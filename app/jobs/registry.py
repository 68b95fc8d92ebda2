"""Every scheduled job, declared once: a stable id, the domain service it wraps, its interval."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Flask

from app.landing.closing import close_activities
from app.landing.services import build_hot_panels
from app.mailing.alerts import alert_overdue_inquiries
from app.mailing.digests import queue_digests
from app.mailing.invitations import send_reminders
from app.mailing.sender import send_due
from app.moderation.learning import train_model
from app.moderation.services import purge_spam
from app.moderation.spam import sweep_spam
from app.pulse.rollup import roll_up
from app.research.exports import run_pending_exports
from app.research.term_dictionary import refresh_discoveries
from app.rights.data_export import prepare_data_exports
from app.rights.erasure import erase_due_accounts


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: Callable[[datetime], int]  # does the work for "now", flushes, returns how many items it handled
    default_seconds: int
    description: str

    def interval_seconds(self, app: Flask) -> int:
        """The interval from TEAHOUSE_JOB_SCHEDULE (a JSON object of id -> seconds), or the default."""
        schedule = app.config.get("JOB_SCHEDULE") or {}
        return int(schedule.get(self.id, self.default_seconds))


def _clear_spam(now: datetime) -> int:
    return sweep_spam(now)


def _train_spam(now: datetime) -> int:
    return train_model(now)


def _purge_spam(now: datetime) -> int:
    return purge_spam(now, by=None)


def _refresh_hot(now: datetime) -> int:
    return build_hot_panels(now)


def _close_activities(now: datetime) -> int:
    return close_activities(now)


def _run_exports(now: datetime) -> int:
    return run_pending_exports(now)


def _refresh_terms(now: datetime) -> int:
    return refresh_discoveries(now)


def _prepare_data_exports(now: datetime) -> int:
    return prepare_data_exports(now)


def _erase_accounts(now: datetime) -> int:
    return erase_due_accounts(now)


def _send_mail(now: datetime) -> int:
    return send_due(now)


def _send_digests(now: datetime) -> int:
    return queue_digests(now)


def _remind_activities(now: datetime) -> int:
    return send_reminders(now)


def _alert_inquiries(now: datetime) -> int:
    return alert_overdue_inquiries(now)


def _roll_up_health(now: datetime) -> int:
    return roll_up(now)


JOBS: tuple[JobSpec, ...] = (
    JobSpec("refresh_hot", _refresh_hot, 120, "Rebuild the landing page's panels and swap them in."),
    JobSpec("clear_spam", _clear_spam, 300, "Re-score new posts with later context and quarantine spam."),
    JobSpec("train_spam", _train_spam, 21_600,
            "Retrain the spam classifier on the seed corpus and the hosts' decisions; store it as a new version."),
    JobSpec("purge_spam", _purge_spam, 86_400, "Delete confirmed spam older than the retention period."),
    JobSpec("close_activities", _close_activities, 60, "Close due polls; rank, award and announce ended competitions."),
    JobSpec("run_exports", _run_exports, 5, "Run queued transcript exports; delete expired export files."),
    JobSpec("prepare_data_exports", _prepare_data_exports, 60,
            "Build the zips members asked for in Settings; delete them after seven days."),
    JobSpec("refresh_terms", _refresh_terms, 21_600,
            "Discover the community's new words and phrases for the term dictionary (researchers' choices stay)."),
    JobSpec("erase_accounts", _erase_accounts, 3600, "Erase the accounts whose deletion grace period has ended."),
    JobSpec("send_mail", _send_mail, 30, "Send a batch of queued emails over SMTP, password resets and invitations "
            "first; retry failures with backoff (no mail server: print and file those two in instance/outbox/)."),
    JobSpec("send_digests", _send_digests, 900, "Queue daily and weekly digests for members whose local hour it is."),
    JobSpec("remind_activities", _remind_activities, 900,
            "Remind invited members who have not taken part when an activity closes within 24 hours."),
    JobSpec("alert_inquiries", _alert_inquiries, 600,
            "Email the hosts on duty about members' questions waiting past the community's promise."),
    JobSpec("roll_up_health", _roll_up_health, 3600, "Roll activity up into the daily figures of the health dashboard."),
)


def get(job_id: str) -> JobSpec | None:
    return next((spec for spec in JOBS if spec.id == job_id), None)
