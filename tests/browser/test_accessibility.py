"""Accessibility smoke check with axe-core: no serious or critical violations on the main pages.

axe-core is not a Python package: the test uses ``$AXE_CORE_PATH`` (a path to ``axe.min.js``) when set, otherwise
installs it once with ``npm install --no-save --no-package-lock axe-core`` into a cache folder outside the repository,
and is skipped when neither works (no npm, no network).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.forum.models import Post
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if os.environ.get("AXE_CORE_PATH"):
        path = Path(os.environ["AXE_CORE_PATH"])
        if not path.is_file():
            pytest.fail(f"AXE_CORE_PATH={path} does not exist")
        return path
    cache = Path(os.environ.get("TEAHOUSE_AXE_DIR", Path(tempfile.gettempdir()) / "teahouse-axe-core"))
    path = cache / "node_modules" / "axe-core" / "axe.min.js"
    if path.is_file():
        return path
    npm = shutil.which("npm")
    if not npm:
        pytest.skip("axe-core unavailable: npm is not installed (or set AXE_CORE_PATH)")
    cache.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run([npm, "install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "axe-core"],
                       cwd=cache, check=True, capture_output=True, timeout=180)
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"axe-core unavailable: npm install failed ({exc})")
    if not path.is_file():
        pytest.skip("axe-core unavailable: npm install did not produce axe.min.js")
    return path


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Our Content-Security-Policy forbids inline script, which is how axe-core gets into the page."""
    return {**browser_context_args, "bypass_csp": True}


def _violations(page, axe_script: Path) -> list[dict]:
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} nodes: {targets})")
    return "\n".join(lines)


def test_login_thread_list_and_thread_pages_have_no_serious_axe_violations(
        page, base_url, db, axe_script, user_factory, category_factory, thread_factory, post_factory):
    member = user_factory(display_name="Reader Wu")
    host = user_factory(role="moderator", host_persona="Warm host", display_name="Host Mei")
    category = category_factory(name="Skin care", description="Routines, products and questions.")
    thread = thread_factory(category=category, author=member, title="Sunscreen that does not sting",
                            body="Which one works for **sensitive** skin?\n\n- mineral\n- chemical")
    first = db.session.scalar(sa.select(Post).where(Post.thread_id == thread.id, Post.number == 1))
    post_factory(thread=thread, author=host, body="Welcome! Tell us which ones you tried.")
    post_factory(thread=thread, author=member, body="> Tell us which ones you tried.\n\nTwo so far.",
                 quoted=first)
    thread_factory(category=category, title="Night cream for winter", replies=2)

    found: dict[str, list[dict]] = {}
    page.goto(f"{base_url}/login")
    found["login"] = _violations(page, axe_script)

    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    found["community"] = _violations(page, axe_script)

    page.goto(f"{base_url}/c/{category.id}")
    expect(page.get_by_role("link", name="Sunscreen that does not sting")).to_be_visible()
    found["thread list"] = _violations(page, axe_script)

    page.goto(f"{base_url}/t/{thread.id}")
    expect(page.get_by_role("heading", name="Sunscreen that does not sting")).to_be_visible()
    found["thread"] = _violations(page, axe_script)

    report = "\n".join(f"{name}:\n{_describe(v)}" for name, v in found.items() if v)
    if report:
        print("axe-core violations (all impacts):\n" + report)
    blocking = {name: [v for v in vs if v["impact"] in BLOCKING] for name, vs in found.items()}
    assert not any(blocking.values()), "serious/critical axe-core violations:\n" + "\n".join(
        f"{name}:\n{_describe(vs)}" for name, vs in blocking.items() if vs)
