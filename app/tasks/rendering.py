"""Parts of the task page rendered once per what they show and kept (per process: every value is in the key)."""
from __future__ import annotations

from flask import current_app, request
from markupsafe import Markup

from app.core.babel_internals import current_locale
from app.core.fragments import LRU
from app.core.templating import csrf_field
from app.tasks.forms import SubmissionForm
from app.tasks.models import TaskSubmission

_answer_forms = LRU(2048)  # one per member answering lately: a few kB each


def answer_form(mine: TaskSubmission | None) -> Markup:
    """The answer form as a GET shows it (the member's answer, no errors), rendered once per language, URL root,
    answer text and CSRF token: WTForms builds and renders a form field by field, about a sixth of the page."""
    text = None if mine is None else mine.text
    key = (str(current_locale()), request.script_root, mine is not None, text, str(csrf_field()))
    html = _answer_forms.get(key)
    if html is None:
        form = SubmissionForm(formdata=None, obj=mine)
        html = Markup(current_app.jinja_env.get_template("tasks/_answer_form.html").render(form=form,
                                                                                           mine=mine is not None))
        _answer_forms.put(key, html)
    return html
