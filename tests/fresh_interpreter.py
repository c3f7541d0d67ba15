"""Run Python code in a fresh interpreter from the project root (what a module imports is then
only what that code imports): shared by the tests of what the crawl and httpx bring in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def fresh_output(code: str) -> str:
    """Run ``code`` with ``python -c`` from the project root; its standard output (raises if it fails)."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    return done.stdout
