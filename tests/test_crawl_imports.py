"""What the crawling process imports (issue 11: its resident set is counted in every night's peak).

Each case imports what ``thidua crawl`` imports, in a fresh interpreter, and lists the modules it must
not bring: httpx's command-line client (click's console: rich, pygments), the backfill job's WARC reader
and progress console, the web UI.
"""

from __future__ import annotations

import json

import pytest

from tests.fresh_interpreter import fresh_output

NEVER = (
    *("rich", "pygments", "httpx._main", "fastwarc", "thidua.backfill", "thidua.progress", "datasette"),
    "charset_normalizer",  # decode's last resort, imported by the page that needs it
)


def modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    # A None entry, or scraper.httpx_lean's stand-in for httpx._main, is no module imported.
    held = "sorted(n for n, m in sys.modules.items() if m is not None and not getattr(m, 'stand_in', 0))"
    probe = f"{code}\nimport json, sys\nprint(json.dumps({held}))"
    return set(json.loads(fresh_output(probe)))


@pytest.mark.parametrize(
    "code",
    ["from thidua import app\nimport scraper.crawl", "from thidua.crawling import crawl_events, warm_up"],
    ids=["crawl", "worker-entry"],
)
def test_the_crawl_path_imports_no_console_and_no_backfill(code: str) -> None:
    modules = modules_after(code)
    assert "extract" in modules and "scraper.parse" in modules  # the probe saw the imports
    assert [m for m in NEVER if m in modules] == []


def test_the_backfill_job_is_still_there_on_first_use() -> None:
    modules = modules_after("from thidua import app\nassert callable(app.backfill)")
    assert "thidua.backfill" in modules


def test_httpx_still_works_without_its_command_line() -> None:
    modules = modules_after(
        "import scraper.fetch, httpx\n"
        "r = httpx.Client(transport=httpx.MockTransport(lambda q: httpx.Response(204))).get('http://x.test/')\n"
        "assert r.status_code == 204"
    )
    assert "httpx" in modules and "rich" not in modules
