"""One date policy on every page: medium date and short time, in the member's language and time zone (issue 17)."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask_login import login_user

from app.core.dates import format_day, format_moment, format_month, machine_time

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
MOMENT = datetime(2026, 12, 4, 18, 54, 37, 123456, tzinfo=UTC)


@pytest.mark.parametrize(("locale", "zone", "moment", "day", "month"), [
    ("en", "UTC", "Dec 4, 2026, 6:54\u202fPM", "Dec 4, 2026", "Dec 2026"),
    ("en", "Asia/Shanghai", "Dec 5, 2026, 2:54\u202fAM", "Dec 5, 2026", "Dec 2026"),
    ("zh_Hans", "Asia/Shanghai", "2026年12月5日 02:54", "2026年12月5日", "2026年12月"),
])
def test_moments_days_and_months_follow_the_members_language_and_zone(app, db, member, locale, zone, moment, day,
                                                                     month):
    member.locale, member.timezone = locale, zone
    db.session.commit()
    with app.test_request_context("/"):
        login_user(member)
        assert format_moment(MOMENT) == moment
        assert format_moment(MOMENT, "short") == moment  # an older template's own format is not honoured
        assert format_day(MOMENT) == day and format_month(MOMENT) == month
        assert format_day(date(2026, 12, 5)) == day.replace("4", "5")
        assert format_moment(None) == format_day(None) == format_month(None) == ""


def test_time_element_values_are_utc_to_the_second():
    assert machine_time(MOMENT) == "2026-12-04T18:54:37Z"
    assert machine_time(MOMENT.replace(tzinfo=None)) == "2026-12-04T18:54:37Z"


def test_templates_ask_for_no_format_of_their_own():
    """Pages use |datetime, |date, |month or |ago, never a pattern of their own or a raw isoformat()."""
    offenders = [f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
                 for path in TEMPLATES.rglob("*.html")
                 for match in re.finditer(r"\|datetime\([^)]*\)|\.isoformat\(\)|\.strftime\(", path.read_text())]
    assert not offenders, offenders
