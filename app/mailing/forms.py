"""Forms: a member's mail preferences, the unsubscribe button, a host's activity invitation, the promise."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FloatField, SelectField, SubmitField
from wtforms.validators import InputRequired, NumberRange

from app.core.forms import choices
from app.mailing import preferences

MODE_LABELS = {preferences.IMMEDIATE: _l("Email me at once"), preferences.DIGEST: _l("In my digest"),
               preferences.NEVER: _l("Never by email")}
FREQUENCY_LABELS = {preferences.DAILY: _l("Daily"), preferences.WEEKLY: _l("Weekly"),
                    preferences.NEVER: _l("No digest")}


class PreferencesForm(FlaskForm):
    digest = SelectField(_l("Digest"), choices=choices(FREQUENCY_LABELS.items()))
    submit = SubmitField(_l("Save email preferences"))


def preferences_form(is_host: bool, current: dict[str, str]) -> PreferencesForm:
    """The preferences form with one select per category the member can receive, prefilled with their choices."""
    shown = [c for c in preferences.CATEGORIES if is_host or not c.hosts_only]
    fields = {f"c_{c.key}": SelectField(c.label, default=current[c.key], choices=choices(MODE_LABELS.items()))
              for c in shown}
    fields["digest"] = SelectField(_l("Digest"), default=current[preferences.DIGEST_CATEGORY],
                                   choices=choices(FREQUENCY_LABELS.items()))
    form = type("MemberPreferencesForm", (PreferencesForm,), fields)()
    form.category_fields = [form[f"c_{c.key}"] for c in shown]
    return form


def chosen_modes(form: PreferencesForm) -> dict[str, str]:
    modes = {field.name[2:]: field.data for field in form.category_fields}
    modes[preferences.DIGEST_CATEGORY] = form.digest.data
    return modes


class UnsubscribeForm(FlaskForm):
    """The unsubscribe page's button; the signed token in the link is what proves the right, not a login."""

    class Meta:
        csrf = False

    submit = SubmitField(_l("Unsubscribe"))


class InviteForm(FlaskForm):
    segment = SelectField(_l("Who to invite"))
    preview = SubmitField(_l("Preview reach"))
    send = SubmitField(_l("Send invitations"))


class PromiseForm(FlaskForm):
    hours = FloatField(_l("Our promise: a host answers a member's question within (hours)"),
                       validators=[InputRequired(), NumberRange(0.25, 24 * 14)])
    submit = SubmitField(_l("Save promise"))
