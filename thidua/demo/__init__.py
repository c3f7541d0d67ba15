"""The offline demo: fixture news sites (package data, our own sentences) served on 127.0.0.1.

``thidua demo`` serves them with ``demo_sites()`` and crawls them with the real crawler. The sites
are package data (``thidua/demo/sites/``, read from this package's location, so an installed thidua
serves them). One server does all the serving: ``routeserver.RouteServer`` (127.0.0.1, a request log,
a routes mapping or a responder function); ``server.FixtureSites`` builds the fixture sites on it
(``sitespec`` reads their ``routes.toml``), the tests' ``local_server`` is a ``RouteServer`` and the
crawl bench serves its generated site with ``routeserver.directory_responder``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scraper.crawl import CrawlOptions
from scraper.sites import Site, load_sites
from thidua.demo.server import FixtureSites

#: How the demo crawls its local sites: short delays and timeouts, since nothing is remote.
DEMO_OPTIONS = CrawlOptions(delay=0.05, timeout=1.5, retries=2)


@contextmanager
def demo_sites(*, slow_seconds: float = 3.0) -> Iterator[tuple[list[Site], FixtureSites]]:
    """Serve the fixture sites for the ``with`` body; yield their ``Site`` entries and the server."""
    with FixtureSites(slow_seconds=slow_seconds) as server, tempfile.TemporaryDirectory() as tmp:
        sites_file = Path(tmp) / "sites.toml"
        sites_file.write_text(server.sites_toml(delay=DEMO_OPTIONS.delay or 0.0), encoding="utf-8")
        yield list(load_sites(sites_file)), server
