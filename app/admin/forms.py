"""Admin forms: categories, the consent text, moderation settings and canned replies."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FloatField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError


class CategoryForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(min=2, max=80)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=500)])
    position = IntegerField(_l("Order"), default=0, validators=[Optional(), NumberRange(min=0, max=10_000)])
    is_inquiry = BooleanField(_l("Ask the hosts: members' threads here wait for a host reply (see Inquiries)"))
    submit = SubmitField(_l("Save category"))


class ConsentForm(FlaskForm):
    body = TextAreaField(_l("Consent text (markdown)"), validators=[DataRequired(), Length(max=20_000)])
    submit = SubmitField(_l("Publish as a new version"))


class ModerationSettingsForm(FlaskForm):
    hold_threshold = FloatField(_l("Hold for review at spam score"), validators=[NumberRange(min=1, max=100)])
    quarantine_threshold = FloatField(_l("Quarantine as spam at score"), validators=[NumberRange(min=1, max=100)])
    flag_threshold = IntegerField(_l("Hide a post when flag weight reaches"), validators=[NumberRange(min=1, max=50)])
    retention_days = IntegerField(_l("Purge confirmed spam after (days)"), validators=[NumberRange(min=7, max=3650)])
    blocked_words = TextAreaField(_l("Blocked words (one per line)"), validators=[Optional(), Length(max=20_000)])
    upload_quota = IntegerField(_l("Images a member may send per day"), validators=[NumberRange(min=0, max=1000)])
    submit = SubmitField(_l("Save settings"))

    def validate_quarantine_threshold(self, field) -> None:
        if self.hold_threshold.data is not None and field.data is not None and field.data < self.hold_threshold.data:
            raise ValidationError(_l("Quarantine at a score at least as high as the hold score."))
