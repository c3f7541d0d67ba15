"""Links the project plugin puts into Datasette cells: ids to their row pages, entities to their pages.

Datasette links a foreign key only in a table it knows the key of; in a view (``events_view``,
``members_by_year`` …) or a canned query an ``event_id`` or ``cluster_id`` is a bare number. And a
cluster's or person's row page lists what points at it, but not its timeline or appearances. These
functions say which link a cell gets (pure: the plugin turns them into markup).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

#: A column of a view or a canned query holding an id → the table whose row it names.
ID_COLUMNS: dict[str, str] = {
    "event_id": "events",
    "cluster_id": "clusters",
    "unit_id": "units",
    "person_id": "people",
    "article_id": "articles",
    "run": "runs",
    "run_id": "runs",
}

#: Every column ``id_link`` or ``entity_links`` may link: a cell of any other column links nowhere.
LINKED_COLUMNS: frozenset[str] = frozenset({*ID_COLUMNS, "id"})

#: The tables whose ``id`` Datasette already links (pk column, foreign keys): left to Datasette.
ENTITY_TABLES = ("events", "clusters", "units", "people", "articles", "runs")


@dataclass(frozen=True)
class Link:
    """One link of a cell: the path under the database (``clusters/5``, ``cluster_timeline?…``) and text."""

    path: str
    text: str


def id_link(column: str, table: str | None, value: object) -> Link | None:
    """The row-page link of an id cell in a view or a query result, or None.

    ``id_link("cluster_id", "events_view", 5)`` → ``Link("clusters/5", "5")``; a table's own
    columns (``table="events"``) are Datasette's to link, and a non-integer value links nowhere.
    """
    target = ID_COLUMNS.get(column)
    if target is None or table in ENTITY_TABLES or not _is_id(value):
        return None
    return Link(f"{target}/{value}", str(value))


def entity_links(table: str | None, column: str, value: object) -> tuple[Link, ...]:
    """The analyst pages of a cluster, unit or person, shown beside the ``id`` on its row page.

    ``entity_links("clusters", "id", 5)`` → its events, timeline (canned query), members by year and
    the cluster dashboard; ``entity_links("people", "id", 7)`` → its appearances. Other cells: ``()``.
    """
    if column != "id" or not _is_id(value):
        return ()
    if table == "clusters":
        return (
            Link("events_view?" + urlencode({"cluster_id": value}), "meetings"),
            Link("cluster_timeline?" + urlencode({"cluster_id": value}), "timeline"),
            Link("members_by_year?" + urlencode({"cluster_id": value}), "members by year"),
            Link("/-/dashboards/cluster?" + urlencode({"cluster": value}), "chart"),
        )
    if table == "people":
        return (
            Link("appearances_of_official?" + urlencode({"person_id": value}), "appearances"),
            Link("officials_appearances?" + urlencode({"person_id": value}), "all rows"),
        )
    if table == "units":
        return (Link("members_by_year?" + urlencode({"unit_id": value}), "memberships by year"),)
    return ()


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
