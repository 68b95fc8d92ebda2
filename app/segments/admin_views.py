"""Admin: define segment attributes and their values, set a member's values, import values from CSV."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.core.areas import admin_area as bp
from app.core.forms import ConfirmForm, attempt
from app.extensions import db
from app.members.queries import find_user_by_email
from app.segments import queries, services
from app.segments.forms import AttributeForm, ImportForm, chosen_values, values_form
from app.segments.models import SegmentAttribute


def _save(form: AttributeForm, attribute: SegmentAttribute | None) -> SegmentAttribute | None:
    ok, saved = attempt(lambda: services.save_attribute(
        attribute, by=current_user, key=form.key.data, label=form.label.data, values=form.values.data.splitlines(),
        member_editable=form.member_editable.data, position=form.position.data), form)
    if ok:
        flash(_("Attribute saved."), "success")
    return saved


@bp.route("/segments", methods=["GET", "POST"])
def segment_list():
    """Segment attributes with how many members answered each; add a new one; import from CSV."""
    form = AttributeForm()
    if form.submit.data and form.validate_on_submit() and _save(form, None):
        return redirect(url_for("admin.segment_list"))
    return _list_page(form, ImportForm(formdata=None), None)


def _list_page(form: AttributeForm, import_form: ImportForm, import_result):
    return render_template("admin/segments.html", attributes=services.attributes(), counts=queries.member_counts(),
                           form=form,
                           import_form=import_form, import_result=import_result)


@bp.route("/segments/<int:attribute_id>", methods=["GET", "POST"])
def segment_edit(attribute_id: int):
    """Change an attribute's label and allowed values (values still held cannot be removed), or delete it."""
    attribute = db.get_or_404(SegmentAttribute, attribute_id)
    # Not obj=attribute: its ``values`` are rows, which the form would take for its text when a request leaves
    # the field out.
    form = AttributeForm(data={"key": attribute.key, "label": attribute.label, "position": attribute.position,
                               "member_editable": attribute.member_editable,
                               "values": "\n".join(v.value for v in attribute.values)})
    if form.validate_on_submit() and _save(form, attribute):
        return redirect(url_for("admin.segment_list"))
    return render_template("admin/segment_edit.html", form=form, attribute=attribute)


@bp.route("/segments/<int:attribute_id>/delete", methods=["POST"])
def segment_delete(attribute_id: int):
    """Delete an attribute and every member's value for it."""
    attribute = db.get_or_404(SegmentAttribute, attribute_id)
    if ConfirmForm().validate_on_submit():
        services.delete_attribute(attribute, by=current_user)
        db.session.commit()
        flash(_("Attribute deleted."), "success")
    return redirect(url_for("admin.segment_list"))


@bp.route("/segments/import", methods=["POST"])
def segment_import():
    """Import members' values from a CSV: all lines are checked first; any error means nothing is applied."""
    form = ImportForm()
    result = None
    if form.validate_on_submit():
        upload = request.files.get("file")
        data = upload.read(5 * 1024 * 1024 + 1) if upload else b""
        if len(data) > 5 * 1024 * 1024:
            form.file.errors = [_("The file is larger than 5 MB; use `flask members import-attributes`.")]
        else:
            result = services.import_csv(data, by=current_user)
            if not result.errors:
                db.session.commit()
                flash(_("Imported %(rows)s: %(changed)s.",
                        rows=ngettext("%(num)d row", "%(num)d rows", result.rows),
                        changed=ngettext("%(num)d value changed", "%(num)d values changed", result.changed)),
                      "success")
                return redirect(url_for("admin.segment_list"))
            db.session.rollback()
    return _list_page(AttributeForm(formdata=None), form, result)


@bp.route("/segments/member", methods=["GET", "POST"])
def segment_member():
    """Find a member by email and set their value for every attribute."""
    email = (request.args.get("email") or "").strip()
    member = find_user_by_email(email) if email else None
    form = values_form(services.attributes(), services.values_of(member)) if member else None
    if member and form.validate_on_submit() and attempt(
            lambda: services.set_values(member, chosen_values(form), by=current_user, source="admin"), form):
        flash(_("Values saved for %(name)s.", name=member.display_name), "success")
        return redirect(url_for("admin.segment_member", email=member.email))
    return render_template("admin/segment_member.html", email=email, member=member, form=form,
                           not_found=bool(email) and member is None)
