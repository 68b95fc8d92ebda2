"""Reads the admin pages need: community figures, the audit log, job runs, canned replies."""
from __future__ import annotations

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.extensions import db
from app.forum.models import Category
from app.jobs.models import JobRun
from app.members.models import User
from app.moderation.models import CannedReply


def community_figures() -> dict[str, int]:
    """How many members, suspended members and categories there are."""
    return {
        "members": db.session.scalar(sa.select(sa.func.count()).select_from(User)),
        "suspended": db.session.scalar(sa.select(sa.func.count()).select_from(User)
                                       .where(User.suspended_at.is_not(None))),
        "categories": db.session.scalar(sa.select(sa.func.count()).select_from(Category)),
    }


def recent_audit_events(limit: int = 20) -> list[AuditEvent]:
    return db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)).all()


def latest_job_runs(job_id: str, limit: int) -> list[JobRun]:
    return db.session.scalars(sa.select(JobRun).where(JobRun.job_id == job_id)
                              .order_by(JobRun.started_at.desc()).limit(limit)).all()


def all_canned_replies() -> list[CannedReply]:
    """Every canned reply by title, archived ones last."""
    return db.session.scalars(sa.select(CannedReply).order_by(CannedReply.archived_at.is_not(None),
                                                              CannedReply.title)).all()
