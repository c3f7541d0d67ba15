"""The ``thidua`` command's entry (the console script and ``python -m thidua``): the command line is
imported when the command runs, not when this module is.

Why a module of its own: the crawl's pool workers are started with multiprocessing's "spawn", and a
started worker first runs its parent's main *file* again (as ``__mp_main__``, so that functions defined
there unpickle). Under the console script that file is ``.venv/bin/thidua``, whose only import is this
module's ``main``: were it ``thidua.cli:main``, every worker would import the CLI and through it
storage, the console and the crawler's network stack (click, rich, sqlite-utils, httpx: ~60 MB of
resident memory per worker) that it never runs. ``python -m thidua`` is never run again (multiprocessing
skips a ``__main__`` module run by name).
"""

from __future__ import annotations


def main() -> None:
    """Run the ``thidua`` command line (``thidua.cli``) on ``sys.argv``, e.g. ``thidua crawl --db t.db``."""
    from thidua.cli import main as cli_main

    cli_main()
