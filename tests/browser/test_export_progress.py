"""Browser journey: a researcher starts a large export, watches the progress bar move, then downloads the file."""
from __future__ import annotations

import re
import threading

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.research.models import ExportRun
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser


def test_large_export_shows_rising_progress_and_a_download_link(page, base_url, app, db, runner, user_factory):
    assert runner.invoke(args=["demo", "seed", "--members", "40", "--threads", "60", "--posts", "9000"]).exit_code == 0
    researcher = user_factory(role="researcher")
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(researcher.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{base_url}/research/exports")
    page.get_by_role("combobox", name="Format").select_option("xlsx")
    page.get_by_role("button", name="Start export").click()
    expect(page).to_have_url(re.compile(r"/research/exports/\d+$"))
    expect(page.locator("#export-state")).to_have_text("Queued")
    expect(page.locator("#export-state")).to_have_attribute("data-state", "queued")

    seen: list[int] = []

    def run_job():
        from app.research.exports import execute_export

        with app.app_context():
            run = db.session.scalar(sa.select(ExportRun).where(ExportRun.status == "queued"))
            execute_export(run)

    worker = threading.Thread(target=run_job)
    worker.start()
    try:
        while worker.is_alive():
            value = int(page.locator("#export-progress").get_attribute("value") or 0)
            if not seen or value != seen[-1]:
                seen.append(value)
            page.wait_for_timeout(150)
    finally:
        worker.join()
    expect(page.locator("#export-state")).to_have_text("Done", timeout=10_000)
    expect(page.locator("#export-state")).to_have_attribute("data-state", "done")
    expect(page.get_by_role("link", name="Download")).to_be_visible()
    seen.append(int(page.locator("#export-progress").get_attribute("value")))
    assert seen == sorted(seen) and seen[-1] == 100 and len(set(seen)) >= 3, seen
