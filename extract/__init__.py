"""Text in, events out: find emulation-cluster meetings in Vietnamese news text. Pure, no I/O.

``from extract import extract_events``;
``extract_events(text, published=None, *, source=None, site_system=None) -> list[Event]`` (``source``: the
article URL; ``site_system``: the site's own system from sites.toml).
underthesea is imported lazily on the first extraction, so importing this package stays cheap.
"""

from extract.model import Event, Member, Official
from extract.pipeline import extract_events
from extract.serialize import EventFormatError, event_from_dict, event_to_dict, format_events

# Bump whenever the output of extract_events can change for the same input (db re-extraction key).
EXTRACTOR_VERSION: str = "1.8.0"

__all__ = [
    "EXTRACTOR_VERSION",
    "Event",
    "EventFormatError",
    "Member",
    "Official",
    "event_from_dict",
    "event_to_dict",
    "extract_events",
    "format_events",
]
