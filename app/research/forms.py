"""The export form."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Optional, Regexp

from app.core.forms import choices


class ExportForm(FlaskForm):
    categories = SelectMultipleField(
        _l("Categories (none = all)"), coerce=int, validators=[Optional()],
        description=_l("Category and thread filters narrow posts, polls and competitions; tasks have no category."))
    thread_ids = StringField(_l("Thread ids (comma separated)"),
                             validators=[Optional(), Regexp(r"^[\d,\s]*$", message=_l("Only numbers and commas."))])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    include_posts = BooleanField(_l("Forum posts"), default=True)
    include_tasks = BooleanField(_l("Task submissions"), default=False)
    include_polls = BooleanField(_l("Poll ballots"), default=False)
    include_competitions = BooleanField(_l("Competition entries"), default=False)
    segments = SelectMultipleField(
        _l("Segments (none = everyone)"), validators=[Optional()],
        description=_l("Values of one attribute are alternatives; different attributes must all match."))
    code_ids = SelectMultipleField(_l("Codes (none = no code filter)"), coerce=int, validators=[Optional()],
                                   description=_l("Only posts coded with one of these codes."))
    include_hosts = BooleanField(_l("Include hosts' posts"), default=True)
    include_moderated = BooleanField(_l("Include moderated content (hidden, pending, spam) — audited"))
    identity = RadioField(_l("Identity"), default="pseudonym", choices=choices([
        ("pseudonym", _l("Pseudonym (P- and 13 characters, stable)")),
        ("display_name", _l("Display name (identifying, audited as such)")), ("none", _l("None"))]),
        description=_l("Pseudonym and none also replace members' names in the text: quote headers, @mentions, "
                       "names in posts and competition results."))
    quotes = RadioField(_l("Quoted text"), default="keep", choices=choices([
        ("keep", _l("Keep, attributed in the chosen identity format")), ("drop", _l("Drop quoted text"))]),
        description=_l("Words quoted from members who withdrew consent are always dropped."))
    scrub = BooleanField(_l("Scrub contact details (emails, phones, WeChat/QQ ids)"), default=True)
    format = SelectField(_l("Format"), default="csv", choices=choices([
        ("csv", "CSV (UTF-8, Excel)"), ("xlsx", "XLSX"), ("jsonl", "JSONL"), ("docx", _l("DOCX transcript"))]))
    submit = SubmitField(_l("Start export"))

    def thread_id_list(self) -> list[int]:
        return [int(part) for part in (self.thread_ids.data or "").replace(" ", "").split(",") if part.isdigit()]


class CodeForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Optional()])
    colour = StringField(_l("Colour"), default="#8a4b08")
    description = StringField(_l("Description"), validators=[Optional()])
    parent_id = SelectField(_l("Parent code"), coerce=int, default=0)
    submit = SubmitField(_l("Save code"))


class ApplyCodeForm(FlaskForm):
    code_id = SelectField(_l("Code"), coerce=int)
    excerpt = TextAreaField(_l("Passage (leave as is to code the whole post)"), validators=[Optional()])
    memo = TextAreaField(_l("Memo"), validators=[Optional()])
    submit = SubmitField(_l("Apply code"))


class KocVipForm(FlaskForm):
    """A host grants (or removes) VIP from the KOC shortlist; one per row, told apart by a prefix."""

    reason = StringField(_l("Reason"), validators=[Optional()])
    make_vip = HiddenField(default="1")
    submit = SubmitField(_l("Make VIP"))


class TermForm(FlaskForm):
    """Add a term to the community's dictionary."""

    term = StringField(_l("Term"), validators=[Optional()],
                       description=_l("Case and width variants are one term: abc, ABC and ＡＢＣ are the same."))
    submit = SubmitField(_l("Add term"))


class MergeTermsForm(FlaskForm):
    """Count one term as another."""

    variant = StringField(_l("Term"), validators=[Optional()])
    into = StringField(_l("Count it as"), validators=[Optional()])
    submit = SubmitField(_l("Merge"))


class StopWordForm(FlaskForm):
    """Add a stop word or take one out of the lists."""

    word = StringField(_l("Word"), validators=[Optional()])
    action = RadioField(_l("Change"), default="add", choices=choices([
        ("add", _l("Add to the stop words")), ("remove", _l("Take out of the stop words"))]))
    submit = SubmitField(_l("Save"))
