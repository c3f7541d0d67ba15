"""``python -m cli`` runs the thidua command (the tests run it this way)."""

from cli.main import main

main()
