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
