"""Set up ``.venv`` in a checkout from nothing but python3, and keep it current.

``python3 -m thidua …`` on a fresh clone lands here (standard library only: nothing is installed yet):
the first run makes ``.venv`` and installs thidua into it, saying so; a later run reinstalls when
``pyproject.toml`` changed since the last install (a pull that adds a dependency), then hands over to
``.venv``'s python. ``./run-tests`` calls ``python3 -m thidua.bootstrap test`` for the test extras.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / "thidua-install.txt"


def in_checkout() -> bool:
    """True when this package runs from a source checkout (its ``pyproject.toml`` beside it)."""
    return (ROOT / "pyproject.toml").is_file() and (ROOT / "thidua" / "__init__.py").is_file()


def in_virtualenv() -> bool:
    """True inside any virtual environment: then the user chose the environment, we do not."""
    return sys.prefix != sys.base_prefix


def venv_python() -> Path:
    """The checkout's ``.venv`` interpreter."""
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def project_digest() -> str:
    """A short hash of ``pyproject.toml``: what the install in ``.venv`` was made from."""
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]


def installed() -> tuple[str, set[str]]:
    """The stamp of the last install: (pyproject digest, extras), or ("", set()) when none."""
    try:
        digest, _, extras = STAMP.read_text(encoding="ascii").strip().partition(" ")
    except OSError:
        return "", set()
    return digest, set(filter(None, extras.split(",")))


def is_current(extras: str) -> bool:
    """True when ``.venv`` holds an install of this ``pyproject.toml`` with at least ``extras``."""
    digest, have = installed()
    want = set(filter(None, extras.split(",")))
    return digest == project_digest() and want <= have and venv_python().exists()


def ensure_venv(extras: str = "") -> Path:
    """Make ``.venv`` and (re)install thidua with ``extras`` when needed; return its python.

    Progress goes to stderr, so a first install is not a minute of silence.
    """
    if is_current(extras):
        return venv_python()
    if not venv_python().exists():
        print(f"thidua: making {VENV} (first run)", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    digest, have = installed()
    # Extras installed from this same pyproject stay installed: the union is what the stamp says.
    keep = have if digest == project_digest() else set()
    extras = ",".join(sorted(keep | set(filter(None, extras.split(",")))))
    target = f"{ROOT}[{extras}]" if extras else str(ROOT)
    print(
        f"thidua: installing thidua{f'[{extras}]' if extras else ''} and its dependencies into {VENV} "
        "(pyproject.toml is new or changed; about a minute)",
        file=sys.stderr,
        flush=True,
    )
    result = subprocess.run(
        [str(venv_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target],
        check=False,
        stderr=subprocess.PIPE,
        text=True,
    )
    # pip warns once per package about index locations this machine's pip.conf names but lacks.
    noise = ("WARNING: Location ",)
    for line in result.stderr.splitlines():
        if not line.startswith(noise):
            print(line, file=sys.stderr)
    if result.returncode != 0:
        sys.exit(f"thidua: error: installing into {VENV} failed (pip exit {result.returncode}); see above")
    STAMP.write_text(f"{project_digest()} {extras}\n", encoding="ascii")
    print("thidua: installed", file=sys.stderr, flush=True)
    return venv_python()


def main(argv: list[str]) -> None:
    """``python3 -m thidua.bootstrap [EXTRAS]``: make ``.venv`` current with those extras."""
    ensure_venv(argv[0] if argv else "")


if __name__ == "__main__":
    main(sys.argv[1:])
