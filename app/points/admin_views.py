"""Admin settings for points and the leaderboard (amounts, daily caps, who sees the leaderboard)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import audit
from app.core.areas import admin_area as bp
from app.core.settings import set_setting
from app.extensions import db
from app.members.levels import LEVELS
from app.points.forms import PointsSettingsForm
from app.points.rules import setting

FIELDS = {"mode": "leaderboard.mode", "post": "points.post", "thread": "points.thread",
          "post_daily_cap": "points.post_daily_cap", "reply_received": "points.reply_received",
          "reply_received_daily_cap": "points.reply_received_daily_cap", "poll_vote": "points.poll_vote"}


@bp.route("/points", methods=["GET", "POST"])
def points_settings():
    """Switch the leaderboard on, to "own rank only" or off; set posting points and their daily caps."""
    current = {name: setting(key) for name, key in FIELDS.items()}
    form = PointsSettingsForm(data=current if request.method == "GET" else None)
    if form.validate_on_submit():
        values = {key: form[name].data for name, key in FIELDS.items()}
        for key, value in values.items():
            set_setting(key, value, by=current_user)
        audit.record(current_user, "settings.points", None, before=current, after=values)
        db.session.commit()
        flash(_("Settings saved."), "success")
        return redirect(url_for("admin.points_settings"))
    return render_template("admin/points_settings.html", form=form, levels=LEVELS)
