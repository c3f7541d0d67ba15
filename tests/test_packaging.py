"""The package as a user installs it: a wheel, a fresh venv, ``thidua demo`` outside any checkout.

This is what catches data the package reads from the source tree instead of from itself (the demo's
fixture sites once lived in ``fixtures/``, so ``thidua demo`` only worked in a checkout).

The wheel is built from a copy of just what the build needs (pyproject, README, the four packages), so
no ``build/`` lands in the checkout and nothing outside the packages can leak in. The fresh venv gets
the wheel with ``--no-deps --no-index`` (no network); its dependencies come from the environment
running the tests, through a ``.pth`` line naming that environment's site-packages. A ``.pth`` line
only appends a directory to ``sys.path`` (the ``.pth`` files inside it are not run), so an editable
install of the checkout there stays invisible, and the venv's own site-packages comes first.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("scraper", "extract", "db", "thidua")


def run(args: list[str | Path], *, cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    """Run a command outside the checkout, with no PYTHONPATH pointing back into it."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def build_wheel(tmp: Path) -> Path:
    """``pip wheel . --no-deps`` of a copy of the project's build inputs; the path of the wheel."""
    source = tmp / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    junk = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, source / package, ignore=junk)
    out = tmp / "wheels"
    # Build isolation fetches setuptools and wheel the way `pip install -e .` of the project does, from
    # pip's index or cache: wherever the project could be installed, its wheel can be built.
    built = run(
        [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--quiet", "-w", out],
        cwd=source,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = out.glob("thidua-*.whl")
    return wheel


def test_the_wheel_installed_in_a_fresh_venv_runs_the_demo_outside_the_checkout(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    venv = tmp_path / "venv"
    made = run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp_path, timeout=120)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    venv_site = Path(
        run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            cwd=tmp_path,
            timeout=60,
        ).stdout.strip()
    )
    (venv_site / "deps-of-the-test-environment.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    # The venv's python runs the test environment's pip (found through the .pth line), which installs
    # into the venv itself: sys.prefix is the venv.
    installed = run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            "--disable-pip-version-check",
            wheel,
        ],
        cwd=tmp_path,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = run([python, "-c", "import thidua.demo; print(thidua.demo.__file__)"], cwd=elsewhere, timeout=60)
    assert Path(where.stdout.strip()).is_relative_to(venv_site), where.stdout + where.stderr

    db = elsewhere / "out" / "demo.db"
    db.parent.mkdir()
    demo = run([venv / "bin" / "thidua", "demo", "--db", db], cwd=elsewhere, timeout=300)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    summary = re.search(r"^demo: .*new events (\d+)", demo.stdout, re.MULTILINE)
    assert summary is not None, demo.stdout
    assert int(summary.group(1)) > 0
    with sqlite3.connect(db) as conn:
        events = conn.execute("select count(*) from events").fetchone()[0]
    assert events == int(summary.group(1))
