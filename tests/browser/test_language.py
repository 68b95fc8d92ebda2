"""Browser: a member switches the language to 简体中文 in the settings and gets the Chinese UI."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser
CATALOGUE = Path(__file__).resolve().parents[2] / "app" / "translations" / "zh_Hans" / "LC_MESSAGES" / "messages.mo"


def test_switching_the_language_to_simplified_chinese_shows_the_chinese_ui(page, base_url, db, user_factory):
    if not CATALOGUE.exists():
        pytest.skip(f"the zh_Hans catalogue is not compiled yet ({CATALOGUE.name} missing)")
    member = user_factory(display_name="Lin Yue")

    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Language").select_option(label="简体中文")
    page.get_by_role("button", name="Save settings").click()

    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", name="设置")).to_be_visible()
    expect(page.get_by_text("设置已保存。")).to_be_visible()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()

    page.goto(f"{base_url}/")                                  # the choice sticks on the next page
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
