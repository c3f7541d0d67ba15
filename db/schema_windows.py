"""Version 9 of the schema: the publication window of every undated event, so matching reads a range.

A dated report that makes a new event takes in the undated events of its cluster whose articles were
published from the day before the meeting to ``WINDOW_BEFORE`` days after it (``db.matching``).
Finding them computed the first and last publication day of every undated event of the cluster,
for every report: the cost of storing an event grew with the file (at 100,000 events it was most of
the matching time). ``undated_windows`` holds those two days for each undated event that has a
dated article, keyed by cluster and first day, so the candidates are one range of its primary key.

Triggers keep it: any write to an event's reports, to its date or cluster, or to an article's
publication time recomputes the windows it touches (with the same ``min``/``max`` the matching query
used), whoever writes (storage, re-extraction, merges, migrations). A dated event has no row; its
triggers cost one lookup of the event's date per report written.
"""

from __future__ import annotations

#: The window rows of the undated events picked by ``{where}`` (the SQL of the old matching query).
_WINDOWS = """INSERT INTO undated_windows (cluster_id, first_day, event_id, last_day)
        SELECT e.cluster_id, min(substr(a.published, 1, 10)), e.id, max(substr(a.published, 1, 10))
        FROM events e JOIN event_reports r ON r.event_id = e.id JOIN articles a ON a.id = r.article_id
        WHERE {where} AND e.event_date IS NULL AND a.published IS NOT NULL
        GROUP BY e.id"""


#: The events an article reports (for its publication time changing).
_OF_ARTICLE = "e.id IN (SELECT event_id FROM event_reports WHERE article_id = NEW.id)"


def _recompute(events: str) -> str:
    """Trigger statements recomputing the windows of the events picked by the SQL test ``events``."""
    where = events.replace("e.id", "event_id")
    return f"""
    DELETE FROM undated_windows WHERE {where};
    {_WINDOWS.format(where=events)};"""


V9_UNDATED_WINDOWS: tuple[str, ...] = (
    """
CREATE TABLE undated_windows (
    cluster_id INTEGER NOT NULL,
    first_day TEXT NOT NULL,
    event_id INTEGER NOT NULL UNIQUE,
    last_day TEXT NOT NULL,
    PRIMARY KEY (cluster_id, first_day, event_id)
) WITHOUT ROWID
""",
    _WINDOWS.format(where="1"),
    f"""
CREATE TRIGGER undated_windows_report_added AFTER INSERT ON event_reports
WHEN (SELECT event_date FROM events WHERE id = NEW.event_id) IS NULL
BEGIN{_recompute("e.id = NEW.event_id")}
END
""",
    f"""
CREATE TRIGGER undated_windows_report_removed AFTER DELETE ON event_reports
WHEN EXISTS (SELECT 1 FROM undated_windows WHERE event_id = OLD.event_id)
BEGIN{_recompute("e.id = OLD.event_id")}
END
""",
    f"""
CREATE TRIGGER undated_windows_report_moved AFTER UPDATE OF event_id, article_id ON event_reports
BEGIN{_recompute("e.id = OLD.event_id")}{_recompute("e.id = NEW.event_id")}
END
""",
    f"""
CREATE TRIGGER undated_windows_event_changed AFTER UPDATE OF id, event_date, cluster_id ON events
WHEN OLD.id IS NOT NEW.id OR OLD.event_date IS NOT NEW.event_date OR OLD.cluster_id IS NOT NEW.cluster_id
BEGIN
    DELETE FROM undated_windows WHERE event_id = OLD.id;{_recompute("e.id = NEW.id")}
END
""",
    """
CREATE TRIGGER undated_windows_event_deleted AFTER DELETE ON events
BEGIN
    DELETE FROM undated_windows WHERE event_id = OLD.id;
END
""",
    f"""
CREATE TRIGGER undated_windows_article_moved AFTER UPDATE OF published ON articles
WHEN OLD.published IS NOT NEW.published BEGIN{_recompute(_OF_ARTICLE)}
END
""",
)

#: Undoing ``V9_UNDATED_WINDOWS``: the v6 migration stores through ``db.matching``, which reads the
#: table, so it makes the table for its re-keying and drops it after (version 6 has none).
V9_DROP: tuple[str, ...] = (
    *(
        f"DROP TRIGGER undated_windows_{name}"
        for name in (
            "report_added",
            "report_removed",
            "report_moved",
            "event_changed",
            "event_deleted",
            "article_moved",
        )
    ),
    "DROP TABLE undated_windows",
)
