"""Shared by the scheduler tests that start real `flask jobs run` processes."""
from __future__ import annotations

import time


def wait_for(predicate, timeout: float, *, interval: float = 0.1):
    """Call ``predicate`` until it returns something truthy (returned) or ``timeout`` seconds pass (None)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return None
