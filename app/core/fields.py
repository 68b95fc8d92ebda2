"""Form fields for activities that refuse absurd input with a message instead of failing later.

WTForms' IntegerField accepts any number of digits and NumberRange then overflows on a 400-digit value; a
datetime-local value in year 1 or 9999 overflows when it is moved between time zones. These fields stop both
at parsing time, so the form shows a message next to the field.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, IntegerField

MAX_DIGITS = 9  # every count, score and amount in these forms fits comfortably
FIRST_YEAR, LAST_YEAR = 2000, 2100


class WholeNumberField(IntegerField):
    """An integer of at most nine digits (optionally signed)."""

    def process_formdata(self, valuelist):
        if valuelist and len(str(valuelist[0]).strip().lstrip("+-")) > MAX_DIGITS:
            self.data = None
            raise ValueError(_l("This number is too large."))
        if valuelist and not str(valuelist[0]).strip().lstrip("+-").isascii():
            self.data = None
            raise ValueError(_l("Not a valid integer value."))
        super().process_formdata(valuelist)


class LocalTimeField(DateTimeLocalField):
    """A date and time typed in the member's time zone (``YYYY-MM-DDTHH:MM``) between 2000 and 2100."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"])
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not FIRST_YEAR <= self.data.year <= LAST_YEAR:
            self.data = None
            raise ValueError(_l("Choose a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR))
