"""thidua, the application: the jobs as a library (``thidua.app``), the command line (``thidua.cli``)
and the offline demo (``thidua.demo``). It is the only package that knows scraper, extract and db.

    >>> from thidua import app
    >>> report = app.crawl("thidua.db", app.load_sites())   # doctest: +SKIP

Importing this package imports nothing else, so ``python -m thidua`` can set up ``.venv`` on a fresh
clone before any dependency is installed.
"""
