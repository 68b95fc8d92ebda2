"""Page links: the first and last page, two either side of the current one, and gaps between."""
from __future__ import annotations

import re

import pytest
from flask import current_app, render_template_string


def _links(current: int, last: int) -> list[str]:
    with current_app.test_request_context("/threads"):
        html = render_template_string('{% from "_macros/pagination.html" import simple_pagination %}'
                                      "{{ simple_pagination(current, last) }}", current=current, last=last)
    return re.findall(r'<span class="current"[^>]*>(\d+)</span>|>(\d+|…)</a>|<span class="gap">(…)</span>', html)


def _shown(current: int, last: int) -> list[str]:
    return ["".join(parts) for parts in _links(current, last)]


@pytest.mark.parametrize(("current", "last", "shown"), [
    (1, 1, []),
    (1, 2, ["1", "2"]),
    (1, 10, ["1", "2", "3", "…", "10"]),
    (4, 10, ["1", "2", "3", "4", "5", "6", "…", "10"]),
    (5, 10, ["1", "…", "3", "4", "5", "6", "7", "…", "10"]),
    (8, 10, ["1", "…", "6", "7", "8", "9", "10"]),
    (10, 10, ["1", "…", "8", "9", "10"]),
    (5, 8, ["1", "…", "3", "4", "5", "6", "7", "8"]),
])
def test_pages_near_the_current_one_and_the_ends_are_linked(db, current, last, shown):
    assert _shown(current, last) == shown


def test_a_thread_of_a_hundred_thousand_pages_links_seven_of_them(db):
    assert _shown(50_000, 100_000) == ["1", "…", "49998", "49999", "50000", "50001", "50002", "…", "100000"]
