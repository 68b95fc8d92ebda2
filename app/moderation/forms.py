"""Forms for flagging, the review queue and canned replies."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.core.forms import choices
from app.moderation.models import FlagReason

FLAG_REASON_LABELS = {
    FlagReason.SPAM.value: _l("Spam or advertising"),
    FlagReason.ABUSIVE.value: _l("Abusive or hostile"),
    FlagReason.OFF_TOPIC.value: _l("Off-topic"),
    FlagReason.PRIVATE_INFO.value: _l("Shares private information"),
    FlagReason.OTHER.value: _l("Something else"),
}

REVIEW_ACTION_LABELS = {
    "approve": _l("Approve"),
    "dismiss": _l("Dismiss flags"),
    "hide": _l("Hide"),
    "spam": _l("Mark as spam"),
    "restore": _l("Restore"),
    "suspend_author": _l("Suspend author (30 days)"),
}
# How handled items read in the history: the actions above, and what no host chooses.
HANDLED_ACTION_LABELS = {**REVIEW_ACTION_LABELS, "merged": _l("Merged into a newer item for the same post")}


class FlagForm(FlaskForm):
    reason = RadioField(_l("Why should a host look at this post?"), choices=choices(FLAG_REASON_LABELS.items()),
                        validators=[DataRequired(message=_l("Choose a reason."))])
    note = TextAreaField(_l("Note for the hosts"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Send flag"))


class ReviewActionForm(FlaskForm):
    action = SelectField(_l("Action"), choices=choices(REVIEW_ACTION_LABELS.items()))
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Apply"))


class ItemActionForm(ReviewActionForm):
    """One item's action names the item's version its row showed: a stale row's action is refused."""

    version = IntegerField(validators=[InputRequired(), NumberRange(min=0)])


class MessageForm(FlaskForm):
    text = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField(_l("Send message"))


class ReasonForm(FlaskForm):
    """A post action from its thread page: the reason, and the post's moderation version the page showed."""

    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])
    version = IntegerField(validators=[InputRequired(), NumberRange(min=0)])


class CannedReplyForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=80)])
    body_en = TextAreaField(_l("English text"), validators=[Optional(), Length(max=5000)])
    body_zh = TextAreaField(_l("Chinese text"), validators=[Optional(), Length(max=5000)])
    is_shared = BooleanField(_l("Shared with every host"), default=True)
    submit = SubmitField(_l("Save canned reply"))
