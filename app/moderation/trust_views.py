"""The hosts' page for a member's trust level: what they have earned, and a form to set it (audited)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional

from app.core.areas import moderation_area as bp
from app.core.forms import attempt
from app.db import utcnow
from app.extensions import db
from app.members.models import User
from app.moderation.trust import TRUST_LABELS, TrustLevel, accepted_posts, earned_level, set_trust_level
from app.security.guards import is_safe_next

RELEASE = "-1"


class TrustLevelForm(FlaskForm):
    level = SelectField(_l("Trust level"), choices=[])
    reason = StringField(_l("Reason (kept in the audit log)"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Set trust level"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.level.choices = [(str(int(level)), str(TRUST_LABELS[level])) for level in TrustLevel] + \
            [(RELEASE, str(_l("Let it be earned again")))]


@bp.route("/users/<int:user_id>/trust", methods=["GET", "POST"])
def user_trust(user_id: int):
    """A member's trust level: earned from accepted posts and time, or set by a host."""
    user = db.get_or_404(User, user_id)
    form = TrustLevelForm(data={"level": str(user.trust_level)} if request.method == "GET" else None)
    if form.validate_on_submit():
        ok, changed = attempt(lambda: set_trust_level(user, int(form.level.data), by=current_user,
                                                      reason=form.reason.data), form)
        if ok:
            flash(_("Trust level saved.") if changed else _("Nothing to change."), "success" if changed else "info")
            back = request.args.get("back")
            return redirect(back if is_safe_next(back) else url_for("moderation.user_trust", user_id=user.id))
    now = utcnow()
    return render_template("moderation/user_trust.html", user=user, form=form, level=TrustLevel(user.trust_level),
                           earned=earned_level(user, now), accepted=accepted_posts(user), labels=TRUST_LABELS)
