"""A real headless Chromium reads pages of a real `datasette serve` process started with serve_args."""

from __future__ import annotations

import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from db.datasette import serve_args
from tests import dbfixture as fx

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chromium() -> str | None:
    """Path of a Chromium binary ($THIDUA_CHROMIUM first), or None."""
    wanted = os.environ.get("THIDUA_CHROMIUM")
    if wanted:
        return shutil.which(wanted) or (wanted if Path(wanted).is_file() else None)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass(frozen=True)
class Served:
    """A running Datasette: where it answers and the database it serves."""

    base: str
    db_path: Path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(process: subprocess.Popen[bytes], url: str, log: Path, limit: float = 60.0) -> None:
    """Poll ``url`` until Datasette answers 200; fail with its log if it exits or never answers."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"datasette exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(url, timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"datasette did not answer {url} within {limit:.0f} s:\n{log.read_text(errors='replace')}")


@pytest.fixture(scope="module")
def chromium() -> str:
    found = _chromium()
    if found is None:
        looked = os.environ.get("THIDUA_CHROMIUM") or ", ".join(CHROMIUM_NAMES)
        pytest.skip(
            f"no Chromium binary found (looked for {looked}): install Debian's `chromium` package "
            "(./run-tests does it when run as root) to run the browser tests"
        )
    return found


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`python -m datasette` with serve_args on a free port, over the fixture database; stopped after."""
    folder = tmp_path_factory.mktemp("served")
    db_path = fx.build_fixture_db(folder / "thidua.db")
    port = _free_port()
    log = folder / "datasette.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "datasette", *serve_args(db_path, host="127.0.0.1", port=port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(process, f"{base}/-/versions.json", log)
        yield Served(base, db_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def _run_chromium(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium with its own throw-away profile; fail with its stderr when it fails."""
    result = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"chromium exited with {result.returncode}:\n{result.stderr[-3000:]}")
    return result


# Charts are drawn by scripts after the page loads (fetch the data, then Vega): Chromium waits up to
# this much virtual time for them, and every host but 127.0.0.1 fails to resolve, so a chart that
# needed a CDN would stay blank.
SCRIPTED = ("--virtual-time-budget=20000", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")


def _dump_dom(chromium: str, tmp_path: Path, url: str, *extra: str) -> str:
    """The DOM Chromium built for ``url``, serialised."""
    return _run_chromium(chromium, tmp_path / "profile-dom", *extra, "--dump-dom", url).stdout


def _screenshot(chromium: str, tmp_path: Path, url: str, name: str, *extra: str) -> Path:
    target = tmp_path / name
    _run_chromium(
        chromium, tmp_path / "profile-shot", *extra, f"--screenshot={target}", "--window-size=1400,1000", url
    )
    return target


def _png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (checks the signature on the way)."""
    head = path.read_bytes()[:24]
    assert head[:8] == PNG_SIGNATURE, f"{path} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)


def test_events_page_in_chromium(chromium: str, served: Served, tmp_path: Path) -> None:
    url = f"{served.base}/thidua/events_view"
    dom = _dump_dom(chromium, tmp_path, url)
    # Cluster names, members and officials, as Datasette rendered them for the browser.
    for text in (fx.CUM_3, fx.KHOI_DANG, fx.CUM_9, "Nguyễn Thị Lan", "Lê Văn Minh", "Quận Gò Vấp"):
        assert text in dom, f"{text!r} is not on {url}"
    # The default facets are shown.
    for facet in ("kind", "year", "activities"):
        assert f'data-column="{facet}"' in dom, f"facet {facet} missing"
    shot = _screenshot(chromium, tmp_path, url, "events.png")
    assert _png_size(shot) == (1400, 1000)
    # A blank or error page compresses to a few kilobytes; a table full of text does not.
    assert shot.stat().st_size > 30_000


def test_events_table_shows_cluster_labels_in_chromium(chromium: str, served: Served, tmp_path: Path) -> None:
    dom = _dump_dom(chromium, tmp_path, f"{served.base}/thidua/events")
    # cluster_id is a foreign key: the label column shows the cluster's name, linked to its row.
    for label in (fx.CUM_3, fx.KHOI_DANG, fx.CUM_9):
        assert re.search(rf'<a href="/thidua/clusters/\d+">{re.escape(label)}</a>', dom), label


def test_canned_query_page_in_chromium(chromium: str, served: Served, tmp_path: Path) -> None:
    url = f"{served.base}/thidua/cluster_timeline?" + urlencode({"kind": "cụm", "number": "3"})
    dom = _dump_dom(chromium, tmp_path, url)
    assert "A cluster&#39;s timeline" in dom or "A cluster's timeline" in dom
    for text in (fx.CUM_3, "Quận Gò Vấp", "Quận 12", "Huyện Củ Chi"):
        assert text in dom, f"{text!r} is not on {url}"
    assert fx.KHOI_DANG not in dom
    shot = _screenshot(chromium, tmp_path, url, "timeline.png")
    assert _png_size(shot) == (1400, 1000)
    assert shot.stat().st_size > 20_000


def test_official_query_page_without_accents_in_chromium(
    chromium: str, served: Served, tmp_path: Path
) -> None:
    url = f"{served.base}/thidua/appearances_of_official?" + urlencode({"name": "nguyen thi lan"})
    dom = _dump_dom(chromium, tmp_path, url)
    assert "Nguyễn Thị Lan" in dom
    assert "Phó Trưởng Ban Tuyên giáo Thành ủy TPHCM" in dom
    assert "Lê Văn Minh" not in dom


def _chart_marks(dom: str) -> list[str]:
    """The data marks Vega drew as SVG, by their accessible labels ("Month: 2024-03; Meetings: 1")."""
    return re.findall(
        r'<path aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="(?:bar|rect mark)"', dom
    )


def test_the_dashboard_draws_its_charts_offline_in_chromium(
    chromium: str, served: Served, tmp_path: Path
) -> None:
    url = f"{served.base}/-/dashboards/overview"
    dom = _dump_dom(chromium, tmp_path, url, *SCRIPTED)
    assert dom.count('class="marks"') == 3, "three charts drawn as SVG"
    marks = set(_chart_marks(dom))
    # Meetings per month: the four dated meetings of the fixture (the shared one counted once).
    for month in ("2024-03", "2024-12", "2025-03", "2025-04"):
        assert f"Month: {month}; Meetings: 1" in marks
    # Per province: the province taken from the system, and the meeting whose province is not known.
    assert "Meetings: 2; Province: tỉnh Thanh Hóa" in marks
    assert "Meetings: 2; Province: thành phố Hồ Chí Minh" in marks
    assert "Meetings: 1; Province: (not known)" in marks
    # Activities per year: 2024 had two reviews (Khối, Cụm 9) and a signing.
    assert "Year: 2024; Meetings: 2; Activity: review" in marks
    assert "Year: 2025; Meetings: 1; Activity: launch" in marks
    assert len(marks) == 12
    shot = _screenshot(chromium, tmp_path, url, "dashboard.png", *SCRIPTED)
    assert _png_size(shot) == (1400, 1000)
    assert shot.stat().st_size > 30_000


def test_a_cluster_timeline_chart_in_chromium(chromium: str, served: Served, tmp_path: Path) -> None:
    ids = httpx.get(f"{served.base}/thidua/clusters.json?_shape=array").json()
    cum3 = next(c["id"] for c in ids if c["label"] == fx.CUM_3)
    url = f"{served.base}/-/dashboards/cluster?" + urlencode({"cluster": str(cum3)})
    dom = _dump_dom(chromium, tmp_path, url, *SCRIPTED)
    marks = set(_chart_marks(dom))
    # Members per year, the leader changing hands: Quận Gò Vấp in 2024, Quận 12 in 2025.
    assert "Year: 2024; Unit: Quận Gò Vấp; Role: leader (trưởng)" in marks
    assert "Year: 2025; Unit: Quận 12; Role: leader (trưởng)" in marks
    assert "Year: 2025; Unit: Quận Gò Vấp; Role: member" in marks
    assert "Year: 2025; Unit: Huyện Củ Chi; Role: member" in marks  # named by the second paper only
    assert len(marks) == 7
    assert "<td>2024</td><td>Quận Gò Vấp</td><td>Quận 12</td><td>3</td><td>1</td>" in dom
    assert "<td>2025</td><td>Quận 12</td><td>Huyện Hóc Môn</td><td>4</td><td>1</td>" in dom
    assert not [m for m in marks if "Tỉnh ủy" in m]  # none of the Khối's units
    shot = _screenshot(chromium, tmp_path, url, "cluster-timeline.png", *SCRIPTED)
    assert _png_size(shot) == (1400, 1000)
    assert shot.stat().st_size > 30_000
