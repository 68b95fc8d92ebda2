"""Steps the browser journeys share: logging in through the form and out again."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD


def log_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    _open_phone_menu(page)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    _close_phone_menu(page)


def _open_phone_menu(page) -> None:
    """On a narrow screen the header's sections (and Log out) sit behind the "Menu" toggle."""
    if _narrow(page) and not page.locator("#menu-toggle").is_checked():
        page.get_by_text("Menu", exact=True).click()


def _close_phone_menu(page) -> None:
    if _narrow(page) and page.locator("#menu-toggle").is_checked():
        page.get_by_text("Menu", exact=True).click()


def _narrow(page) -> bool:
    """Below 960 px the header folds its sections behind "Menu" (static/css/layout.css); decided by the viewport,
    not by what is visible while the stylesheets may still be loading."""
    return (page.viewport_size or {"width": 1280})["width"] < 960


def log_out(page) -> None:
    _open_phone_menu(page)
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login"))
