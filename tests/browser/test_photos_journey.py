"""Browser journeys on a phone-sized page: a reply with two photos, an @mention picked from the completion that
notifies, avatars beside posts, the inline preview and the draft kept while typing."""
from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.journeys import log_in, log_out
from tests.browser.tools import BLOCKING, screenshot
from tests.browser.tools import axe_violations as _violations
from tests.browser.tools import describe_violations as _describe

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _png(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), colour).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def phone(browser, base_url, request):
    # axe-core goes into the page as an inline script, which our CSP refuses: its test lets it in.
    context = browser.new_context(viewport=PHONE, base_url=base_url, bypass_csp="axe_script" in request.fixturenames)
    page = context.new_page()
    yield page
    context.close()


def test_a_member_replies_with_two_photos_from_a_phone(phone, db, user_factory, thread_factory, artefacts):
    member = user_factory(display_name="Desk Owner")
    thread = thread_factory(title="Introduce yourself with one photo of your desk")
    log_in(phone, "", member.email)
    phone.goto(f"/t/{thread.id}")
    box = phone.locator(".reply-box")
    box.get_by_label("Your reply").fill("My desk, from two sides.")
    box.locator("input[name=photos]").set_input_files([
        {"name": "left.png", "mimeType": "image/png", "buffer": _png((200, 120, 90))},
        {"name": "right.png", "mimeType": "image/png", "buffer": _png((90, 140, 200))}])
    expect(box.locator(".photo-previews img")).to_have_count(2)  # previews before sending
    box.get_by_role("button", name="Reply").click()
    reply = phone.locator("#post-2")
    expect(reply.locator(".post-photos img")).to_have_count(2)
    for img in reply.locator(".post-photos img").all():
        expect(img).to_have_attribute("loading", "lazy")
        img.scroll_into_view_if_needed()
        phone.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
        right = img.evaluate("img => img.getBoundingClientRect().right")
        assert right <= PHONE["width"]
    screenshot(phone, artefacts / "reply-with-photos-390.png", full_page=True)
    href = reply.locator(".post-photos a").first.get_attribute("href")
    assert href.endswith("?w=1280")
    larger = phone.request.get(href)
    assert larger.ok and larger.headers["content-type"] == "image/png"


def test_an_at_mention_picked_from_the_completion_notifies_the_member(phone, db, user_factory, thread_factory):
    writer = user_factory(display_name="Writer")
    lily = user_factory(display_name="Lily Chen")
    thread = thread_factory(title="Favourite tea")
    log_in(phone, "", writer.email)
    phone.goto(f"/t/{thread.id}")
    area = phone.locator(".reply-box").get_by_label("Your reply")
    area.click()
    area.press_sequentially("Ask @Lil", delay=30)
    option = phone.get_by_role("option", name="Lily Chen")
    expect(option).to_be_visible()
    area.press("Enter")
    expect(area).to_have_value("Ask @Lily Chen ")
    area.press_sequentially("about jasmine.")
    phone.locator(".reply-box").get_by_role("button", name="Reply").click()
    expect(phone.locator("#post-2 .post-body a", has_text="@Lily Chen")).to_have_attribute("href", f"/u/{lily.id}")
    log_out(phone)

    log_in(phone, "", lily.email)
    phone.goto("/notifications")
    expect(phone.get_by_text("Writer mentioned you in “Favourite tea”")).to_be_visible()


def test_avatars_show_beside_posts(phone, db, user_factory, thread_factory):
    author = user_factory(display_name="Avatar Owner")
    thread = thread_factory(author=author, title="Show your avatar")
    log_in(phone, "", author.email)
    phone.goto(f"/t/{thread.id}")
    avatar = phone.locator("#post-1 .post-author img.avatar")
    expect(avatar).to_be_visible()
    phone.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=avatar.element_handle())


def test_the_preview_shows_inline_and_the_draft_survives_a_reload_until_posted(phone, db, user_factory,
                                                                               thread_factory):
    member = user_factory(display_name="Drafter")
    thread = thread_factory(title="Drafts")
    log_in(phone, "", member.email)
    phone.goto(f"/t/{thread.id}")
    box = phone.locator(".reply-box")
    box.get_by_label("Your reply").fill("Half **written** thought")
    box.get_by_role("button", name="Preview").click()
    expect(box.locator(".composer-preview strong")).to_have_text("written")
    expect(phone.locator("#post-2")).to_have_count(0)  # nothing was posted
    phone.wait_for_timeout(600)  # the draft is saved shortly after typing stops
    phone.reload()
    expect(phone.locator(".reply-box").get_by_label("Your reply")).to_have_value("Half **written** thought")
    phone.locator(".reply-box").get_by_role("button", name="Reply").click()
    expect(phone.locator("#post-2")).to_contain_text("Half written thought")
    phone.goto(f"/t/{thread.id}")
    expect(phone.locator(".reply-box").get_by_label("Your reply")).to_have_value("")


def test_the_composer_settings_and_photo_pages_have_no_serious_axe_violations(phone, db, user_factory, thread_factory,
                                                                             category_factory, axe_script,
                                                                             artefacts):
    member = user_factory(display_name="Checker")
    user_factory(display_name="Lily Chen")
    category = category_factory()
    thread = thread_factory(category=category, title="Accessible photos")
    log_in(phone, "", member.email)
    phone.goto(f"/t/{thread.id}")
    box = phone.locator(".reply-box")
    box.get_by_label("Your reply").fill("With a photo")
    box.locator("input[name=photos]").set_input_files([
        {"name": "a.png", "mimeType": "image/png", "buffer": _png((10, 120, 90))}])
    box.get_by_role("button", name="Reply").click()
    expect(phone.locator("#post-2 .post-photos img")).to_have_count(1)
    # The page after the reply has loaded its scripts (the composer's) before the member types: once, in CI, the
    # keys after "@" were sent while the new page was still loading, and only "@" reached the box.
    phone.wait_for_load_state("load")
    area = phone.locator(".reply-box").get_by_label("Your reply")
    area.click()
    area.press_sequentially("@Lil", delay=30)
    expect(area).to_have_value("@Lil")
    expect(phone.get_by_role("option", name="Lily Chen")).to_be_visible()
    found = {"thread with photos and the mention list": _violations(phone, axe_script)}
    phone.goto(f"/c/{category.id}/new")
    phone.get_by_label("Your post").fill("**Preview** me")
    phone.get_by_role("button", name="Preview").click()
    expect(phone.locator(".composer-preview strong")).to_have_text("Preview")
    found["new thread with a preview"] = _violations(phone, axe_script)
    phone.goto("/settings")
    found["settings with the avatar form"] = _violations(phone, axe_script)
    screenshot(phone, artefacts / "avatar-settings-390.png", full_page=True)
    blocking = {name: [v for v in vs if v["impact"] in BLOCKING] for name, vs in found.items()}
    assert not any(blocking.values()), "serious/critical axe-core violations:\n" + "\n".join(
        f"{name}:\n{_describe(vs)}" for name, vs in blocking.items() if vs)
