"""attempt(): the views' one transaction around a service call: commit, or roll back and show the DomainError."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import get_flashed_messages
from flask_wtf import FlaskForm
from wtforms import StringField

from app.admin.services import save_category
from app.core.exceptions import DomainError
from app.core.forms import attempt
from app.forum.models import Category


class NameForm(FlaskForm):
    name = StringField()


def _category_names(db) -> list[str]:
    db.session.rollback()  # only what was committed survives
    return db.session.scalars(sa.select(Category.name).order_by(Category.name)).all()


def _save_then_refuse(name: str, field: str | None = None):
    def action():
        save_category(None, by=None, name=name, description="", position=0)
        raise DomainError("That name is taken.", field)

    return action


def test_attempt_commits_and_returns_the_result(app, db):
    with app.test_request_context("/", method="POST"):
        outcome = attempt(lambda: save_category(None, by=None, name="Tea", description="", position=0))
        ok, category = outcome
        assert outcome and ok
        assert category.name == "Tea"
        assert get_flashed_messages() == []
    assert _category_names(db) == ["Tea"]


def test_attempt_is_ok_even_when_the_service_returns_something_falsy(app, db):
    with app.test_request_context("/", method="POST"):
        outcome = attempt(lambda: False)
    assert outcome
    assert tuple(outcome) == (True, False)


def test_attempt_rolls_back_and_puts_the_error_on_its_field(app, db):
    with app.test_request_context("/", method="POST", data={"name": "Tea"}):
        form = NameForm()
        outcome = attempt(_save_then_refuse("Tea", field="name"), form)
        assert not outcome
        assert tuple(outcome) == (False, None)
        assert form.name.errors == ["That name is taken."]
        assert form.form_errors == []
        assert get_flashed_messages() == []
    assert _category_names(db) == []


def test_attempt_puts_an_error_without_a_field_on_the_whole_form(app, db):
    with app.test_request_context("/", method="POST", data={"name": "Tea"}):
        form = NameForm()
        ok, result = attempt(_save_then_refuse("Tea"), form)
        assert (ok, result) == (False, None)
        assert form.form_errors == ["That name is taken."]
        assert not form.name.errors
    assert _category_names(db) == []


def test_attempt_without_a_form_rolls_back_and_flashes_the_error(app, db):
    with app.test_request_context("/", method="POST"):
        assert not attempt(_save_then_refuse("Tea", field="name"))
        assert get_flashed_messages(with_categories=True) == [("error", "That name is taken.")]
    assert _category_names(db) == []


def test_attempt_lets_other_errors_through_without_committing(app, db):
    def action():
        save_category(None, by=None, name="Tea", description="", position=0)
        raise RuntimeError("boom")

    with app.test_request_context("/", method="POST"), pytest.raises(RuntimeError):
        attempt(action)
    assert _category_names(db) == []
