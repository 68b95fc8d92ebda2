"""Forms for creating tasks, answering them and reviewing answers."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.core.fields import LocalTimeField, WholeNumberField
from app.core.forms import TITLE_LENGTH


class TaskForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), TITLE_LENGTH])
    instructions = TextAreaField(_l("Instructions (markdown)"), validators=[DataRequired(), Length(max=20_000)])
    opens_at = LocalTimeField(_l("Opens"), validators=[InputRequired()])
    due_at = LocalTimeField(_l("Due"), validators=[InputRequired()])
    min_photos = WholeNumberField(_l("Photos required"), default=0,
                                  validators=[InputRequired(), NumberRange(min=0, max=5)])
    points = WholeNumberField(_l("Points for an accepted answer"), default=10,
                              validators=[InputRequired(), NumberRange(min=0, max=1000)])
    is_masked = BooleanField(_l("Masked: members see others' answers only after answering"), default=True)
    submit = SubmitField(_l("Save task"))


class SubmissionForm(FlaskForm):
    text = TextAreaField(_l("Your answer"), validators=[DataRequired(), Length(max=20_000)])
    photos = MultipleFileField(_l("Photos (JPEG, PNG or WebP; up to 10 MB each)"))
    submit = SubmitField(_l("Send answer"))


class ReviewForm(FlaskForm):
    note = StringField(_l("Note to the member"), validators=[Optional(), Length(max=1000)])
    accept = SubmitField(_l("Accept"))
    needs_more = SubmitField(_l("Ask for more"))
