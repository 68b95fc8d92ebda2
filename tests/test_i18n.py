"""The UI in English and Simplified Chinese: a complete, compiled catalogue, and locale selection."""
from __future__ import annotations

import re

import pytest

from app.i18n_cli import extract_catalog, problems, read_catalog

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def test_every_message_has_a_zh_hans_translation_and_the_mo_is_compiled():
    assert problems("zh_Hans") == []


def test_translations_keep_every_placeholder():
    catalog = read_catalog("zh_Hans")
    wrong = []
    for message in extract_catalog():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        translated = catalog.get(message.id)
        strings = translated.string if isinstance(translated.string, tuple) else (translated.string,)
        expected = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for text in strings:
            if set(PLACEHOLDER.findall(text)) - expected or not set(PLACEHOLDER.findall(ids[0])) <= \
                    set(PLACEHOLDER.findall(text)):
                wrong.append((ids[0], text))
    assert wrong == []


def test_member_with_zh_hans_setting_sees_the_chinese_ui(app, member, db, thread_factory):
    from tests.conftest import login_as

    member.locale = "zh_Hans"
    db.session.commit()
    thread_factory(title="Lipstick")
    page = login_as(app.test_client(), member).get("/threads" if _has_threads_route(app) else "/")
    text = page.get_data(as_text=True)
    assert "退出登录" in text and "社区" in text and 'lang="zh-Hans"' in text


def _has_threads_route(app) -> bool:
    return any(rule.rule == "/threads" for rule in app.url_map.iter_rules())


def test_login_page_follows_accept_language(client):
    chinese = client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}).get_data(as_text=True)
    english = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert "本社区为私密社区" in chinese and "登录" in chinese
    assert "This community is private" in english


def test_member_setting_wins_over_accept_language(app, member, db):
    from tests.conftest import login_as

    member.locale = "en"
    db.session.commit()
    page = login_as(app.test_client(), member).get("/settings", headers={"Accept-Language": "zh-CN"})
    assert "Settings" in page.get_data(as_text=True)


def test_switching_language_in_settings_shows_chinese(member_client, member):
    response = member_client.post("/settings", data={"display_name": member.display_name, "locale": "zh_Hans",
                                                     "timezone": "Asia/Shanghai", "submit": "1"})
    assert response.status_code == 302
    assert "设置已保存" in member_client.get("/settings").get_data(as_text=True)


def test_wtforms_own_messages_follow_the_language_of_the_moment(app):
    from flask import request
    from flask_babel import force_locale
    from flask_wtf import FlaskForm
    from wtforms import StringField
    from wtforms.validators import DataRequired

    class NameForm(FlaskForm):
        name = StringField("Name", validators=[DataRequired()])

    with app.test_request_context("/", method="POST", data={"name": ""}):
        app.preprocess_request()
        assert request.wtforms_translations is not None  # shared: Flask-WTF does not read the file again
        with force_locale("zh_Hans"):
            form = NameForm()
            assert not form.validate()
            assert form.name.errors == ["该字段是必填字段。"]
        with force_locale("en"):
            form = NameForm()
            form.validate()
            assert form.name.errors == ["This field is required."]


def test_the_quick_locale_lookup_follows_force_locale_and_refresh(app, member, db):
    from flask_babel import force_locale, get_locale, get_timezone, refresh
    from flask_login import login_user

    from app.core.babel_internals import current_locale, current_timezone

    member.locale, member.timezone = "zh_Hans", "Asia/Shanghai"
    db.session.commit()
    with app.test_request_context("/"):
        login_user(member)
        assert str(current_locale()) == "zh_Hans" and current_locale() is get_locale()
        assert str(current_timezone()) == "Asia/Shanghai" and current_timezone() is get_timezone()
        with force_locale("en"):
            assert str(current_locale()) == "en"
        assert str(current_locale()) == "zh_Hans"
        member.locale = "en"
        refresh()
        assert str(current_locale()) == "en"


@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai", "America/New_York", "Australia/Lord_Howe"])
def test_dates_on_pages_read_exactly_as_babel_writes_them(app, member, db, locale, zone):
    """format_when memoises the date and the time of day apart; the text must be Babel's, DST changes included."""
    from datetime import UTC, datetime, timedelta

    from flask_babel import format_datetime
    from flask_login import login_user

    from app.core.dates import format_when

    member.locale, member.timezone = locale, zone
    db.session.commit()
    start = datetime(2026, 3, 7, 22, 17, 41, tzinfo=UTC)  # US, Lord Howe and no-DST zones around their changes
    moments = [start + timedelta(minutes=97 * i, seconds=13 * i) for i in range(400)]
    moments += [datetime(2026, 11, 1, 5, 30, tzinfo=UTC), datetime(2026, 4, 4, 15, 15, tzinfo=UTC)]
    moments += [m.replace(microsecond=137 * i) for i, m in enumerate(moments[:50])]  # fractions of a second
    moments += [m.replace(tzinfo=None) for m in moments[:50]]  # naive values are UTC, as Flask-Babel reads them
    with app.test_request_context("/"):
        login_user(member)
        for fmt in ("short", "medium", "long", "full", "yyyy-MM"):
            for moment in moments:
                assert format_when(moment, fmt) == format_datetime(moment, fmt), (fmt, moment)
        assert format_when(None) == ""
