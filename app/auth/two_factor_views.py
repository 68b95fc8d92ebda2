"""Two-factor sign-in pages: the code step of signing in, enrolment and settings, and the admin's controls.

Routes hang on the auth and admin blueprints; a hook keeps staff who must enrol on the enrolment page.
"""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import two_factor
from app.auth.two_factor_forms import (
    DisableTwoFactorForm,
    EnableTwoFactorForm,
    RegenerateCodesForm,
    SignInSettingsForm,
    TwoFactorCodeForm,
)
from app.auth.two_factor_session import PENDING_KEY, clear_pending, complete_login, pending_sign_in
from app.auth.views import bp
from app.core.areas import admin_area as admin_bp
from app.core.forms import ConfirmForm, attempt
from app.extensions import db, limiter, member_key
from app.members.models import User

# What a staff member who must enrol can still reach.
ENROLMENT_ENDPOINTS = frozenset({"auth.two_factor_settings", "auth.two_factor_enable", "auth.logout", "static",
                                 "core.healthz", "core.web_manifest"})


def _code_limit() -> str:
    return current_app.config["TWO_FACTOR_RATE_LIMIT"]


def _pending_account_key() -> str:
    pending = session.get(PENDING_KEY)
    user_id = pending.get("user_id") if isinstance(pending, dict) else None
    return f"two-factor-account:{user_id}" if user_id else f"two-factor-address:{request.remote_addr}"


def _audit_limit_hit(_limit) -> None:
    """Record a rate-limit hit on a code form in the audit log (its own small transaction: the request stops
    here with a 429, so no view runs to commit it)."""
    pending = pending_sign_in()
    user = pending["user"] if pending else (current_user if current_user.is_authenticated else None)
    if user is not None:
        two_factor.record_failed_attempt(user, where="rate_limit")
        db.session.commit()


@bp.before_app_request
def _staff_enrol_first():
    """Staff who must use two-factor sign-in and have not set it up can reach only the enrolment page."""
    if not current_user.is_authenticated or request.endpoint in ENROLMENT_ENDPOINTS:
        return None
    if two_factor.needs_enrolment(current_user):
        flash(_("This community asks staff to set up two-factor sign-in before going on."), "info")
        return redirect(url_for("auth.two_factor_settings"))
    return None


@bp.app_template_global("two_factor_enrolled")
def _two_factor_enrolled(user: User) -> bool:
    """For templates (the admin's member page): whether this member has two-factor sign-in on."""
    return two_factor.is_enrolled(user)


@bp.route("/login/two-factor", methods=["GET", "POST"])
@limiter.limit(_code_limit, methods=["POST"], on_breach=_audit_limit_hit)
@limiter.limit(_code_limit, key_func=_pending_account_key, methods=["POST"], on_breach=_audit_limit_hit)
def two_factor_verify():
    """The second step of signing in: a code from the member's app, or one of their recovery codes."""
    if current_user.is_authenticated:
        return redirect(url_for("forum.index"))
    pending = pending_sign_in()
    if pending is None:
        clear_pending()
        flash(_("Your sign-in has expired. Please log in again."), "info")
        return redirect(url_for("auth.login"))
    form = TwoFactorCodeForm()
    if form.validate_on_submit():
        user = pending["user"]
        if two_factor.verify_second_factor(user, form.code.data):
            db.session.commit()
            return complete_login(user, remember=pending["remember"], nxt=pending["next"])
        db.session.rollback()
        two_factor.record_failed_attempt(user, where="sign_in")
        db.session.commit()
        form.code.errors = [_("That code is not right, or it was already used. Enter the newest code from your "
                              "app, or an unused recovery code.")]
    return render_template("auth/two_factor_verify.html", form=form)


def _setup_page(form: EnableTwoFactorForm):
    record = two_factor.pending_enrolment(current_user)
    db.session.commit()
    uri = two_factor.provisioning_uri(current_user, record)
    return render_template("auth/two_factor_setup.html", form=form, secret=record.secret,
                           qr_svg=two_factor.qr_svg(uri), required=two_factor.needs_enrolment(current_user))


