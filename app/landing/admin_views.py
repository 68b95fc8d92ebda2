"""Admin settings for the hot ranking, with a live preview of the scores and their components."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import FloatField, IntegerField, SubmitField
from wtforms.validators import NumberRange

from app import audit
from app.core.areas import admin_area as bp
from app.core.settings import set_setting
from app.db import utcnow
from app.extensions import db
from app.landing.hot import hot_setting, thread_heat


class HotSettingsForm(FlaskForm):
    gravity = FloatField(_l("Gravity"), validators=[NumberRange(min=0.1, max=5)])
    window_days = IntegerField(_l("Window (days)"), validators=[NumberRange(min=1, max=90)])
    panel_size = IntegerField(_l("Items per panel"), validators=[NumberRange(min=3, max=50)])
    submit = SubmitField(_l("Save settings"))


@bp.route("/hot", methods=["GET", "POST"])
def hot_settings():
    """Gravity, window and panel sizes; the preview ranks threads with the values in the form."""
    current = {"gravity": hot_setting("hot.gravity"), "window_days": hot_setting("hot.window_days"),
               "panel_size": hot_setting("hot.panel_size")}
    form = HotSettingsForm(data=current if request.method == "GET" else None)
    if form.validate_on_submit():
        values = {"hot.gravity": form.gravity.data, "hot.window_days": form.window_days.data,
                  "hot.panel_size": form.panel_size.data}
        for key, value in values.items():
            set_setting(key, value, by=current_user)
        audit.record(current_user, "settings.hot", None, before=current, after=values)
        db.session.commit()
        flash(_("Settings saved. The landing page uses them from its next refresh."), "success")
        return redirect(url_for("admin.hot_settings"))
    gravity = form.gravity.data if form.gravity.data and not form.gravity.errors else current["gravity"]
    window = form.window_days.data if form.window_days.data and not form.window_days.errors else current["window_days"]
    preview = thread_heat(utcnow(), gravity=gravity, window_days=window)[:30]
    return render_template("admin/hot_settings.html", form=form, preview=preview)
