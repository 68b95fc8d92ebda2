"""Forms for the curation tools (each gives its buttons CSRF protection)."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.forms import TITLE_LENGTH, choices

_THREAD_REF = re.compile(r"^\s*(?:#\s*)?(\d{1,9})\s*$|/t/(\d{1,9})(?:\D|$)")


def thread_id_from(text: str | None) -> int | None:
    """A thread id from what a host typed: ``123``, ``#123`` or a thread link such as ``https://…/t/123``."""
    match = _THREAD_REF.search(text or "")
    return int(match.group(1) or match.group(2)) if match else None


class PinForm(FlaskForm):
    to = SelectField(_l("Pin to"), default="category", choices=choices([
        ("category", _l("the top of its category")), ("landing", _l("the landing page"))]))


class HideThreadForm(FlaskForm):
    reason = StringField(_l("Reason (members do not see it; hosts and the audit log do)"),
                         validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Hide thread"))


class MoveForm(FlaskForm):
    category_id = SelectField(_l("Move to category"), coerce=int)
    submit = SubmitField(_l("Move thread"))


class MergeForm(FlaskForm):
    target = StringField(_l("Merge into thread (number or link)"), validators=[DataRequired(), Length(max=300)],
                         description=_l("Every post moves into that thread with its author and time; "
                                        "this thread stays, hidden, pointing there."))
    submit = SubmitField(_l("Merge threads"))

    def validate_target(self, field) -> None:
        if thread_id_from(field.data) is None:
            raise ValidationError(_l("Enter a thread number such as 123, or a link to the thread."))


class SplitForm(FlaskForm):
    post_ids = SelectMultipleField(_l("Replies to move"), coerce=int, widget=ListWidget(prefix_label=False),
                                   option_widget=CheckboxInput())
    title = StringField(_l("Title of the new thread"), validators=[DataRequired(), TITLE_LENGTH])
    category_id = SelectField(_l("Category"), coerce=int)
    submit = SubmitField(_l("Split into a new thread"))


class HostEditForm(FlaskForm):
    body = TextAreaField(_l("Post text"), validators=[DataRequired(), Length(max=50_000)])
    reason = StringField(_l("Reason (shown in the audit log)"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Save and notify the member"))


class SuspendMemberForm(FlaskForm):
    days = IntegerField(_l("Days"), validators=[Optional(), NumberRange(min=1, max=3650)],
                        description=_l("Leave empty to suspend until a host lifts it."))
    reason = StringField(_l("Reason (the member is told)"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Suspend"))