@bp.route("/settings/two-factor")
def two_factor_settings():
    """Two-factor sign-in in Settings: enrol (QR code and secret), or manage it once it is on."""
    if not two_factor.is_enrolled(current_user):
        return _setup_page(EnableTwoFactorForm())
    return render_template("auth/two_factor_status.html", record=two_factor.two_factor_of(current_user),
                           remaining=two_factor.remaining_recovery_codes(current_user),
                           regenerate_form=RegenerateCodesForm(prefix="regenerate"),
                           disable_form=DisableTwoFactorForm(prefix="disable"),
                           can_disable=not two_factor.needs_enrolment_if_removed(current_user))


def _codes_page(codes: list[str]):
    return render_template("auth/two_factor_recovery_codes.html", codes=codes)


def _failed(form, where: str) -> None:
    """Audit a wrong code or password on a settings form (the form already carries the message)."""
    if form.errors:
        two_factor.record_failed_attempt(current_user, where=where)
        db.session.commit()


@bp.route("/settings/two-factor/enable", methods=["POST"])
@limiter.limit(_code_limit, key_func=member_key)
def two_factor_enable():
    """Switch two-factor sign-in on with a first code from the app; shows the recovery codes once."""
    form = EnableTwoFactorForm()
    if two_factor.is_enrolled(current_user):
        return redirect(url_for("auth.two_factor_settings"))
    if form.validate_on_submit():
        ok, codes = attempt(lambda: two_factor.confirm_enrolment(current_user, form.code.data), form)
        if ok:
            return _codes_page(codes)
        _failed(form, "enable")
    return _setup_page(form)


@bp.route("/settings/two-factor/recovery-codes", methods=["POST"])
@limiter.limit(_code_limit, key_func=member_key)
def two_factor_regenerate():
    """Replace the recovery codes (needs a current code or the password); shows the new ones once."""
    form = RegenerateCodesForm(prefix="regenerate")
    if form.validate_on_submit():
        ok, codes = attempt(lambda: two_factor.regenerate_recovery_codes(current_user, form.code.data), form)
        if ok:
            return _codes_page(codes)
        _failed(form, "recovery_codes")
        flash(" ".join(form.code.errors) or _("Nothing to change."), "error")
    return redirect(url_for("auth.two_factor_settings"))


@bp.route("/settings/two-factor/disable", methods=["POST"])
@limiter.limit(_code_limit, key_func=member_key)
def two_factor_disable():
    """Switch two-factor sign-in off (needs a current code or the password)."""
    form = DisableTwoFactorForm(prefix="disable")
    if form.validate_on_submit():
        if attempt(lambda: two_factor.disable(current_user, form.code.data), form):
            flash(_("Two-factor sign-in is off."), "success")
            return redirect(url_for("members.settings"))
        _failed(form, "disable")
        flash(" ".join(form.code.errors + form.form_errors), "error")
    return redirect(url_for("auth.two_factor_settings"))


@admin_bp.route("/users/<int:user_id>/two-factor/reset", methods=["POST"])
def user_two_factor_reset(user_id: int):
    """Remove a member's second factor (e.g. a lost phone) so they can enrol again; audited."""
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit() and attempt(lambda: two_factor.admin_reset(user, by=current_user)):
        flash(_("Two-factor sign-in for %(name)s is reset.", name=user.display_name), "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@admin_bp.route("/sign-in", methods=["GET", "POST"])
def sign_in_settings():
    """The community's sign-in rules: whether staff must use two-factor sign-in."""
    form = SignInSettingsForm(data={"require_staff": two_factor.staff_must_enrol()}
                              if request.method == "GET" else None)
    if form.validate_on_submit():
        ok, changed = attempt(lambda: two_factor.set_staff_requirement(bool(form.require_staff.data),
                                                                       by=current_user), form)
        if ok:
            flash(_("Settings saved.") if changed else _("Nothing to change."), "success" if changed else "info")
            return redirect(url_for("admin.sign_in_settings"))
    return render_template("admin/sign_in_settings.html", form=form)
