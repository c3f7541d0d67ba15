"""``python -m thidua`` runs the thidua command.

From a checkout with a plain python3 (no virtual environment), it first makes ``.venv`` current
(``thidua.bootstrap``) and re-runs itself there, so ``python3 -m thidua crawl`` works on a fresh clone.
"""

import os
import sys

from thidua import bootstrap

if bootstrap.in_checkout() and not bootstrap.in_virtualenv():
    python = bootstrap.ensure_venv()
    os.execv(str(python), [str(python), "-m", "thidua", *sys.argv[1:]])

from thidua.launch import main

main()
