"""Forms for two-factor sign-in: the sign-in code, enrolment, and the settings that need a proof."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length


class TwoFactorCodeForm(FlaskForm):
    code = StringField(_l("Code from your app, or a recovery code"), validators=[DataRequired(), Length(max=40)])
    submit = SubmitField(_l("Verify"))


class EnableTwoFactorForm(FlaskForm):
    code = StringField(_l("Code from your app"), validators=[DataRequired(), Length(max=40)])
    submit = SubmitField(_l("Turn on two-factor sign-in"))


class RegenerateCodesForm(FlaskForm):
    code = PasswordField(_l("Current code or your password"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Make new recovery codes"))


class DisableTwoFactorForm(FlaskForm):
    code = PasswordField(_l("Current code or your password"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Turn off two-factor sign-in"))


class SignInSettingsForm(FlaskForm):
    require_staff = BooleanField(_l("Require two-factor sign-in for staff (admins, moderators, researchers)"))
    submit = SubmitField(_l("Save"))
