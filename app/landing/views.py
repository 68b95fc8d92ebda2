"""The landing page: read the snapshot plus a few per-member figures; never aggregate posts here."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.core.forms import TITLE_LENGTH, ConfirmForm, attempt
from app.extensions import db
from app.landing import panels, queries, services
from app.landing.models import Announcement
from app.members.notifications import chrome_state
from app.security import policy
from app.security.guards import ensure

bp = Blueprint("landing", __name__)


class AnnouncementForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), TITLE_LENGTH])
    body = TextAreaField(_l("Text (markdown)"), validators=[Optional(), Length(max=5000)])
    position = IntegerField(_l("Order"), default=0, validators=[Optional(), NumberRange(min=0, max=1000)])
    submit = SubmitField(_l("Save announcement"))


@bp.route("/")
def index():
    """What's hot: trending, popular, most read, newest members, open activities, announcements, figures.

    The shared panels come rendered from app.landing.panels; only the member's own bits are rendered here.
    """
    return _landing_page()


def _landing_page(form: AnnouncementForm | None = None, editing: int | None = None):
    """The landing page; a host's refused announcement comes back in ``form`` (``editing``: the id it edits,
    or 0 for a new one), shown open with what was typed and its errors."""
    user = current_user._get_current_object()
    snapshot, open_tasks = panels.latest_and_open_tasks(user)
    unread, hidden = panels.thread_states(user, snapshot) if snapshot else (0, frozenset())
    announcements = queries.live_announcements()
    hosting, new_form = policy.can_moderate(user), None
    if hosting:
        form = form or AnnouncementForm(formdata=None)
        new_form = form if editing == 0 else AnnouncementForm(formdata=None)
    return render_template(
        "landing/index.html", panels=snapshot.panels if snapshot else None,
        panels_html=panels.rendered(snapshot, hidden) if snapshot else None, hosting=hosting,
        announcements=announcements, announcements_html=None if hosting else panels.announcements_html(announcements),
        mine_html=panels.mine_html(unread, open_tasks, chrome_state(user.id)[0]), form=form, new_form=new_form,
        editing=editing)


@bp.route("/announcements", methods=["POST"])
@bp.route("/announcements/<int:announcement_id>", methods=["POST"])
def announcement_save(announcement_id: int | None = None):
    """Hosts add or edit an announcement in place on the landing page."""
    ensure(policy.can_moderate(current_user))
    announcement = db.get_or_404(Announcement, announcement_id) if announcement_id else None
    form = AnnouncementForm()
    if form.validate_on_submit() and attempt(
            lambda: services.save_announcement(announcement, by=current_user, title=form.title.data,
                                               body=form.body.data or "", position=form.position.data or 0), form):
        flash(_("Announcement saved."), "success")
        return redirect(url_for("landing.index"))
    return _landing_page(form, editing=announcement_id or 0)


@bp.route("/announcements/<int:announcement_id>/archive", methods=["POST"])
def announcement_archive(announcement_id: int):
    """Take an announcement off the landing page (kept, archived)."""
    ensure(policy.can_moderate(current_user))
    announcement = db.get_or_404(Announcement, announcement_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if services.archive_announcement(announcement, by=current_user):
        db.session.commit()
    return redirect(url_for("landing.index"))
