"""The audit log's filter, read from the query string the same way on the hosts' and the admins' pages."""
from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from app.core.params import day_arg


def _text_arg(name: str) -> str:
    # PostgreSQL refuses NUL in text, so a NUL typed into a filter would otherwise be a 500.
    return (request.args.get(name) or "").replace("\x00", "").strip()


def chosen_filter() -> tuple[dict, list[str]]:
    """``audit.queries.audit_events`` keyword arguments from the query string, and a message for each date
    that is not one (it is ignored)."""
    chosen, problems = {"actor": _text_arg("actor"), "verb": _text_arg("verb"), "target": _text_arg("target")}, []
    for name, end in (("from", False), ("to", True)):
        if not request.args.get(name):
            continue
        if (day := day_arg(name, end=end)) is None:
            problems.append(_("Dates look like 2026-01-31; “%(value)s” was ignored.", value=request.args[name]))
        else:
            chosen["end" if end else "start"] = day
    return chosen, problems
