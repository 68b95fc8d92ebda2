"""Forms for logging in, accepting an invitation, resetting a password and inviting."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from app.core.forms import EmailAddress, choices
from app.security.roles import Role


class LoginForm(FlaskForm):
    email = StringField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Remember me"))
    submit = SubmitField(_l("Log in"))


class AcceptInvitationForm(FlaskForm):
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(min=2, max=40)],
                               description=_l("Shown to other members. Please do not use your real name."))
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=10, max=200)])
    confirm = PasswordField(_l("Repeat password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))])
    consent = BooleanField(_l("I have read the research consent above and agree to it."),
                           validators=[DataRequired(message=_l("You need to agree to take part."))])
    consent_version = HiddenField()
    submit = SubmitField(_l("Join the community"))


class ResetRequestForm(FlaskForm):
    email = StringField(_l("Email"), validators=[DataRequired(), EmailAddress()])
    submit = SubmitField(_l("Send reset link"))


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10, max=200)])
    confirm = PasswordField(_l("Repeat password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))])
    submit = SubmitField(_l("Set password"))


class InviteForm(FlaskForm):
    email = StringField(_l("Email"), validators=[DataRequired(), EmailAddress()])
    role = SelectField(_l("Role"), choices=[], default=Role.MEMBER.value)
    submit = SubmitField(_l("Send invitation"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = choices((r.value, r.label) for r in Role)
