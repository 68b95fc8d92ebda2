"""Profile settings forms."""
from __future__ import annotations

import zoneinfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from app.core.forms import choices
from app.i18n import LANGUAGE_NAMES

TIMEZONES = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})


class SettingsForm(FlaskForm):
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(min=2, max=40)])
    locale = SelectField(_l("Language"), choices=choices(LANGUAGE_NAMES.items()))
    timezone = SelectField(_l("Time zone"), choices=choices((tz, tz) for tz in TIMEZONES))
    submit = SubmitField(_l("Save settings"))


class AvatarForm(FlaskForm):
    avatar = FileField(_l("Your picture (JPEG, PNG or WebP; up to 5 MB; cropped to a square)"))
    submit_avatar = SubmitField(_l("Upload avatar"))
    remove_avatar = SubmitField(_l("Use the generated avatar"))


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10, max=200)])
    confirm = PasswordField(_l("Repeat new password"),
                            validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))])
    submit_password = SubmitField(_l("Change password"))


class SuspendForm(FlaskForm):
    days = SelectField(_l("For"), default="7", choices=choices([
        ("1", _l("1 day")), ("7", _l("7 days")), ("30", _l("30 days")), ("0", _l("Until further notice"))]))
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Suspend"))


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[])
    host_persona = StringField(_l("Host persona"), validators=[Optional(), Length(max=40)],
                               description=_l("Shown as a badge on a host's posts, e.g. \"Warm host\"."))
    submit_role = SubmitField(_l("Save role"))
