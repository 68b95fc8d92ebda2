"""Every scheduled job, declared once: a stable id, the domain service it wraps, its interval."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Flask

from app.landing.closing import close_activities
from app.landing.services import build_hot_panels
from app.moderation.learning import train_model
from app.moderation.services import purge_spam
from app.moderation.spam import sweep_spam
from app.research.exports import run_pending_exports
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


def _prepare_data_exports(now: datetime) -> int:
    return prepare_data_exports(now)


def _erase_accounts(now: datetime) -> int:
    return erase_due_accounts(now)


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
    JobSpec("erase_accounts", _erase_accounts, 3600, "Erase the accounts whose deletion grace period has ended."),
)


def get(job_id: str) -> JobSpec | None:
    return next((spec for spec in JOBS if spec.id == job_id), None)
