"""Refuse an event whose values the schema would reject, before anything is written.

``validate_event(event, where)`` returns None for a storable event and raises InvalidEventError
saying every problem otherwise (a role outside the vocabulary, an empty name …).
"""

from __future__ import annotations

from db.errors import InvalidEventError
from db.normalize import display_name
from extract.model import ACTIVITIES, ROLES, UNIT_KINDS, Event

_ACTIVITY_SET = frozenset(ACTIVITIES)
_ROLE_SET = frozenset(ROLES)


def validate_event(event: Event, where: str) -> None:
    """Raise InvalidEventError if ``event`` holds a value the schema would reject."""
    if _valid(event):
        return
    problems = []
    if event.unit_kind not in UNIT_KINDS:
        problems.append(f"unit_kind {event.unit_kind!r} is not one of {UNIT_KINDS}")
    problems += [
        f"activity {a!r} is not one of {ACTIVITIES}" for a in event.activities if a not in ACTIVITIES
    ]
    problems += [
        f"member role {m.role!r} is not one of {ROLES}"
        for m in event.members
        if m.role is not None and m.role not in ROLES
    ]
    if not display_name(event.cluster_label):
        problems.append("cluster_label is empty")
    problems += ["a member has no name" for m in event.members if not display_name(m.name)]
    problems += ["an official has no name" for o in event.officials if not display_name(o.name)]
    if problems:
        label = event.cluster_label or "?"
        raise InvalidEventError(
            f"event of {label!r} in {where}: "
            + "; ".join(problems)
            + " (fix the extractor; nothing was stored)"
        )


def _valid(event: Event) -> bool:
    """True when ``event`` holds only values the schema accepts (plain loops: every stored event pays
    this, and generator expressions in ``all`` cost twice as much)."""
    if event.unit_kind not in UNIT_KINDS or not _ACTIVITY_SET.issuperset(event.activities):
        return False
    for member in event.members:
        if (member.role is not None and member.role not in _ROLE_SET) or not display_name(member.name):
            return False
    for official in event.officials:
        if not display_name(official.name):
            return False
    return bool(display_name(event.cluster_label))
