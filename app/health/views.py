"""Health check for load balancers and operators: the database and the scheduler lease."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify

from app.core import outage
from app.db import utcnow
from app.extensions import db, read_connection
from app.jobs.lease import SCHEDULER_LEASE
from app.jobs.models import JobLease

_LEASE = JobLease.__table__
# One prebuilt read answers both questions: that the database answers, and who holds the scheduler lease.
_SELECT_LEASE = sa.select(_LEASE.c.holder, _LEASE.c.heartbeat_at, _LEASE.c.expires_at).where(
    _LEASE.c.name == SCHEDULER_LEASE)

bp = Blueprint("core", __name__)  # named "core" as before, so the endpoint stays core.healthz


@bp.route("/healthz")
def healthz():
    """JSON: database reachability and the scheduler lease's last heartbeat."""
    try:
        held = read_connection().execute(_SELECT_LEASE).first()
    except sa.exc.SQLAlchemyError as error:
        outage.log_failure(error)
        db.session.rollback()
        body = {"status": "error", "database": False, "scheduler": None}
        return jsonify(body), 503, {"Retry-After": str(outage.retry_after_seconds())}
    return jsonify({"status": "ok", "database": True, "scheduler": scheduler_status(held)})


def scheduler_status(held) -> dict:
    """Who holds the scheduler lease and when it last beat; nulls until a scheduler has run."""
    if held is None:
        return {"holder": None, "heartbeat": None, "expires": None, "active": False}
    return {"holder": held.holder, "heartbeat": held.heartbeat_at.isoformat(),
            "expires": held.expires_at.isoformat(), "active": held.expires_at > utcnow()}
