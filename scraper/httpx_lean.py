"""httpx without its command-line client until someone runs it.

``httpx/__init__.py`` does ``from ._main import main``, and ``httpx._main`` imports click, rich (55
modules) and pygments whenever they are installed (rich is: thidua's progress display needs it): ~6 to
9 MB resident and ~100 modules in every crawling process, which never runs ``httpx`` on a command line.
``lean()`` puts a stand-in ``httpx._main`` into ``sys.modules`` before httpx is first imported; its
``main`` drops the stand-in and imports the real client when called, so ``httpx.main(...)`` still works.
``scraper/__init__.py`` calls it, so that every scraper module importing httpx (fetch, crawl, netbackend,
wire) finds the stand-in already there, whichever of them comes first.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any

_NAME = "httpx._main"


def _real_main(*args: Any, **kwargs: Any) -> Any:
    """httpx's command-line ``main``, imported now: the stand-in steps aside for the real module."""
    if getattr(sys.modules.get(_NAME), "stand_in", False):
        del sys.modules[_NAME]
    return importlib.import_module(_NAME).main(*args, **kwargs)


def lean() -> None:
    """Before httpx's first import: make ``httpx._main`` the stand-in (after it, nothing changes)."""
    if "httpx" in sys.modules or _NAME in sys.modules:
        return
    stand_in = ModuleType(_NAME, "Stand-in for httpx's command-line client (scraper.httpx_lean).")
    stand_in.main = _real_main  # type: ignore[attr-defined]
    stand_in.stand_in = True  # type: ignore[attr-defined]
    sys.modules[_NAME] = stand_in
