"""Forms shared across domains."""
import re
from collections.abc import Callable
from typing import Any, NamedTuple

from flask import current_app, flash, g, session
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.csrf import _FlaskFormCSRF, generate_csrf
from wtforms.csrf.core import CSRFTokenField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError
from wtforms.widgets import HiddenInput

from app.core.exceptions import DomainError
from app.extensions import db

# A title's length as the form sees it; the service (app.text.fields.clean_title) decides, counting a Chinese
# character as two, so two of them (求助, 晒单) make a title and two letters do not.
TITLE_LENGTH = Length(min=2, max=200)


class _TokenInput(HiddenInput):
    """The CSRF input without an id: a page with several forms would repeat id="csrf_token" (invalid HTML)."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", False)  # html_params leaves out attributes whose value is False
        return super().__call__(field, **kwargs)


class _TokenField(CSRFTokenField):
    widget = _TokenInput()


class _CSRF(_FlaskFormCSRF):
    field_class = _TokenField

    def generate_csrf_token(self, csrf_token_field):
        if self.meta.csrf_field_name == "csrf_token" and self.meta.csrf_secret == _csrf_secret():
            return signed_csrf_token()
        return super().generate_csrf_token(csrf_token_field)


_signed_tokens: dict[tuple, str] = {}


def _csrf_secret():
    """The key Flask-WTF signs CSRF tokens with (as ``generate_csrf`` reads it)."""
    return current_app.config.get("WTF_CSRF_SECRET_KEY", current_app.secret_key)


def signed_csrf_token() -> str:
    """``generate_csrf()``, without signing the session's CSRF secret again on every request.

    Flask-WTF signs the secret with a timestamp on each request that shows a form (every page: the logout
    button). When tokens never expire (``WTF_CSRF_TIME_LIMIT`` None, the default here) the timestamp is never
    checked, so the token signed once for a secret and key is remembered per process and reused: it checks out
    exactly as a fresh one would, against the same session secret. With a time limit every token is fresh.
    """
    token = g.get("csrf_token")
    if token is not None:
        return token
    config = current_app.config
    if config.get("WTF_CSRF_TIME_LIMIT") is not None or config.get("WTF_CSRF_FIELD_NAME", "csrf_token") != "csrf_token":
        return generate_csrf()
    secret = session.get("csrf_token")
    key = (_csrf_secret(), secret)
    token = _signed_tokens.get(key) if isinstance(secret, str) else None
    if token is None:
        token = generate_csrf()  # makes the session's secret when there is none yet
        if len(_signed_tokens) >= 4096:
            _signed_tokens.clear()
        _signed_tokens[(key[0], session.get("csrf_token"))] = token
    g.csrf_token = token  # where generate_csrf looks first, for the rest of the request
    return token


def install_csrf_input() -> None:
    """Every form's CSRF input renders as ``<input name="csrf_token" type="hidden" value="…">`` (no id)."""
    FlaskForm.Meta.csrf_class = _CSRF


class ConfirmForm(FlaskForm):
    """An empty form: gives every state-changing button (logout included) its CSRF token."""


def show_domain_error(form: FlaskForm, error) -> None:
    """Attach a service's DomainError to its field, or to the form as a whole."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


class Outcome(NamedTuple):
    """What ``attempt`` did: ``ok`` and the action's return value (None when it failed); true when ok."""

    ok: bool
    result: Any = None

    def __bool__(self) -> bool:
        return self.ok


def attempt(action: Callable[[], Any], form: FlaskForm | None = None) -> Outcome:
    """Run one service call as a view's transaction: commit it, or roll back and show its DomainError.

    The error goes onto ``form`` (or is flashed without one); other exceptions propagate. The returned
    ``Outcome`` is true only on success, so views read ``if attempt(...):`` or ``ok, poll = attempt(...)``
    (never unpack into ``_``: views use it for gettext).
    """
    try:
        result = action()
    except DomainError as error:
        db.session.rollback()
        if form is None:
            flash(error.message, "error")
        else:
            show_domain_error(form, error)
        return Outcome(False)
    db.session.commit()
    return Outcome(True, result)


def choices(pairs) -> list:
    """SelectField/RadioField choices from (value, label) pairs, in the form WTForms 3.3+ expects."""
    return [SelectChoice(value, label) for value, label in pairs]


_EMAIL_RE = re.compile(r"^[^@\s<>()\[\]\\,;:\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                        r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")


class EmailAddress:
    """A syntax check for email addresses; unlike email-validator it accepts test domains (.test, .example)."""

    def __init__(self, message=None) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        value = (field.data or "").strip()
        if len(value) > 254 or not _EMAIL_RE.match(value):
            raise ValidationError(self.message or _("Enter a valid email address."))
