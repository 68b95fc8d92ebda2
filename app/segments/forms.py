"""Forms for segment attributes: admins define them; members (and admins) choose values; CSV import."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from app.core.fields import WholeNumberField
from app.core.forms import choices


class AttributeForm(FlaskForm):
    key = StringField(_l("Key (the CSV column), e.g. age_band"), validators=[DataRequired(), Length(min=2, max=40)])
    label = StringField(_l("Label shown to members"), validators=[DataRequired(), Length(max=80)])
    values = TextAreaField(_l("Allowed values, one per line"), validators=[DataRequired(), Length(max=5000)])
    member_editable = BooleanField(_l("Members may fill this in their settings"), default=True)
    position = WholeNumberField(_l("Order"), default=0, validators=[InputRequired(), NumberRange(0, 1000)])
    submit = SubmitField(_l("Save attribute"))


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file (UTF-8): an email column and one column per attribute key"))
    submit_import = SubmitField(_l("Import"))


def with_segment_fields(form_class: type[FlaskForm], attributes, current: dict[int, int] | None = None):
    """A subclass of ``form_class`` with one select per attribute (field name attr_<id>), prefilled with the
    member's values; instances list those fields in ``attribute_fields``."""
    not_given = _l("Prefer not to say")
    current = current or {}
    fields = {f"attr_{a.id}": SelectField(a.label, default=str(current.get(a.id, "")), choices=choices(
        [("", not_given)] + [(str(v.id), v.value) for v in a.values])) for a in attributes}
    names = list(fields)

    def __init__(self, *args, **kwargs):
        form_class.__init__(self, *args, **kwargs)
        self.attribute_fields = [self[name] for name in names]

    return type(form_class.__name__, (form_class,), {**fields, "__init__": __init__})


class _ValuesForm(FlaskForm):
    submit_segments = SubmitField(_l("Save"))


def values_form(attributes, current: dict[int, int]) -> FlaskForm:
    """A form with one select per attribute (field name attr_<id>), prefilled with the member's values."""
    return with_segment_fields(_ValuesForm, attributes, current)()


def chosen_values(form: FlaskForm) -> dict[int, int | None]:
    """Attribute id -> value id (None to clear) from a submitted values form."""
    return {int(field.name.removeprefix("attr_")): int(field.data) if field.data else None
            for field in form.attribute_fields}
