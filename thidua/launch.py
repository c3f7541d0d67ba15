"""The ``thidua`` command's entry (the console script and ``python -m thidua``): the command line is
imported when the command runs, not when this module is.

Why a module of its own: the crawl's pool workers were once started with multiprocessing's "spawn",
which runs the parent's main *file* again in every worker (``.venv/bin/thidua``), and a console script
importing ``thidua.cli:main`` would have put the CLI, storage and the network stack (~60 MB) into each
of them. The workers are now ``python -m scraper.pool_worker`` processes that run no main file of the
crawl (``scraper.article_pool``); this entry still keeps the script's own import to this module.
"""

from __future__ import annotations


def main() -> None:
    """Run the ``thidua`` command line (``thidua.cli``) on ``sys.argv``, e.g. ``thidua crawl --db t.db``."""
    from thidua.cli import main as cli_main

    cli_main()
