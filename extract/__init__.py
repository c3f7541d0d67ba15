"""Text in, events out: find emulation-cluster meetings in Vietnamese news text. Pure, no I/O."""

from extract.model import Event, Member, Official

__all__ = ["Event", "Member", "Official"]
