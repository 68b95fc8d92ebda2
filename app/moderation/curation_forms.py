"""Forms for the curation tools."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class MoveForm(FlaskForm):
    category_id = SelectField(_l("Move to category"), coerce=int)
    submit = SubmitField(_l("Move thread"))


class MergeForm(FlaskForm):
    target_id = IntegerField(_l("Merge into thread number"), validators=[DataRequired(), NumberRange(min=1)])
    submit = SubmitField(_l("Merge threads"))


class SplitForm(FlaskForm):
    post_ids = SelectMultipleField(_l("Replies to move"), coerce=int)
    title = StringField(_l("Title of the new thread"), validators=[DataRequired(), Length(min=3, max=200)])
    category_id = SelectField(_l("Category"), coerce=int)
    submit = SubmitField(_l("Split into a new thread"))


class HostEditForm(FlaskForm):
    body = TextAreaField(_l("Post text"), validators=[DataRequired(), Length(max=50_000)])
    reason = StringField(_l("Reason (shown in the audit log)"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Save and notify the member"))
