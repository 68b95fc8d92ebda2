"""What the export and XLSX benchmarks share: a measurement run in a fresh process, its peak memory, and where the
figures are kept."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def peak_kib() -> int:
    """This process's peak resident memory (VmHWM), in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def run_child(module: str, *args: str, env: dict | None = None, timeout: int = 3600) -> dict:
    """Run ``python -m module --child …`` from the repository and return the JSON its last line prints."""
    done = subprocess.run([sys.executable, "-m", module, "--child", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def save_results(name: str, results: list[dict]) -> None:
    """Keep the figures in instance/<name>.json."""
    (ROOT / "instance").mkdir(exist_ok=True)
    (ROOT / "instance" / f"{name}.json").write_text(json.dumps(results, indent=2))
