"""Reads the members' rights pages need: the admin's lists of requests and withdrawals."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.members.models import User
from app.rights.models import DataExportRequest, ErasureRequest, RequestStatus


def admin_lists(limit: int) -> dict:
    """The latest deletion requests (pending first), data downloads and withdrawn members, ``limit`` of each."""
    erasures = db.session.scalars(sa.select(ErasureRequest).options(selectinload(ErasureRequest.user)).order_by(
        (ErasureRequest.status == RequestStatus.PENDING).desc(), ErasureRequest.requested_at.desc()).limit(limit))
    downloads = db.session.scalars(sa.select(DataExportRequest).options(selectinload(DataExportRequest.user))
                                   .order_by(DataExportRequest.requested_at.desc()).limit(limit))
    withdrawn = db.session.scalars(sa.select(User).where(User.consent_withdrawn_at.is_not(None))
                                   .order_by(User.consent_withdrawn_at.desc()).limit(limit))
    return {"erasures": erasures.all(), "downloads": downloads.all(), "withdrawn": withdrawn.all()}
