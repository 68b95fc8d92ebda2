"""Forms of the members' rights pages: agreeing to the consent text again, erasing the account, admin settings."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, PasswordField, RadioField, SubmitField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from app.core.forms import choices


class ReconsentForm(FlaskForm):
    version = HiddenField(validators=[DataRequired()])
    agree = BooleanField(_l("I have read the consent text and agree to take part in research"),
                         validators=[DataRequired(_l("Tick the box to agree."))])
    submit_consent = SubmitField(_l("Take part in research"))


class EraseAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(_l("Enter your password."))])
    understood = BooleanField(_l("I understand that my account cannot be restored once it is erased"),
                              validators=[DataRequired(_l("Tick the box to confirm."))])
    submit_erase = SubmitField(_l("Delete my account"))


class RightsSettingsForm(FlaskForm):
    grace_days = IntegerField(_l("Days before a requested account deletion is carried out"),
                              validators=[InputRequired(), NumberRange(min=0, max=90)])
    erased_posts = RadioField(_l("Posts of erased members"), choices=choices([
        ("keep", _l("Keep them, shown as by a former member")),
        ("hide", _l("Hide them (they stay in the database until purged)")),
    ]), validators=[InputRequired()])
    submit = SubmitField(_l("Save settings"))
