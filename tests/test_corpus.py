"""The fixture corpus: every fixtures/articles/NNN_slug.txt must give its .json events exactly."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from extract import event_to_dict, extract_events
from tests.corpus_compare import differences

ARTICLES = Path(__file__).parents[1] / "fixtures" / "articles"
CASES = sorted(ARTICLES.glob("*.json"))


@pytest.mark.skipif(not CASES, reason="no fixture corpus under fixtures/articles yet")
@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_corpus_article(case: Path) -> None:
    expected = json.loads(case.read_text(encoding="utf-8"))
    text = case.with_suffix(".txt").read_text(encoding="utf-8")
    published = dt.date.fromisoformat(expected["published"]) if expected.get("published") else None
    actual = [event_to_dict(e) for e in extract_events(text, published)]
    assert differences(expected["events"], actual) == []
