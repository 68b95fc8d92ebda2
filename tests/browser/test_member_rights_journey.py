"""Browser journeys in Settings, in English and in Chinese: withdraw from research and take part again,
download one's data, delete one's account."""
from __future__ import annotations

import json
import re
import zipfile
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.db import utcnow
from app.rights.data_export import prepare_data_exports
from app.rights.erasure import erase_due_accounts
from tests.browser.tools import screenshot
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser

# What the member reads and clicks, per language.
TEXT = {
    "en": {"privacy": "Data and privacy settings", "withdraw": "Withdraw from research",
           "withdrawn": "You have withdrawn from research.", "agree": "I have read the consent text and agree",
           "take_part": "Take part in research", "again": "you are taking part in research again."},
    "zh": {"privacy": "数据与隐私设置", "withdraw": "退出研究", "withdrawn": "你已退出研究。",
           "agree": "我已阅读知情同意书，同意参与研究", "take_part": "参与研究", "again": "你已重新参与研究。"},
}


def sign_in(page, base_url: str, member, language: str) -> None:
    """Log in through the form; for Chinese, switch the member's language in Settings first."""
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".usernav")).to_contain_text(member.display_name)
    if language == "zh":
        page.goto(f"{base_url}/settings")
        page.get_by_label("Language").select_option(label="简体中文")
        page.get_by_role("button", name="Save settings").click()
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")


def open_privacy(page, base_url: str, language: str) -> None:
    page.goto(f"{base_url}/settings")
    page.get_by_role("link", name=TEXT[language]["privacy"]).click()
    expect(page).to_have_url(re.compile(r"/settings/privacy/$"))


@pytest.mark.parametrize("language", ["en", "zh"])
def test_member_withdraws_from_research_and_takes_part_again(page, base_url, db, user_factory, consent_factory,
                                                             language, artefacts):
    consent_factory()
    member = user_factory()
    text = TEXT[language]
    sign_in(page, base_url, member, language)
    open_privacy(page, base_url, language)

    page.get_by_role("button", name=text["withdraw"]).click()
    expect(page.get_by_text(text["withdrawn"])).to_be_visible()
    expect(page.locator(".consent-history li")).to_have_count(1)
    screenshot(page, artefacts / f"rights-withdrawn-{language}.png", full_page=True)

    page.get_by_role("button", name=text["take_part"]).click()  # without ticking the box: refused, explained
    expect(page.locator(".error")).to_be_visible()
    page.get_by_label(text["agree"]).check()
    page.get_by_role("button", name=text["take_part"]).click()
    expect(page.get_by_text(text["again"])).to_be_visible()
    expect(page.get_by_role("button", name=text["withdraw"])).to_be_visible()
    expect(page.locator(".consent-history li")).to_have_count(2)


DOWNLOAD_TEXT = {
    "en": {"prepare": "Prepare a copy of my data", "preparing": "We are preparing a copy of your data.",
           "download": "Download (until"},
    "zh": {"prepare": "准备我的数据副本", "preparing": "我们正在准备你的数据副本", "download": "下载（有效期至"},
}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_member_asks_for_their_data_and_downloads_the_zip(page, base_url, db, user_factory, language, tmp_path):
    member = user_factory()
    text = DOWNLOAD_TEXT[language]
    sign_in(page, base_url, member, language)
    open_privacy(page, base_url, language)
    page.get_by_role("button", name=text["prepare"]).click()
    expect(page.get_by_text(text["preparing"])).to_be_visible()

    assert prepare_data_exports(utcnow()) == 1  # the scheduled job's run
    db.session.commit()
    page.reload()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(re.escape(text["download"]))).click()
    saved = tmp_path / "my-data.zip"
    download_info.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        assert json.loads(archive.read("profile.json"))["display_name"] == member.display_name


DELETE_TEXT = {
    "en": {"password": "Your password", "understood": "I understand that my account cannot be restored",
           "delete": "Delete my account", "due": "Your account will be deleted on", "cancel": "Cancel the deletion",
           "kept": "Your account will not be deleted."},
    "zh": {"password": "你的密码", "understood": "我明白账号一经删除便无法恢复", "delete": "删除我的账号",
           "due": "你的账号将于", "cancel": "取消删除", "kept": "你的账号不会被删除。"},
}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_member_asks_to_delete_their_account_cancels_then_is_erased(page, base_url, db, user_factory, language,
                                                                     artefacts):
    member = user_factory()
    email, text = member.email, DELETE_TEXT[language]
    sign_in(page, base_url, member, language)
    open_privacy(page, base_url, language)

    page.get_by_label(text["password"]).fill(DEFAULT_PASSWORD)
    page.get_by_label(text["understood"]).check()
    page.get_by_role("button", name=text["delete"]).click()
    expect(page.locator(".erasure-status")).to_contain_text(text["due"])
    screenshot(page, artefacts / f"rights-deletion-pending-{language}.png", full_page=True)
    page.get_by_role("button", name=text["cancel"]).click()
    expect(page.get_by_text(text["kept"])).to_be_visible()

    page.get_by_label(text["password"]).fill(DEFAULT_PASSWORD)
    page.get_by_label(text["understood"]).check()
    page.get_by_role("button", name=text["delete"]).click()
    expect(page.locator(".erasure-status")).to_be_visible()
    assert erase_due_accounts(utcnow() + timedelta(days=8)) == 1  # the scheduled job, after the grace period
    db.session.commit()

    page.reload()
    expect(page).to_have_url(re.compile(r"/login"))  # the session ended with the account
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.locator(".usernav")).to_have_count(0)
