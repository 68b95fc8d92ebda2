"""Every GET page, as every role, on a phone (390×844) and a desktop (1280×900): no sideways scrolling, no
server error, no serious or critical axe-core violation, and valid HTML on the main pages (Nu HTML checker).

One browser, one context per role (a test each, run one after another in two groups); each page is loaded once at
phone size, measured, checked, then the viewport is widened and the same document is measured and checked again.
The member browses with WeChat's in-app browser's user agent. The main pages come first, so the Nu HTML checker (a Java
process) reads them while the browser goes on with the rest. With TEAHOUSE_SCREENSHOTS=1, screenshots of the main pages
land in instance/screenshots/ (git-ignored).
"""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.browser.sweep_data import LOGINS, PASSWORD, ROLES, page_urls, seed_sweep_data
from tests.browser.tools import (
    BLOCKING,
    axe_violations,
    describe_violations,
    preload_axe,
    screenshot,
    vnu_errors,
)
from tests.conftest import shared_rows

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WECHAT_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
             "Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "instance" / "screenshots"
# Pages whose HTML goes through the Nu checker (and whose screenshots are kept with TEAHOUSE_SCREENSHOTS=1).
MAIN_PAGES = {
    "landing.index", "forum.index", "forum.category_detail", "forum.thread_detail", "forum.post_reply",
    "members.profile", "members.notifications", "members.settings", "tasks.task_list", "tasks.task_detail",
    "activities.index", "competitions.competition_detail", "points.leaderboard", "search.results",
    "moderation.queue", "moderation.inquiries", "research.overview", "research.export_list",
    "admin.dashboard", "admin.user_list", "admin.audit_log", "invites.invitation_list", "auth.login",
    "polls.poll_breakdown", "rights.privacy",
}
FITS = "() => [document.scrollingElement.scrollWidth, window.innerWidth]"


