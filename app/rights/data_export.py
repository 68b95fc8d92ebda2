"""Download my data: a member asks, the ``prepare_data_exports`` job builds the zip, the member downloads it for
seven days, then the job deletes it."""
from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from app import audit
from app.core.exceptions import DomainError
from app.db import utcnow
from app.extensions import db
from app.members.models import User
from app.rights.archive import write_member_archive
from app.rights.models import DataExportRequest, RequestStatus

DOWNLOAD_DAYS = 7
BATCH = 20  # zips built per run; the rest wait for the next run
JOB = "prepare_data_exports"
log = logging.getLogger(__name__)


def export_dir() -> Path:
    configured = current_app.config.get("MEMBER_EXPORT_DIR")
    path = Path(configured) if configured else Path(current_app.instance_path) / "member_exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def request_data_export(user: User, *, now: datetime | None = None) -> DataExportRequest:
    """Ask for a copy of one's data; one request is prepared at a time."""
    waiting = db.session.scalar(sa.select(DataExportRequest.id).where(
        DataExportRequest.user_id == user.id, DataExportRequest.status == RequestStatus.PENDING).limit(1))
    if waiting:
        raise DomainError(_("A copy of your data is already being prepared."))
    request = DataExportRequest(user_id=user.id, status=RequestStatus.PENDING, requested_at=now or utcnow())
    db.session.add(request)
    db.session.flush()
    audit.record(user, "data_export.request", request)
    return request


def member_requests(user: User) -> list[DataExportRequest]:
    """The member's download requests, newest first."""
    return list(db.session.scalars(sa.select(DataExportRequest).where(DataExportRequest.user_id == user.id)
                                   .order_by(DataExportRequest.requested_at.desc(), DataExportRequest.id.desc())
                                   .limit(10)))


def is_downloadable(request: DataExportRequest, *, now: datetime) -> bool:
    return (request.status == RequestStatus.READY and request.file_name is not None
            and request.expires_at is not None and request.expires_at > now)


def file_path(request: DataExportRequest) -> Path:
    return export_dir() / request.file_name


def prepare_data_exports(now: datetime) -> int:
    """The job: build waiting zips, delete expired ones; returns how many requests it handled."""
    waiting = db.session.scalars(sa.select(DataExportRequest).where(DataExportRequest.status == RequestStatus.PENDING)
                                 .order_by(DataExportRequest.requested_at).limit(BATCH)).all()
    built = 0
    for request in waiting:
        try:
            build_data_export(request, now=now)
        except OSError:  # a full or unwritable disk: logged, and the request waits for the next run
            log.exception("could not write the data download of request %s", request.id)
        else:
            built += 1
    return built + expire_data_exports(now)


def build_data_export(request: DataExportRequest, *, now: datetime) -> None:
    """Write the member's zip under a random name and offer it for ``DOWNLOAD_DAYS`` days."""
    user = db.session.get(User, request.user_id)
    name = f"{secrets.token_urlsafe(18)}.zip"
    path = export_dir() / name
    try:
        size = write_member_archive(user, path)
    except OSError:
        path.unlink(missing_ok=True)  # no half-written zip stays behind
        raise
    request.status, request.file_name, request.size = RequestStatus.READY, name, size
    request.ready_at, request.expires_at = now, now + timedelta(days=DOWNLOAD_DAYS)
    audit.record(None, "data_export.ready", request, job=JOB, after={"user_id": user.id, "size": size})


def expire_data_exports(now: datetime) -> int:
    """Delete the zips whose download period has ended; returns how many."""
    expired = db.session.scalars(sa.select(DataExportRequest).where(
        DataExportRequest.status == RequestStatus.READY, DataExportRequest.expires_at <= now)).all()
    for request in expired:
        discard_file(request)
        request.status = RequestStatus.EXPIRED
        audit.record(None, "data_export.expire", request, job=JOB, after={"user_id": request.user_id})
    return len(expired)


def discard_file(request: DataExportRequest) -> None:
    """Delete the request's zip, if any (expiry, erasure)."""
    if request.file_name:
        file_path(request).unlink(missing_ok=True)
        request.file_name = None
