"""Member profiles and the member's own settings."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from app.core.exceptions import DomainError
from app.core.forms import ConfirmForm, attempt, show_domain_error
from app.core.params import paginate
from app.extensions import db
from app.members import services
from app.members.forms import PasswordForm, SettingsForm
from app.members.models import User
from app.members.notifications import mark_all_read
from app.members.queries import notifications_of

bp = Blueprint("members", __name__)


@bp.route("/u/<int:user_id>")
def profile(user_id: int):
    """A member's public profile: name, join date, post count and recent posts."""
    user = db.get_or_404(User, user_id)
    return render_template("members/profile.html", user=user)  # its recent posts come from the forum's global


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    """Change display name, language and time zone, or the password."""
    form = SettingsForm(obj=current_user)
    password_form = PasswordForm()
    if form.submit.data and form.validate_on_submit():
        # nested, not joined with `and`: a refused change must not fall through to the password branch
        if attempt(lambda: services.update_settings(current_user, display_name=form.display_name.data,
                                                    locale=form.locale.data, timezone=form.timezone.data), form):
            flash(_("Your settings are saved."), "success")
            return redirect(url_for("members.settings"))
    elif password_form.submit_password.data and password_form.validate_on_submit():
        try:
            services.update_password(current_user, current=password_form.current_password.data,
                                     new=password_form.new_password.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(password_form, error)
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # keep this session alive with the new token
            flash(_("Your password is changed; other sessions were logged out."), "success")
            return redirect(url_for("members.settings"))
    return render_template("members/settings.html", form=form, password_form=password_form)


@bp.route("/notifications")
def notifications():
    """The member's notifications, newest first; unread ones are highlighted."""
    page = paginate(notifications_of(current_user), per_page=30, error_out=False)
    return render_template("members/notifications.html", page=page)


@bp.route("/notifications/read", methods=["POST"])
def notifications_read():
    """Mark every notification as read."""
    if ConfirmForm().validate_on_submit():
        mark_all_read(current_user.id)
        db.session.commit()
    return redirect(url_for("members.notifications"))
