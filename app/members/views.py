"""Member profiles and the member's own settings."""
from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user

from app.core.exceptions import DomainError
from app.core.forms import ConfirmForm, attempt, show_domain_error
from app.extensions import db, limiter, member_key
from app.members import avatars, services
from app.members.forms import AvatarForm, PasswordForm, SettingsForm
from app.members.models import User
from app.members.notifications import mark_all_read
from app.members.queries import mention_suggestions, notifications_of
from app.uploads.queries import upload_named
from app.uploads.services import image_response, stored_path

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
    avatar_form = AvatarForm()
    if (avatar_form.submit_avatar.data or avatar_form.remove_avatar.data) and avatar_form.validate_on_submit():
        if _change_avatar(avatar_form):
            return redirect(url_for("members.settings"))
    elif form.submit.data and form.validate_on_submit():
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
    return render_template("members/settings.html", form=form, password_form=password_form, avatar_form=avatar_form)


def _change_avatar(avatar_form: AvatarForm) -> bool:
    """Upload a new avatar or go back to the generated one; False (with the error on the form) when refused."""
    user = current_user._get_current_object()
    if avatar_form.remove_avatar.data:
        avatars.remove_avatar(user, by=user)
        db.session.commit()
        flash(_("You now have the generated avatar."), "success")
        return True
    if not avatar_form.avatar.data or not getattr(avatar_form.avatar.data, "filename", ""):
        avatar_form.avatar.errors = [_("Choose a picture first.")]
        return False
    if attempt(lambda: avatars.set_avatar(user, avatar_form.avatar.data), avatar_form):
        flash(_("Your avatar is saved."), "success")
        return True
    return False


@bp.route("/u/<int:user_id>/avatar")
def avatar(user_id: int):
    """A member's avatar: their uploaded picture, else the generated one (never derived from their email)."""
    user = db.get_or_404(User, user_id)
    upload = upload_named(user.avatar_name) if user.avatar_name else None
    if upload is not None and stored_path(upload).is_file():
        response = image_response(stored_path(upload), upload.content_type)
    else:
        response = make_response(avatars.generated_avatar(user))
        response.mimetype = "image/svg+xml"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["Cache-Control"] = "private, max-age=600"
    return response


@bp.route("/members/suggest")
@limiter.limit("60 per minute", key_func=member_key)
def mention_suggest():
    """Members whose name starts with ``q``, for the @mention completion (JSON: id, name, avatar URL)."""
    prefix = (request.args.get("q") or "")[:40]
    if len(prefix.strip()) < 1:
        return jsonify(members=[])
    return jsonify(members=[{"id": user_id, "name": name, "avatar": url_for("members.avatar", user_id=user_id)}
                            for user_id, name in mention_suggestions(prefix)])


@bp.route("/notifications")
def notifications():
    """The member's notifications, newest first; unread ones are highlighted."""
    page = notifications_of(current_user, per_page=30)
    return render_template("members/notifications.html", page=page)


@bp.route("/notifications/read", methods=["POST"])
def notifications_read():
    """Mark every notification as read."""
    if ConfirmForm().validate_on_submit():
        mark_all_read(current_user.id)
        db.session.commit()
    return redirect(url_for("members.notifications"))
