"""The ``thidua`` command line."""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="thidua")
def cli() -> None:
    """Crawl Vietnamese news sites for emulation-cluster meetings and store them in SQLite.

    \b
    Example:
        thidua crawl --db thidua.db
    """


def main() -> None:
    """Entry point of the ``thidua`` console script."""
    cli()
