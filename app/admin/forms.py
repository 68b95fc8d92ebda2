"""Admin forms: categories and the consent text."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class CategoryForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(min=2, max=80)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=500)])
    position = IntegerField(_l("Order"), default=0, validators=[Optional(), NumberRange(min=0, max=10_000)])
    submit = SubmitField(_l("Save category"))


class ConsentForm(FlaskForm):
    body = TextAreaField(_l("Consent text (markdown)"), validators=[DataRequired(), Length(max=20_000)])
    submit = SubmitField(_l("Publish as a new version"))
