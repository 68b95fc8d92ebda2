"""The admin area: categories, members and roles, the consent text."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin import queries, services
from app.admin.forms import CategoryForm, ConsentForm
from app.auth.services import current_consent, publish_consent
from app.core.areas import admin_area as bp
from app.core.forms import ConfirmForm, attempt, choices
from app.core.keyset import cursors_from_request, keyset_page
from app.extensions import db
from app.forum.models import Category
from app.forum.queries import categories_in_order
from app.members import services as member_services
from app.members.forms import RoleForm, SuspendForm
from app.members.models import User
from app.members.queries import people
from app.moderation import curation
from app.security.roles import Role


@bp.route("/")
def dashboard():
    """Community figures and recent admin activity."""
    return render_template("admin/dashboard.html", figures=queries.community_figures(),
                           events=queries.recent_audit_events())


@bp.route("/categories")
def category_list():
    """All categories in their display order."""
    return render_template("admin/category_list.html", categories=categories_in_order())


@bp.route("/categories/new", methods=["GET", "POST"])
@bp.route("/categories/<int:category_id>/edit", methods=["GET", "POST"])
def category_edit(category_id: int | None = None):
    """Create or change a category: name, description and order."""
    category = db.get_or_404(Category, category_id) if category_id else None
    form = CategoryForm(obj=category)
    if form.validate_on_submit() and attempt(lambda: services.save_category(
            category, by=current_user, name=form.name.data, description=form.description.data,
            position=form.position.data, is_inquiry=form.is_inquiry.data), form):
        flash(_("Category saved."), "success")
        return redirect(url_for("admin.category_list"))
    return render_template("admin/category_edit.html", form=form, category=category)


USERS_PER_PAGE = 50


@bp.route("/users")
def user_list():
    """Everyone in the community, newest first, filterable by role and name or email; paged by keyset (newer and
    older links), so no page counts or skips the million members before it."""
    role, q = request.args.get("role"), (request.args.get("q") or "").strip()
    page = keyset_page(people(role, q, ordered=False), User.created_at, User.id, per_page=USERS_PER_PAGE,
                       **cursors_from_request())
    return render_template("admin/user_list.html", page=page, role=role, q=q, roles=list(Role))


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user_detail(user_id: int):
    """One member: change the role and persona, suspend or lift a suspension."""
    user = db.get_or_404(User, user_id)
    role_form = RoleForm(obj=user)
    role_form.role.choices = choices((r.value, r.label) for r in Role)
    suspend_form = SuspendForm()
    if role_form.submit_role.data and role_form.validate_on_submit():
        if attempt(lambda: member_services.set_role(user, role_form.role.data, by=current_user,
                                                    host_persona=role_form.host_persona.data), role_form):
            flash(_("Role saved."), "success")
            return redirect(url_for("admin.user_detail", user_id=user.id))
    elif suspend_form.submit.data and suspend_form.validate_on_submit() and attempt(
            lambda: curation.suspend_member(user, by=current_user, reason=suspend_form.reason.data,
                                            days=int(suspend_form.days.data) or None),  # audited and notified
            suspend_form):
        flash(_("%(name)s is suspended.", name=user.display_name), "success")
        return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template("admin/user_detail.html", user=user, role_form=role_form,
                           suspend_form=suspend_form, confirm=ConfirmForm())


@bp.route("/users/<int:user_id>/unsuspend", methods=["POST"])
def user_unsuspend(user_id: int):
    """Lift a member's suspension."""
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit() and curation.unsuspend_member(user, by=current_user):
        db.session.commit()
        flash(_("%(name)s may log in again.", name=user.display_name), "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/consent", methods=["GET", "POST"])
def consent():
    """Read the current consent text and publish a new version."""
    current = current_consent()
    form = ConsentForm(data={"body": current.body} if current and request.method == "GET" else None)
    if form.validate_on_submit():
        ok, doc = attempt(lambda: publish_consent(form.body.data, by=current_user), form)
        if ok:
            flash(_("Consent version %(v)d is published.", v=doc.version), "success")
            return redirect(url_for("admin.consent"))
    return render_template("admin/consent.html", form=form, current=current)
