"""Health check for load balancers and operators: the database and the scheduler lease."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify

from app.core import outage
from app.db import utcnow
from app.extensions import db
from app.jobs.lease import current

bp = Blueprint("core", __name__)  # named "core" as before, so the endpoint stays core.healthz


@bp.route("/healthz")
def healthz():
    """JSON: database reachability and the scheduler lease's last heartbeat."""
    try:
        db.session.execute(sa.text("SELECT 1"))
        database = True
    except sa.exc.SQLAlchemyError as error:
        outage.log_failure(error)
        db.session.rollback()
        database = False
    body = {"status": "ok" if database else "error", "database": database,
            "scheduler": scheduler_status() if database else None}
    if database:
        return jsonify(body)
    return jsonify(body), 503, {"Retry-After": str(outage.retry_after_seconds())}


def scheduler_status() -> dict:
    """Who holds the scheduler lease and when it last beat; nulls until a scheduler has run."""
    held = current()
    if held is None:
        return {"holder": None, "heartbeat": None, "expires": None, "active": False}
    return {"holder": held.holder, "heartbeat": held.heartbeat_at.isoformat(),
            "expires": held.expires_at.isoformat(), "active": held.expires_at > utcnow()}
