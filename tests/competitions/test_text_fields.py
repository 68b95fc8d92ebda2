"""Competition and entry text is refused on its own form field, with the messages the forum uses."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.competitions import services
from app.core.exceptions import DomainError
from app.db import utcnow


@pytest.mark.parametrize("changes, message, field", [
    ({"title": "ab"}, "A title has 3 to 200 characters.", "title"),
    ({"prize": "p" * 501}, "The prize has at most 500 characters.", "prize"),
    ({"rules_text": "  "}, "Please write something.", "rules"),
    ({"rules_text": "r" * 50_001}, "A post has at most 50000 characters.", "rules"),
])
def test_a_competition_with_bad_text_is_refused_on_that_field(db, moderator, category_factory, changes, message,
                                                              field):
    now = utcnow()
    values = {"title": "Tea", "rules_text": "Rules", "prize": "", **changes}
    with pytest.raises(DomainError) as error:
        services.save_competition(None, by=moderator, category=category_factory(),
                                  windows=services.Windows(*(now + timedelta(days=d) for d in (0, 1, 1, 2))),
                                  judging="members", entry_points=5, win_points=50, winner_count=1, **values)
    assert (error.value.message, error.value.field) == (message, field)


@pytest.mark.parametrize("title, body, message, field", [
    ("x" * 201, "Whisked", "A title has 3 to 200 characters.", "title"),
    ("Matcha", "", "Please write something.", "body"),
])
def test_an_entry_with_bad_text_is_refused_on_that_field(competition_factory, member, title, body, message, field):
    with pytest.raises(DomainError) as error:
        services.enter(competition_factory(), user=member, title=title, body=body)
    assert (error.value.message, error.value.field) == (message, field)
