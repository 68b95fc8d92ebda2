"""Browser journey: a researcher adds, merges and blocks terms, edits a stop word, then reads the words page."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser


def test_researcher_curates_the_term_dictionary_and_reads_emerging_terms(page, base_url, db, user_factory):
    researcher = user_factory(role="researcher")
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(researcher.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{base_url}/research/terms")
    page.get_by_role("textbox", name="Term", exact=True).first.fill("ＶＣ精华")
    page.get_by_role("button", name="Add term").click()
    expect(page.get_by_role("cell", name="VC精华", exact=True)).to_be_visible()
    page.locator("#merge-variant").fill("vc精华")
    page.locator("#merge-into").fill("VC精华")
    page.get_by_role("button", name="Merge").click()
    expect(page.get_by_role("alert")).to_contain_text("same term already")
    expect(page.locator("#merge-variant")).to_have_value("vc精华")  # what was typed stays
    page.locator("#merge-variant").fill("维C精华")
    page.get_by_role("button", name="Merge").click()
    row = page.get_by_role("row").filter(has_text="维C精华")
    expect(row).to_contain_text("VC精华")
    row.get_by_role("button", name="Block").click()
    expect(page.get_by_role("row").filter(has_text="维C精华")).to_contain_text("blocked")
    page.locator("#stop-word").fill("lovely")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("lovely — added")).to_be_visible()
    page.get_by_role("link", name="Words", exact=True).click()
    expect(page.get_by_role("heading", name="Emerging terms", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Possible spam or one voice")).to_be_visible()
