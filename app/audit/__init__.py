"""The audit log, below every domain: each service that acts for a moderator, researcher, admin or job records
here what it did (``record``); ``app.audit.models`` holds the rows."""
from __future__ import annotations

from typing import Any

from flask import has_request_context, request

from app.audit.models import AuditEvent
from app.extensions import db


def record(
    actor: Any,
    verb: str,
    target: Any = None,
    *,
    reason: str | None = None,
    before: dict | None = None,
    after: dict | None = None,
    job: str | None = None,
) -> AuditEvent:
    """Add an audit event for ``actor`` (a User, or None with ``job``) doing ``verb`` to ``target``."""
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        actor_name=f"job:{job}" if job else getattr(actor, "display_name", "system"),
        verb=verb,
        target_type=getattr(target, "__tablename__", None),
        target_id=getattr(target, "id", None),
        reason=reason,
        before=before,
        after=after,
        ip_address=(request.remote_addr or "")[:45] if has_request_context() else None,  # as ProxyFix found it
    )
    db.session.add(event)
    return event
