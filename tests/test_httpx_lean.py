"""httpx's command-line client stays out of the crawl (scraper/httpx_lean.py) and still runs when
called: each case imports in a fresh interpreter (the stand-in only works before httpx's first import).
"""

from __future__ import annotations

import json

import pytest

from tests.fresh_interpreter import fresh_output

CONSOLE = ("rich", "pygments", "click")


def run(code: str) -> dict[str, object]:
    """Run ``code`` in a fresh interpreter from the project root; the JSON it prints last."""
    return json.loads(fresh_output(code).strip().splitlines()[-1])


@pytest.mark.parametrize("first", ["scraper.fetch", "scraper.crawl", "scraper.netbackend", "scraper.wire"])
def test_no_module_importing_httpx_brings_its_console(first: str) -> None:
    listed = f"[m for m in {CONSOLE} if m in sys.modules]"
    held = run(f"import json, sys, {first}\nprint(json.dumps({{'held': {listed}}}))")
    assert held == {"held": []}


def test_httpx_main_still_runs_its_real_command_line() -> None:
    code = (
        "import contextlib, io, json, sys\nimport scraper.fetch, httpx\n"
        f"before = [m for m in {CONSOLE} if m in sys.modules]\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    code = httpx.main(['--help'], standalone_mode=False)\n"
        "print(json.dumps({'before': before, 'code': code, 'usage': 'Usage' in out.getvalue(),"
        f" 'after': [m for m in {CONSOLE} if m in sys.modules]}}))"
    )
    assert run(code) == {"before": [], "code": 0, "usage": True, "after": list(CONSOLE)}
