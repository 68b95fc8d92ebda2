"""Forms for threads and posts."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.core.forms import TITLE_LENGTH

BODY_HELP = _l("Markdown: **bold**, *italic*, > quote, - list, [link](https://...)")
PHOTOS_LABEL = _l("Photos (JPEG, PNG or WebP; up to 10 MB each; at most 6)")


class ThreadForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), TITLE_LENGTH])
    body = TextAreaField(_l("Your post"), validators=[DataRequired(), Length(max=50_000)], description=BODY_HELP)
    photos = MultipleFileField(PHOTOS_LABEL)
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Start thread"))


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Your reply"), validators=[DataRequired(), Length(max=50_000)], description=BODY_HELP)
    quoted_post_id = HiddenField(validators=[Optional()])
    photos = MultipleFileField(PHOTOS_LABEL)
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Reply"))


class EditPostForm(FlaskForm):
    title = StringField(_l("Title"), validators=[Optional(), TITLE_LENGTH])
    body = TextAreaField(_l("Your post"), validators=[DataRequired(), Length(max=50_000)], description=BODY_HELP)
    submit = SubmitField(_l("Save changes"))


class PreviewForm(FlaskForm):
    """The composer's text, sent by its script to be shown as it will look."""

    body = TextAreaField(validators=[DataRequired(), Length(max=50_000)])
