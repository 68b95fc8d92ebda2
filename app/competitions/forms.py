"""Forms for competitions: create/edit, enter, and hosts' entry moderation."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.core.fields import LocalTimeField, WholeNumberField
from app.core.forms import TITLE_LENGTH, choices

_WHEN = {"validators": [InputRequired()]}


class CompetitionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), TITLE_LENGTH])
    rules = TextAreaField(_l("Rules (markdown)"), validators=[DataRequired(), Length(max=50_000)])
    prize = StringField(_l("Prize"), validators=[Optional(), Length(max=500)])
    category = SelectField(_l("Category of its thread"), coerce=int, choices=[])
    entry_opens_at = LocalTimeField(_l("Entries open"), **_WHEN)
    entry_closes_at = LocalTimeField(_l("Entries close"), **_WHEN)
    voting_opens_at = LocalTimeField(_l("Voting opens"), **_WHEN)
    voting_closes_at = LocalTimeField(_l("Voting closes"), **_WHEN)
    judging = RadioField(_l("Judged by"), default="members", choices=choices([
        ("members", _l("Members' votes (one per member)")), ("moderators", _l("The hosts' scores (0 to 10)"))]))
    entry_points = WholeNumberField(_l("Points for entering"), default=5,
                                    validators=[InputRequired(), NumberRange(0, 1000)])
    win_points = WholeNumberField(_l("Points for winning"), default=50,
                                  validators=[InputRequired(), NumberRange(0, 10_000)])
    winner_count = WholeNumberField(_l("Number of winners"), default=1,
                                    validators=[InputRequired(), NumberRange(1, 10)])
    submit = SubmitField(_l("Save competition"))


class EntryForm(FlaskForm):
    title = StringField(_l("Title of your entry"), validators=[DataRequired(), TITLE_LENGTH])
    body = TextAreaField(_l("Your entry"), validators=[DataRequired(), Length(max=50_000)])
    photo = FileField(_l("Photo (optional; JPEG, PNG or WebP, up to 10 MB)"))
    submit = SubmitField(_l("Send entry"))


class EntryModerationForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])
