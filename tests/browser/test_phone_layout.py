"""On a phone (390×844, WeChat's in-app browser's user agent): the menu opens without script and reaches every
section, thread lists are cards, the post author line and poll results read as separate words."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.polls import services as polls
from tests.browser.test_every_page_layout import PHONE, WECHAT_UA
from tests.browser.tools import skip_icons
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser


def _phone(browser, *, script: bool = True):
    context = browser.new_context(viewport=PHONE, user_agent=WECHAT_UA, java_script_enabled=script)
    skip_icons(context)
    return context


def _log_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_selector("button.logout", state="attached")


def test_the_phone_menu_opens_without_script_and_reaches_every_section(browser, base_url, db, user_factory):
    admin = user_factory(role="admin")
    context = _phone(browser, script=False)
    page = context.new_page()
    try:
        _log_in(page, base_url, admin.email)
        nav = page.get_by_role("navigation", name="Main")
        expect(nav).to_be_hidden()
        page.get_by_text("Menu", exact=True).click()
        expect(nav).to_be_visible()
        for section in ("Home", "Threads", "Tasks", "Activities", "Leaderboard", "Moderation", "Invitations",
                        "Research", "Admin"):
            link = nav.get_by_role("link", name=section, exact=True)
            expect(link).to_be_visible()
            assert link.bounding_box()["height"] >= 44, section
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        expect(page.get_by_role("link", name="Settings")).to_be_visible()
        nav.get_by_role("link", name="Admin", exact=True).click()
        expect(page).to_have_url(re.compile(r"/admin/$"))
        page.wait_for_load_state("load")  # the stylesheets too, before measuring
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
        assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth"), wide
    finally:
        context.close()


def test_threads_are_cards_and_posts_and_polls_read_as_separate_words_on_a_phone(
        browser, base_url, db, user_factory, thread_factory, post_factory, poll_factory):
    member = user_factory(display_name="Phone Reader")
    thread = thread_factory(author=member, title="A thread with a rather long title about lipstick shades",
                            replies=1)
    post_factory(thread=thread, body="Another member's reply, to upvote.")
    poll = poll_factory(thread=thread, options=["Gel", "Cream"])
    polls.vote(poll, user=member, option_ids=[poll.options[0].id])
    for _ in range(9):
        polls.vote(poll, user=user_factory(), option_ids=[poll.options[1].id])
    db.session.commit()
    context = _phone(browser)
    page = context.new_page()
    try:
        _log_in(page, base_url, member.email)
        page.goto(f"{base_url}/threads")
        row = page.locator("table.threads tbody tr").first
        assert row.evaluate("tr => getComputedStyle(tr).display") == "flex"
        expect(row.locator("td[data-label=Replies]")).to_be_visible()
        assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
        page.goto(f"{base_url}/t/{thread.id}")
        author = page.locator(".post-author").first.inner_text()
        assert re.search(r"Newcomer\s*·\s*Joined", author), author
        results = page.locator(".poll-results").inner_text()
        assert re.search(r"1 vote · 10\.0%", results) and "110.0%" not in results, results
        upvote = page.locator("button.react").first
        expect(upvote).to_have_accessible_name(re.compile(r"Upvote, \d+ votes?"))
        assert upvote.bounding_box()["height"] >= 44
    finally:
        context.close()
