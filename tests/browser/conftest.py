"""Browser tests: Playwright driving Debian's Chromium against the session app served on loopback."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.browser.tools import AXE_CORE, VNU_JAR, npm_tool

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("TEAHOUSE_REQUIRE_BROWSER") == "1"
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture(scope="session", autouse=True)
def _chromium_present() -> None:
    """Skip the browser tests without Chromium, or fail them when TEAHOUSE_REQUIRE_BROWSER=1 (CI)."""
    if Path(CHROMIUM).is_file():
        return
    if REQUIRE_BROWSER:
        pytest.fail(f"TEAHOUSE_REQUIRE_BROWSER=1 but Chromium is missing at {CHROMIUM} "
                    "(apt-get install -y --no-install-recommends chromium)", pytrace=False)
    pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install -y --no-install-recommends chromium)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                     "--no-first-run", "--disable-component-update", "--disable-sync"]}


@pytest.fixture(scope="session")
def live_server(app):
    """The session's app on a free loopback port, in a daemon thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server


@pytest.fixture
def artefacts() -> Path:
    ARTEFACTS.mkdir(exist_ok=True)
    return ARTEFACTS


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe.min.js from the pinned axe-core package (tests/browser/tools.py)."""
    return npm_tool("AXE_CORE_PATH", AXE_CORE)


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    """vnu.jar from the pinned vnu-jar package (tests/browser/tools.py)."""
    return npm_tool("VNU_JAR", VNU_JAR)
