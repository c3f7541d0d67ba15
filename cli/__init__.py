"""The ``thidua`` command: wires scraper → extract → db."""
