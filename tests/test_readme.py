"""The README's sample event is what the extractor really gives for the README's sample text."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from extract import event_to_dict, extract_events

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_sample_event_is_the_extractors_output() -> None:
    text = README.read_text(encoding="utf-8")
    sample = re.search(r"```text\n(.*?)```", text, re.S)
    shown = re.search(r"```json\n(.*?)```", text, re.S)
    published = re.search(r"--published (\d{4}-\d{2}-\d{2})", text)
    assert sample and shown and published
    events = extract_events(sample.group(1), dt.date.fromisoformat(published.group(1)))
    assert [event_to_dict(e) for e in events] == [json.loads(shown.group(1))]
