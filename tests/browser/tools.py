"""Checkers the browser tests run on pages: axe-core (accessibility) and the Nu HTML checker (vnu.jar).

Both come from the npm registry at pinned versions. CI installs them (.ci/run) and points ``AXE_CORE_PATH`` and
``VNU_JAR`` at the files; elsewhere they are installed once with npm into a cache folder outside the repository
(``TEAHOUSE_NPM_TOOLS``), and the tests are skipped when neither works (no npm, no registry) unless
``TEAHOUSE_REQUIRE_BROWSER=1``.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

AXE_CORE = ("axe-core", "4.14.1", "node_modules/axe-core/axe.min.js")
VNU_JAR = ("vnu-jar", "26.9.27", "node_modules/vnu-jar/build/dist/vnu.jar")
BLOCKING = {"serious", "critical"}
# Screenshots are for people to look at; no test reads them, and a full-page capture costs a browser a good part of
# a second. TEAHOUSE_SCREENSHOTS=1 keeps them (README, Tests).
KEEP_SCREENSHOTS = os.environ.get("TEAHOUSE_SCREENSHOTS") == "1"


def _unavailable(message: str):
    if os.environ.get("TEAHOUSE_REQUIRE_BROWSER") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def npm_tool(env_var: str, package: tuple[str, str, str]) -> Path:
    """The file a pinned npm package ships: ``$env_var`` when set, else installed once into the cache folder."""
    name, version, relative = package
    if os.environ.get(env_var):
        path = Path(os.environ[env_var])
        if not path.is_file():
            pytest.fail(f"{env_var}={path} does not exist", pytrace=False)
        return path
    # A folder of its own for each package and version (and --prefix, or npm would pick a parent folder that has
    # node_modules): npm installing one package prunes any other there that no package.json asks for (installing
    # vnu-jar removed axe-core).
    cache = Path(os.environ.get("TEAHOUSE_NPM_TOOLS", Path(tempfile.gettempdir()) / "teahouse-npm-tools")) \
        / f"{name}-{version}"
    path = cache / relative
    if path.is_file() and (cache / "node_modules" / name / "package.json").read_text().count(f'"{version}"'):
        return path
    npm = shutil.which("npm")
    if not npm:
        _unavailable(f"{name} unavailable: npm is not installed (or set {env_var})")
    cache.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run([npm, "install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund",
                        "--prefix", str(cache), f"{name}@{version}"], cwd=cache, check=True, capture_output=True, timeout=300)
    except (subprocess.SubprocessError, OSError) as exc:
        _unavailable(f"{name} unavailable: npm install failed ({exc})")
    if not path.is_file():
        _unavailable(f"{name} unavailable: npm install did not produce {relative}")
    return path


def skip_icons(context) -> None:
    """Answer the icon requests in the browser, from the files: pages follow each other faster than Chromium fetches the favicon,
    and a fetch it drops half-way leaves the test server's file open (a ResourceWarning in a later test)."""
    static = Path(__file__).resolve().parents[2] / "static" / "img"

    def from_disk(route) -> None:
        path = static / route.request.url.rsplit("/", 1)[-1].split("?", 1)[0]
        if path.is_file():
            route.fulfill(path=str(path))
        else:
            route.fulfill(status=404, body="")

    context.route("**/static/img/*", from_disk)


def screenshot(page, path: Path, **options) -> None:
    """``page.screenshot`` when TEAHOUSE_SCREENSHOTS=1, else nothing."""
    if KEEP_SCREENSHOTS:
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), **options)


def preload_axe(context, axe_script: Path) -> None:
    """Put axe-core into every document the context opens: the 650 kB script goes to the browser once, not once per
    page (each copy took a quarter of a second through Playwright's pipe), and no page waits for it."""
    context.add_init_script(path=str(axe_script))


def axe_violations(page, axe_script: Path) -> list[dict]:
    """axe-core's violations on the page as it is now (the context needs ``bypass_csp``)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script))
    return page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} nodes: {targets})")
    return "\n".join(lines)


def vnu_errors(vnu_jar: Path, files: list[Path]) -> list[dict]:
    """The Nu HTML checker's errors (not warnings) on saved HTML files, in one Java run."""
    if not files:
        return []
    java = shutil.which("java")
    if not java:
        _unavailable("the Nu HTML checker needs Java 11+ (apt-get install default-jre-headless)")
    # The client compiler only (-XX:TieredStopAtLevel=1) halves the checker's CPU on a few dozen pages; its
    # deeper stacks need more than the default 512k stack (same messages, checked on the sweep's pages).
    done = subprocess.run([java, "-XX:TieredStopAtLevel=1", "-Xss4m", "-jar", str(vnu_jar), "--errors-only",
                           "--format", "json", "--exit-zero-always", *map(str, files)],
                          capture_output=True, text=True, timeout=300, check=False)
    return [m for m in json.loads(done.stderr or done.stdout or '{"messages": []}')["messages"]
            if m.get("type") == "error" or m.get("subType") == "fatal"]


def install_for_ci() -> None:
    """``python -m tests.browser.tools``: install both pinned packages and print the shell lines that point
    ``AXE_CORE_PATH`` and ``VNU_JAR`` at them (.ci/run evaluates them)."""
    os.environ["TEAHOUSE_REQUIRE_BROWSER"] = "1"  # a failed install is an error here, never a skip
    for env_var, package in (("AXE_CORE_PATH", AXE_CORE), ("VNU_JAR", VNU_JAR)):
        print(f"export {env_var}={npm_tool(env_var, package)}")


if __name__ == "__main__":
    install_for_ci()
