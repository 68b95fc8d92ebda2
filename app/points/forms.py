"""Forms for hosts (grant or take back points, VIP) and for admins (points and leaderboard settings)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from app.core.fields import WholeNumberField
from app.core.forms import choices
from app.points.leaderboard import MODES


class AdjustPointsForm(FlaskForm):
    direction = RadioField(_l("Action"), default="grant", choices=choices([
        ("grant", _l("Grant points")), ("revoke", _l("Take points back"))]))
    amount = WholeNumberField(_l("Points"), validators=[InputRequired(), NumberRange(1, 10_000)])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
    submit_points = SubmitField(_l("Save"))


class VipForm(FlaskForm):
    vip_reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
    submit_vip = SubmitField(_l("Save"))


class PointsSettingsForm(FlaskForm):
    mode = RadioField(_l("Leaderboard"), choices=choices(MODES.items()))
    post = WholeNumberField(_l("Points for a reply"), validators=[InputRequired(), NumberRange(0, 100)])
    thread = WholeNumberField(_l("Points for starting a thread"), validators=[InputRequired(), NumberRange(0, 100)])
    post_daily_cap = WholeNumberField(_l("Most points from posting per day"),
                                      validators=[InputRequired(), NumberRange(0, 1000)])
    reply_received = WholeNumberField(_l("Points per member who replies to you (once per thread)"),
                                      validators=[InputRequired(), NumberRange(0, 100)])
    reply_received_daily_cap = WholeNumberField(_l("Most points from replies received per day"),
                                                validators=[InputRequired(), NumberRange(0, 1000)])
    poll_vote = WholeNumberField(_l("Points for answering a poll"), validators=[InputRequired(), NumberRange(0, 100)])
    submit = SubmitField(_l("Save settings"))
