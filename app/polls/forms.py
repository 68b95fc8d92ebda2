"""Forms for polls: attach to a thread, or start a thread with a poll."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.core.fields import LocalTimeField, WholeNumberField
from app.core.forms import choices


class PollForm(FlaskForm):
    question = StringField(_l("Question"), validators=[DataRequired(), Length(min=3, max=300)])
    options = TextAreaField(_l("Options, one per line (2 to 20)"), validators=[DataRequired(), Length(max=4400)])
    is_multiple = BooleanField(_l("Members may choose several options"))
    max_choices = WholeNumberField(_l("At most this many choices"), default=2,
                                   validators=[Optional(), NumberRange(1, 20)])
    closes_at = LocalTimeField(_l("Closes (optional, your time zone)"), validators=[Optional()])
    results_visibility = RadioField(_l("Show results"), default="always", choices=choices([
        ("always", _l("Always")), ("after_vote", _l("After voting")), ("after_close", _l("After the poll closes"))]))
    submit = SubmitField(_l("Add poll"))


class PollThreadForm(PollForm):
    """A new thread with a poll: where, a title and an opening post, then the poll itself."""

    category = SelectField(_l("Category"), coerce=int, choices=[])
    title = StringField(_l("Thread title"), validators=[DataRequired(), Length(min=3, max=200)])
    body = TextAreaField(_l("Opening post"), validators=[DataRequired(), Length(max=50_000)])
    submit = SubmitField(_l("Start thread with poll"))
