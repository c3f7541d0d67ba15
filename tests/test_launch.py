"""The ``thidua`` command's entry (``thidua.launch``): a crawl started through the real console script,
or through ``python -m thidua``, starts pool workers that import none of the CLI, storage, the console
or the crawler's network stack (issue 11: a worker re-running the CLI's imports held ~60 MB for nothing).

What a worker imported is seen from outside: a ``sitecustomize`` on the subprocess's path adds an audit
hook to every Python process of the run, and each pool worker (a process started as
``python -m scraper.pool_worker``) writes the name of every module it loads to a file of its own, as it loads
it, so a worker stopped at the end of the crawl has already said everything.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.test_article_pool import serve_site

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("click", "rich", "sqlite_utils", "httpx", "datasette", "feedparser", "thidua.cli", "db")

# Every process of the run imports this at start; only pool workers record their imports.
SITECUSTOMIZE = """
import os, sys
if "scraper.pool_worker" in sys.orig_argv:
    _path = os.path.join({folder!r}, "imports-%d.txt" % os.getpid())
    def _note(event, args):
        if event == "import":
            with open(_path, "a", encoding="utf-8") as out:
                out.write(args[0] + "\\n")
    sys.addaudithook(_note)
"""


def console_script(folder: Path) -> Path:
    """The ``thidua`` console script pip wrote into the venv, with this tree's entry point
    (pyproject's ``[project.scripts]``): the very file an install of this tree writes."""
    installed = (Path(sys.executable).parent / "thidua").read_text(encoding="utf-8")
    entry = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    module, function = entry["thidua"].split(":")
    line = f"from {module} import {function} as \\1"
    script, found = re.subn(r"^from \S+ import (\w+)$", line, installed, flags=re.M)
    assert found == 1, "pip's console script changed shape"
    path = folder / "thidua"
    path.write_text(script, encoding="utf-8")
    path.chmod(0o755)
    return path


def worker_imports(folder: Path) -> dict[int, set[str]]:
    """The modules each pool worker of the run loaded, by pid."""
    return {
        int(p.stem.split("-")[1]): set(p.read_text(encoding="utf-8").split())
        for p in folder.glob("imports-*.txt")
    }


@pytest.mark.parametrize("how", ["console-script", "python-m"])
def test_the_crawls_workers_import_no_cli_under_either_entry(
    local_server: Any, tmp_path: Path, how: str
) -> None:
    site = serve_site(local_server, "127.0.0.1", "tin", [1, 2, 3])
    sites_file = tmp_path / "sites.toml"
    sites_file.write_text(
        f'[[site]]\nname = "tin"\nhosts = ["{site.hosts[0]}"]\nstart = ["{site.start[0]}"]\n'
        "delay = 0.0\ngate = false\n",
        encoding="utf-8",
    )
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE.format(folder=str(tmp_path)), encoding="utf-8")
    command = [str(console_script(tmp_path))] if how == "console-script" else [sys.executable, "-m", "thidua"]
    db_path = tmp_path / "t.db"
    done = subprocess.run(
        [*command, "crawl", "--db", str(db_path), "--sites", str(sites_file), "--timeout", "5"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(hook), str(ROOT)])},
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone() == (3,)

    workers = worker_imports(tmp_path)
    assert workers, "no pool worker recorded its imports"
    # Workers boot one after the other: on three pages the last may be stopped before it read one.
    assert any("extract" in m and "scraper.parse" in m for m in workers.values()), "no worker read pages"
    for pid, modules in workers.items():
        heavy = [m for m in HEAVY if m in modules]
        assert heavy == [], f"worker {pid} imported {heavy}"
        # A worker is a fresh interpreter running the worker module, not the entry script again.
        assert "thidua.launch" not in modules and "multiprocessing" not in modules
