"""Forms shared across domains."""
from flask_wtf import FlaskForm


class ConfirmForm(FlaskForm):
    """An empty form: gives every state-changing button (logout included) its CSRF token."""


def show_domain_error(form: FlaskForm, error) -> None:
    """Attach a service's DomainError to its field, or to the form as a whole."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def choices(pairs) -> list:
    """SelectField/RadioField choices from (value, label) pairs, in the form WTForms 3.3+ expects."""
    from wtforms.fields.choices import SelectChoice

    return [SelectChoice(value, label) for value, label in pairs]


_EMAIL_RE = __import__("re").compile(r"^[^@\s<>()\[\]\\,;:\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                                     r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")


class EmailAddress:
    """A syntax check for email addresses; unlike email-validator it accepts test domains (.test, .example)."""

    def __init__(self, message=None) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        from flask_babel import gettext as _
        from wtforms.validators import ValidationError

        value = (field.data or "").strip()
        if len(value) > 254 or not _EMAIL_RE.match(value):
            raise ValidationError(self.message or _("Enter a valid email address."))
