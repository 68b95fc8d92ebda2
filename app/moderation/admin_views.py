"""Admin pages of the spam filter: its record over the last 30 days, and the domains whose links are allowed."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from app.core.areas import admin_area as bp
from app.core.forms import attempt
from app.db import utcnow
from app.moderation.filter_record import CLASSIFIER, filter_record
from app.moderation.filter_settings import save_allowed_domains
from app.moderation.spam import allowed_domains, setting


class AllowedDomainsForm(FlaskForm):
    domains = TextAreaField(_l("Allowed domains (one per line)"), validators=[Optional(), Length(max=20_000)])
    submit = SubmitField(_l("Save domains"))


@bp.route("/spam-filter", methods=["GET", "POST"])
def spam_filter():
    """The filter's record (held, quarantined, published; hosts' overrides; precision and recall) and its domains."""
    form = AllowedDomainsForm(data={"domains": "\n".join(setting("spam.allowed_domains"))}
                              if request.method == "GET" else None)
    if form.validate_on_submit():
        ok, changed = attempt(lambda: save_allowed_domains(form.domains.data, by=current_user), form)
        if ok:
            flash(_("Domains saved.") if changed else _("Nothing to change."), "success" if changed else "info")
            return redirect(url_for("admin.spam_filter"))
    return render_template("admin/spam_filter.html", record=filter_record(utcnow()), form=form,
                           classifier=CLASSIFIER, effective=allowed_domains())
