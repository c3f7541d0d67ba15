"""underthesea's offline pieces (the Punkt sentence splitter, the tone/token table, the address list)
loaded from its installed files without ``import underthesea``.

The package's ``__init__`` imports every pipeline it has (chunking, NER, POS tagging …) and through
them joblib, requests and tqdm: ~72 MB for three small data files. Here only the module files
extraction calls are executed, each as a private module, so the results are underthesea's own
(``tests/test_underthesea_files.py`` compares them with the package's); nothing is downloaded.
"""

from __future__ import annotations

import importlib.util
import pickle
import sys
from functools import lru_cache
from pathlib import Path
from types import ModuleType

_PRIVATE = "extract._underthesea"  # where the modules loaded here live in sys.modules


@lru_cache(maxsize=1)
def package_dir() -> Path:
    """The installed underthesea package's folder, found without executing its ``__init__``."""
    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("underthesea is not installed (it is a pinned dependency of thidua)")
    return Path(next(iter(spec.submodule_search_locations)))


def _package(name: str, folder: Path) -> ModuleType:
    """A private package over ``folder``: its module files import each other relatively."""
    package = ModuleType(name)
    package.__path__ = [str(folder)]
    sys.modules[name] = package
    return package


@lru_cache(maxsize=1)
def sent_tokenize_module() -> ModuleType:
    """underthesea's ``pipeline/sent_tokenize`` module (its ``sent_tokenize``), which needs only json."""
    path = package_dir() / "pipeline" / "sent_tokenize" / "__init__.py"
    spec = importlib.util.spec_from_file_location(f"{_PRIVATE}_sent_tokenize", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@lru_cache(maxsize=1)
def token_normalize_module() -> ModuleType:
    """underthesea's ``pipeline/text_normalize/token_normalize`` module (its ``token_normalize``).

    Its rule table is a plain pickle that underthesea reads with ``joblib.load``; ``pickle`` reads the
    same file into the same dict, so the module gets its ``text_normalizer`` without importing joblib.
    """
    folder = package_dir() / "pipeline" / "text_normalize"
    name = f"{_PRIVATE}_text_normalize"
    _package(name, folder)
    with (folder / "tn_rules_2023_07_14.bin").open("rb") as file:
        rules = pickle.load(file)  # underthesea's own bundled file
    table = ModuleType(f"{name}.text_normalizer")
    table.character_map = rules["character"]  # type: ignore[attr-defined]
    table.token_map = rules["token"]  # type: ignore[attr-defined]
    sys.modules[table.__name__] = table
    return importlib.import_module(f"{name}.token_normalize")


def address_mapping_path() -> Path | None:
    """underthesea's ``address/data/mapping.json`` (provinces and districts), or None if missing."""
    path = package_dir() / "address" / "data" / "mapping.json"
    return path if path.exists() else None