def _log_in(page, base_url: str, role: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill("input[name=email]", LOGINS[role])
    page.fill("input[name=password]", PASSWORD)
    page.click("main form [type=submit]")
    page.wait_for_selector("button.logout", state="attached")


def _check_at(page, size: str, where: str, axe_script: Path | None, problems: list[str]) -> None:
    width, inner = page.evaluate(FITS)
    if width > inner:
        problems.append(f"{where} at {size}: scrollWidth {width} > innerWidth {inner}")
    if axe_script is None:
        return
    blocking = [v for v in axe_violations(page, axe_script) if v["impact"] in BLOCKING]
    if blocking:
        problems.append(f"{where} at {size}: axe-core\n{describe_violations(blocking)}")


def _sweep_role(browser, base_url: str, role: str, urls: dict[str, str], axe_script: Path, vnu_jar: Path,
                html_dir: Path, problems: list[str]) -> tuple[int, list[dict]]:
    """Visit every page; returns how many were checked and the Nu checker's errors on the main pages."""
    extra = {"user_agent": WECHAT_UA} if role == "member" else {}
    # No request routing here (tools.skip_icons): a routed context has no HTTP cache, and every request it makes
    # goes through Playwright's pipe to this process, which cost the sweep some 15% of its CPU. Static files are
    # served whole from memory (app/core/static_files.py), so a favicon fetch dropped mid-way leaves no file open.
    context = browser.new_context(viewport=PHONE, bypass_csp=True, **extra)
    preload_axe(context, axe_script)
    page = context.new_page()
    audited: set[tuple[str, int]] = set()  # (endpoint, status) already through axe-core for this role
    main_first = sorted(urls.items(), key=lambda item: item[0].split(":", 1)[0] not in MAIN_PAGES)
    first = [item for item in main_first if item[0].split(":", 1)[0] in MAIN_PAGES]
    with ThreadPoolExecutor(1) as nu_checker:
        try:
            if role != "anonymous":
                _log_in(page, base_url, role)
            checked = sum(_visit(page, base_url, role, key, path, axe_script, html_dir, audited, problems)
                          for key, path in first)
            # The main pages are all saved: the checker reads them while the browser goes on.
            nu_errors = nu_checker.submit(vnu_errors, vnu_jar, sorted(html_dir.glob("*.html")))
            checked += sum(_visit(page, base_url, role, key, path, axe_script, html_dir, audited, problems)
                           for key, path in main_first[len(first):])
        finally:
            context.close()
        return checked, nu_errors.result()


def _visit(page, base_url: str, role: str, key: str, path: str, axe_script: Path, html_dir: Path,
           audited: set[tuple[str, int]], problems: list[str]) -> int:
    """Load one page and check it at both sizes; 1 if it was a page of this route, else 0."""
    endpoint = key.split(":", 1)[0]
    response = page.goto(base_url + path, wait_until="load")
    if response is None or response.request.redirected_from is not None:
        return 0  # a redirect (to the login page, or on to another page): not this route's page
    if "text/html" not in response.headers.get("content-type", ""):
        return 0
    where = f"{role} {path} ({endpoint}, {response.status})"
    if response.status >= 500:
        problems.append(f"{where}: server error")
        return 0
    main = endpoint in MAIN_PAGES and response.status == 200
    if main:
        (html_dir / f"{role}-{endpoint}.html").write_bytes(response.body())
    # axe-core on every page the role gets at phone size; every error page (one template) once per
    # status; at desktop size on the main pages (a full axe run costs ~0.5 s a page on this machine).
    kind = (key if response.status == 200 else "error", response.status)
    phone_axe = axe_script if kind not in audited else None
    audited.add(kind)
    _check_at(page, "390x844", where, phone_axe, problems)
    if main:
        screenshot(page, SCREENSHOTS / f"{role}-{endpoint}-phone.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    desktop_axe = axe_script if main or (phone_axe and response.status != 200) else None
    _check_at(page, "1280x900", where, desktop_axe, problems)
    if main:
        screenshot(page, SCREENSHOTS / f"{role}-{endpoint}-desktop.png")
    page.set_viewport_size(PHONE)
    return 1


@pytest.fixture(scope="module")
def sweep_urls(app) -> dict[str, str]:
    """The community every role browses, seeded once for each group of roles a worker runs (SWEEP_GROUPS); the
    roles' tests keep its rows (and what their browsing writes) between them, as when they were one test, and it
    is emptied after the last."""
    with shared_rows(app, read_only=False):
        with app.app_context():
            urls = page_urls(app, seed_sweep_data())
        yield urls


# One test per role, in two xdist groups: a worker seeds the community once for its group's roles and sweeps them,
# while the others run the rest of the suite. One group of all five roles was the suite's longest chain on one
# worker (several minutes); a second seeding costs far less than the sweeps it moves to another worker.
# The groups weigh about the same: the admin's and the moderator's sweeps are the longest (42 s and 37 s in one
# process), then the researcher's (35 s), the member's (33 s) and the anonymous one (19 s).
SWEEP_GROUPS = {"admin": "page-sweep-1", "moderator": "page-sweep-1",
                "researcher": "page-sweep-2", "member": "page-sweep-2", "anonymous": "page-sweep-2"}


@pytest.mark.parametrize("role", [pytest.param(role, marks=pytest.mark.xdist_group(SWEEP_GROUPS[role]))
                                  for role in ROLES])
def test_every_page_fits_phone_and_desktop_for_every_role_without_serious_axe_violations(
        browser, app, base_url, sweep_urls, db, axe_script, vnu_jar, tmp_path, role):
    html_dir = tmp_path / "html"
    html_dir.mkdir()
    problems: list[str] = []
    checked, errors = _sweep_role(browser, base_url, role, sweep_urls, axe_script, vnu_jar, html_dir, problems)
    assert checked >= (3 if role == "anonymous" else 25), checked
    problems += [f"Nu HTML checker: {Path(e['url']).name}:{e.get('lastLine')}: {e['message']} "
                 f"{json.dumps(e.get('extract', ''))}" for e in errors]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
