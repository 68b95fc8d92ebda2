"""Text checked for a form field: refusals carry the field they belong to and the messages members know."""
from __future__ import annotations

import pytest

from app.core.exceptions import DomainError
from app.text.fields import clean_label, clean_title, render_body


def _refusal(call, *args, **kwargs) -> tuple[str, str | None]:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    return caught.value.message, caught.value.field


def test_a_title_is_cleaned_of_invisible_characters_and_runs_of_space(db):
    assert clean_title("  Green\u200b  tea\u202e time ", "title") == "Green tea time"


@pytest.mark.parametrize("title", ["", None, "ab", "x" * 201, " \u200b a \u200b "])
def test_a_title_outside_3_to_200_characters_is_refused_on_the_named_field(db, title):
    assert _refusal(clean_title, title, "headline") == ("A title has 3 to 200 characters.", "headline")


def test_a_title_of_exactly_3_or_200_characters_is_accepted(db):
    assert clean_title("abc", "title") == "abc" and clean_title("y" * 200, "title") == "y" * 200


def test_a_title_with_a_nul_character_is_refused_on_the_named_field(db):
    message, field = _refusal(clean_title, "Tea\x00time", "entry_title")
    assert "NUL" in message and field == "entry_title"


def test_a_label_may_be_empty_when_its_lower_limit_is_zero_and_says_its_own_limit_when_too_long(db):
    assert clean_label(None, "prize", low=0, high=5, message="Too long.") == ""
    assert clean_label(" A  cup ", "prize", low=0, high=5, message="Too long.") == "A cup"
    assert _refusal(clean_label, "A teapot", "prize", low=0, high=5, message="Too long.") == ("Too long.", "prize")


def test_a_body_is_rendered_from_its_trimmed_markdown(db):
    assert render_body("  **Oolong**  \n", "rules") == "<p><strong>Oolong</strong></p>\n"


@pytest.mark.parametrize("body", ["", None, "   \n\t "])
def test_an_empty_body_is_refused_on_the_named_field(db, body):
    assert _refusal(render_body, body, "rules") == ("Please write something.", "rules")


def test_a_body_longer_than_the_post_limit_is_refused_on_the_named_field(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_POST_CHARS", 10)
    assert render_body(" " + "a" * 10 + " ", "body") == "<p>aaaaaaaaaa</p>\n"  # the limit counts trimmed text
    assert _refusal(render_body, "a" * 11, "text") == ("A post has at most 10 characters.", "text")


def test_a_body_with_a_lone_surrogate_is_refused_on_the_named_field(db):
    message, field = _refusal(render_body, "tea \ud800 time", "rules")
    assert "invalid character" in message and field == "rules"
