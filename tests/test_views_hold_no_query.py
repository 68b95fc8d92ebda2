"""Views load, authorise, call a service and render: the reads they need live in their package's queries.py."""
from __future__ import annotations

import re
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"
QUERY = re.compile(r"\bsa\.select\(|db\.session\.(scalars?|execute)\(|read_connection\(\)")
# Views still allowed a query, with the reason.
ALLOWED = {
    "health/views.py": "the health check's SELECT 1 is what it checks",
}


def _views() -> list[Path]:
    return sorted(path for path in APP.rglob("*views*.py"))


def test_views_build_and_run_no_query_of_their_own():
    offenders = [str(path.relative_to(APP)) for path in _views()
                 if str(path.relative_to(APP)) not in ALLOWED and QUERY.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_allow_list_names_only_views_that_still_query():
    for name in ALLOWED:
        assert QUERY.search((APP / name).read_text(encoding="utf-8")), name
