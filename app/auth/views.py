"""Log in and out, accept an invitation, reset a password; and the invitations area for hosts."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.auth import emails, queries, services
from app.auth.forms import AcceptInvitationForm, InviteForm, LoginForm, ResetPasswordForm, ResetRequestForm
from app.auth.models import Invitation
from app.auth.two_factor_session import begin_sign_in, drop_csrf_secret
from app.core.dates import format_moment
from app.core.exceptions import DomainError
from app.core.forms import ConfirmForm, attempt, show_domain_error
from app.core.params import paginate
from app.extensions import db, limiter
from app.i18n import select_locale
from app.members.accounts import change_password
from app.security.guards import ensure, guard_area, is_safe_next
from app.security.policy import can_invite
from app.security.roles import Permission
from app.segments.forms import chosen_values, with_segment_fields
from app.segments.services import attributes

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_account_key() -> str:
    return "login-account:" + services.normalise_email(request.form.get("email", ""))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, key_func=_login_account_key, methods=["POST"])
def login():
    """Log in with email and password."""
    nxt = request.args.get("next")
    if current_user.is_authenticated:
        return redirect(nxt if is_safe_next(nxt) else url_for("forum.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.form_errors.append(_("That email and password do not match an account."))
        elif user.is_suspended:
            until = (_("until %(when)s", when=format_moment(user.suspended_until))
                     if user.suspended_until else _("until further notice"))
            form.form_errors.append(
                _("Your account is suspended %(until)s. Reason: %(reason)s", until=until,
                  reason=user.suspend_reason or _("none given"))
            )
        else:  # logged in now, or after the second factor when the account has one
            return begin_sign_in(user, remember=form.remember.data, nxt=nxt)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out (POST only, with a CSRF token); the new session token kills copied session and remember cookies."""
    if ConfirmForm().validate_on_submit():
        if current_user.is_authenticated:
            current_user.rotate_session_token()
            db.session.commit()
        logout_user()
        flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


def _consent_version(value: str | None) -> int:
    """The consent version the form was shown with; anything but a number is no version (the service then
    asks the member to read the current text again, as for an outdated one)."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else 0


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token: str):
    """Accept an invitation: choose a display name and password and agree to the consent text."""
    invitation = services.find_invitation(token)
    if current_user.is_authenticated:
        flash(_("You are already a member."), "info")
        return redirect(url_for("forum.index"))
    if invitation is None or not invitation.is_usable:
        return render_template("auth/invite_invalid.html", invitation=invitation), 410
    consent = services.current_consent()
    form = _invitation_form()
    if request.method == "GET" and consent:
        form.consent_version.data = str(consent.version)
    if consent and form.validate_on_submit():
        try:
            version = _consent_version(form.consent_version.data)
            user = services.accept_invitation(invitation, display_name=form.display_name.data,
                                              password=form.password.data, consent_version=version,
                                              locale=_locale_of_request(), segment_values=chosen_values(form))
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
            form.consent_version.data = str(consent.version)
        else:
            db.session.commit()
            drop_csrf_secret()
            login_user(user)
            flash(_("Welcome to the community, %(name)s!", name=user.display_name), "success")
            return redirect(url_for("forum.index"))
    return render_template("auth/accept_invite.html", form=form, invitation=invitation, consent=consent)


def _invitation_form() -> AcceptInvitationForm:
    """The registration form, with a select for each segment question members answer themselves."""
    return with_segment_fields(AcceptInvitationForm, [a for a in attributes() if a.member_editable])()


def _locale_of_request() -> str | None:
    return select_locale()


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def reset_request():
    """Ask for a password reset link; the answer is the same whether or not the email is registered."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(form.email.data)
        if user is not None and not user.is_suspended:  # queued, never sent here: the answer takes no longer
            emails.queue_password_reset(user, services.make_reset_token(user))
            db.session.commit()
        flash(_("If that email belongs to an account, a reset link is on its way."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_confirm(token: str):
    """Set a new password from a reset link (single use: the link dies with the old password)."""
    user = services.user_for_reset_token(token)
    if user is None:
        flash(_("This reset link is invalid or has expired. Ask for a new one."), "error")
        return redirect(url_for("auth.reset_request"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            change_password(user, form.password.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Your password is set. Please log in."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_confirm.html", form=form)


invites_bp = Blueprint("invites", __name__, url_prefix="/invitations")
guard_area(invites_bp, Permission.INVITE)


def _say_queued(invitation: Invitation, url: str, *, again: bool) -> None:
    """The invitation and its email are committed together; the send_mail job delivers it within a minute.

    Without a mail server the message only reaches the console and instance/outbox/, so the host who made it
    sees the link here to pass on themselves."""
    if not current_app.config.get("MAIL_SERVER"):
        flash(_("No mail server is configured, so no email went out. Send %(email)s this link yourself: %(url)s",
                email=invitation.email, url=url), "info")
    elif again:
        flash(_("The invitation to %(email)s is queued again; the email goes out within a minute.",
                email=invitation.email), "success")
    else:
        flash(_("The invitation to %(email)s is queued; the email goes out within a minute.",
                email=invitation.email), "success")


@invites_bp.route("/", methods=["GET", "POST"])
def invitation_list():
    """List invitations and invite someone new (the invitation and its queued email in one commit)."""
    form = InviteForm()
    if form.validate_on_submit():
        def invite():
            invitation, token = services.create_invitation(form.email.data, role=form.role.data, by=current_user)
            return invitation, emails.queue_invitation(invitation, token)

        ok, created = attempt(invite, form)
        if ok:
            _say_queued(*created, again=False)
            return redirect(url_for("invites.invitation_list"))
    page = paginate(queries.invitations_newest_first(), per_page=50, error_out=False)
    troubles = queries.invitation_mail_troubles([inv.id for inv in page.items])
    return render_template("invites/invitation_list.html", form=form, page=page, confirm=ConfirmForm(),
                           troubles=troubles)


@invites_bp.route("/<int:invitation_id>/resend", methods=["POST"])
def invitation_resend(invitation_id: int):
    """Send an invitation again with a fresh link (the renewal and its queued email in one commit)."""
    invitation = db.get_or_404(Invitation, invitation_id)
    ensure(can_invite(current_user, invitation.role))
    if ConfirmForm().validate_on_submit():
        ok, url = attempt(lambda: emails.queue_invitation(
            invitation, services.renew_invitation_token(invitation, by=current_user)))
        if ok:
            _say_queued(invitation, url, again=True)
    return redirect(url_for("invites.invitation_list"))


@invites_bp.route("/<int:invitation_id>/revoke", methods=["POST"])
def invitation_revoke(invitation_id: int):
    """Revoke an open invitation so its link stops working."""
    invitation = db.get_or_404(Invitation, invitation_id)
    ensure(can_invite(current_user, invitation.role))
    if ConfirmForm().validate_on_submit() and services.revoke_invitation(invitation, by=current_user):
        emails.withdraw_invitation_emails(invitation, "The invitation was revoked.")
        db.session.commit()
        flash(_("Invitation to %(email)s revoked.", email=invitation.email), "success")
    return redirect(url_for("invites.invitation_list"))
