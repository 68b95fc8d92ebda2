"""The hosts' audit log: moderation actions, filterable (admins see every action), and purged posts' tombstones."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user

from app.audit import queries as audit_queries
from app.audit.filters import chosen_filter
from app.core.areas import moderation_area as bp
from app.core.params import paginate
from app.moderation import queries
from app.security import policy
from app.security.guards import ensure

PER_PAGE = 50


def _scope() -> tuple[str, ...] | None:
    """Hosts see moderation's verbs; admins every verb (None: no restriction)."""
    return None if policy.can_manage_community(current_user) else audit_queries.MODERATION_VERBS


@bp.route("/audit")
def audit_log():
    """Moderation actions, newest first, filterable by who, what, target and dates; purged posts' tombstones."""
    ensure(policy.can_see_audit_log(current_user))
    chosen, problems = chosen_filter()
    page = paginate(audit_queries.audit_events(**chosen, only=_scope()), exact=True, per_page=PER_PAGE,
                    max_per_page=PER_PAGE, error_out=False)
    return render_template("moderation/audit_log.html", page=page, problems=problems,
                           targets=audit_queries.audit_target_types(_scope()), tombstones=queries.tombstones())
