"""The shape of thidua.db: table DDL per schema version and view SQL.

The DDL is plain SQL (sqlite-utils' ``create_table`` cannot write CHECK constraints); migrations in
``db.migrations`` run it in order. ``db.descriptions.COLUMN_DESCRIPTIONS`` is the one place columns are
documented: it is copied into the ``_columns`` table of every database and merged into the Datasette
metadata.
"""

from __future__ import annotations

from extract.model import ACTIVITIES, ROLES, UNIT_KINDS
from scraper.frontier import KINDS, STATES
from scraper.robots import ROBOTS_MAX_BYTES

#: The schema version this code writes and reads; ``db.migrations.MIGRATIONS`` has this many steps.
SCHEMA_VERSION = 9

#: The FTS5 tokenizer: folds two-mark letters ("hồ" ~ "ho"); "đ" is handled by ``articles.folded``.
FTS_TOKENIZE = "unicode61 remove_diacritics 2"
#: Columns of ``articles`` indexed in ``articles_fts``.
FTS_COLUMNS = ("title", "lead", "body", "folded")


def _in(values: tuple[str, ...]) -> str:
    """SQL list literal of a vocabulary: ``('cụm', 'khối')``."""
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


def _json_array_of(column: str, values: tuple[str, ...]) -> str:
    """A CHECK expression: ``column`` is a compact JSON array whose items all belong to ``values``.

    CHECK cannot run a subquery over ``json_each``, so the known items are erased and nothing but
    brackets and commas may remain.
    """
    expr = column
    for v in values:
        expr = f"replace({expr}, '\"{v}\"', '')"
    expr = f"replace(replace(replace({expr}, ',', ''), '[', ''), ']', '')"
    return f"json_valid({column}) AND {expr} = ''"


_ISO_DATE = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"

# Version 1: the base tables.
V1_TABLES = f"""
CREATE TABLE schema_version (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE _columns (
    table_name TEXT NOT NULL,
    column_name TEXT NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (table_name, column_name)
) WITHOUT ROWID;
CREATE TABLE sources (
    name TEXT PRIMARY KEY,
    hosts TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(hosts)),
    start TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(start))
);
CREATE TABLE urls (
    url TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN {_in(KINDS)}),
    state TEXT NOT NULL DEFAULT 'new' CHECK (state IN {_in(STATES)}),
    discovered_at TEXT,
    fetched_at TEXT,
    next_check TEXT,
    etag TEXT,
    last_modified TEXT,
    http_status INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error TEXT,
    content_hash TEXT,
    title TEXT,
    published TEXT
);
CREATE INDEX urls_pending ON urls (site, kind, state, next_check);
CREATE INDEX urls_content_hash ON urls (content_hash);
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    canonical_url TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    site TEXT,
    title TEXT NOT NULL,
    lead TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    author TEXT,
    published TEXT,
    modified TEXT,
    fetched_at TEXT,
    language TEXT NOT NULL DEFAULT 'vi',
    content_hash TEXT NOT NULL,
    captions TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(captions)),
    extractor_version TEXT NOT NULL,
    events_count INTEGER NOT NULL DEFAULT 0 CHECK (events_count >= 0),
    stored_at TEXT,
    updated_at TEXT
);
CREATE INDEX articles_published ON articles (published);
CREATE TABLE clusters (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN {_in(UNIT_KINDS)}),
    number INTEGER CHECK (number IS NULL OR number >= 0),
    label TEXT NOT NULL,
    system TEXT
);
CREATE INDEX clusters_kind_number ON clusters (kind, number);
CREATE INDEX clusters_system ON clusters (system);
CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);
CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    cluster_id INTEGER NOT NULL REFERENCES clusters (id),
    event_date TEXT CHECK (event_date IS NULL OR event_date GLOB '{_ISO_DATE}'),
    year INTEGER,
    covenant_year INTEGER,
    date_text TEXT,
    location TEXT,
    activities TEXT NOT NULL DEFAULT '[]' CHECK ({_json_array_of("activities", ACTIVITIES)})
);
CREATE INDEX events_year_cluster ON events (year, cluster_id);
CREATE INDEX events_cluster_date ON events (cluster_id, event_date);
CREATE INDEX events_date ON events (event_date);
CREATE TABLE event_reports (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    cluster_label TEXT NOT NULL,
    system TEXT,
    event_date TEXT,
    date_text TEXT,
    covenant_year INTEGER,
    location TEXT,
    activities TEXT NOT NULL DEFAULT '[]' CHECK ({_json_array_of("activities", ACTIVITIES)}),
    members TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(members)),
    officials TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(officials)),
    PRIMARY KEY (event_id, article_id)
) WITHOUT ROWID;
CREATE INDEX event_reports_article ON event_reports (article_id);
CREATE TABLE event_members (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    role TEXT CHECK (role IS NULL OR role IN {_in(ROLES)}),
    position INTEGER NOT NULL,
    PRIMARY KEY (event_id, unit_id)
) WITHOUT ROWID;
CREATE INDEX event_members_unit ON event_members (unit_id);
CREATE TABLE event_officials (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people (id),
    title TEXT,
    position INTEGER NOT NULL,
    PRIMARY KEY (event_id, person_id)
) WITHOUT ROWID;
CREATE INDEX event_officials_person ON event_officials (person_id);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    command TEXT NOT NULL,
    sites TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(sites)),
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'ok', 'failed')),
    counts TEXT NOT NULL DEFAULT '{{}}' CHECK (json_valid(counts)),
    errors INTEGER NOT NULL DEFAULT 0 CHECK (errors >= 0)
);
CREATE INDEX runs_started ON runs (started_at);
CREATE TABLE run_errors (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    site TEXT,
    url TEXT,
    kind TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX run_errors_run ON run_errors (run_id);
CREATE INDEX run_errors_site ON run_errors (site);
"""

# Version 2: the folded search column (its FTS index is made by sqlite-utils' enable_fts) and views.
V2_FOLDED = "ALTER TABLE articles ADD COLUMN folded TEXT NOT NULL DEFAULT ''"

#: Version 3: the run statuses, "partial" (completed, but a site was aborted or every article of a
#: site failed) and "killed" (a run that died without closing its row) added.
RUN_STATUSES_V1 = "CHECK (status IN ('running', 'ok', 'failed'))"
RUN_STATUSES_V3 = "CHECK (status IN ('running', 'ok', 'partial', 'failed', 'killed'))"

# Version 4: one row per WARC file a backfill read, so a rerun skips the finished ones.
V4_WARC_FILES = """
CREATE TABLE warc_files (
    path TEXT PRIMARY KEY,
    records_seen INTEGER NOT NULL DEFAULT 0,
    records_kept INTEGER NOT NULL DEFAULT 0,
    articles INTEGER NOT NULL DEFAULT 0,
    events INTEGER NOT NULL DEFAULT 0,
    finished_at TEXT,
    error TEXT,
    CHECK ((finished_at IS NULL) <> (error IS NULL))
)
"""

# Version 5: whose an event is and when, as columns analysts facet and chart on (filled by
# db.events from extract.province; the v4 → v5 migration fills existing rows the same way).
V5_EVENT_COLUMNS = (
    "ALTER TABLE events ADD COLUMN province TEXT",
    "ALTER TABLE events ADD COLUMN province_named TEXT",
    "ALTER TABLE events ADD COLUMN month TEXT "
    "CHECK (month IS NULL OR month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]')",
)

_MEMBERS_TEXT = """(
        SELECT group_concat(txt, '; ') FROM (
            SELECT u.name || CASE WHEN m.role IS NULL THEN '' ELSE ' (' || m.role || ')' END AS txt
            FROM event_members m JOIN units u ON u.id = m.unit_id
            WHERE m.event_id = e.id ORDER BY m.position
        )
    )"""
_OFFICIALS_TEXT = """(
        SELECT group_concat(txt, '; ') FROM (
            SELECT p.name || CASE WHEN o.title IS NULL THEN '' ELSE ' (' || o.title || ')' END AS txt
            FROM event_officials o JOIN people p ON p.id = o.person_id
            WHERE o.event_id = e.id ORDER BY o.position
        )
    )"""
_SOURCE_URLS = """(
        SELECT group_concat(url, ' ') FROM (
            SELECT a.canonical_url AS url FROM event_reports r JOIN articles a ON a.id = r.article_id
            WHERE r.event_id = e.id ORDER BY a.id
        )
    )"""
_FIRST_URL = """(
        SELECT a.canonical_url FROM event_reports r JOIN articles a ON a.id = r.article_id
        WHERE r.event_id = e.id ORDER BY a.id LIMIT 1
    )"""
_ACTIVITIES_TEXT = "(SELECT group_concat(value, ', ') FROM json_each(e.activities))"

V2_VIEWS: dict[str, str] = {
    "events_view": f"""
SELECT
    e.id AS event_id,
    c.label AS cluster,
    e.cluster_id AS cluster_id,
    c.system AS system,
    c.kind AS kind,
    c.number AS number,
    e.event_date AS event_date,
    e.year AS year,
    {_ACTIVITIES_TEXT} AS activities,
    e.location AS location,
    {_MEMBERS_TEXT} AS members,
    {_OFFICIALS_TEXT} AS officials,
    {_SOURCE_URLS} AS source_urls,
    (SELECT count(*) FROM event_reports r WHERE r.event_id = e.id) AS article_count
FROM events e JOIN clusters c ON c.id = e.cluster_id""",
    "members_by_year": """
SELECT
    e.year AS year,
    c.label AS cluster,
    e.cluster_id AS cluster_id,
    c.system AS system,
    c.kind AS kind,
    c.number AS number,
    u.name AS unit,
    m.unit_id AS unit_id,
    group_concat(DISTINCT m.role) AS role,
    count(DISTINCT e.id) AS events
FROM event_members m
JOIN events e ON e.id = m.event_id
JOIN clusters c ON c.id = e.cluster_id
JOIN units u ON u.id = m.unit_id
GROUP BY e.year, e.cluster_id, m.unit_id""",
    "officials_appearances": f"""
SELECT
    p.name AS person,
    o.person_id AS person_id,
    o.title AS title,
    e.event_date AS event_date,
    e.year AS year,
    c.label AS cluster,
    e.cluster_id AS cluster_id,
    e.id AS event_id,
    {_ACTIVITIES_TEXT} AS activities,
    {_FIRST_URL} AS article_url
FROM event_officials o
JOIN people p ON p.id = o.person_id
JOIN events e ON e.id = o.event_id
JOIN clusters c ON c.id = e.cluster_id""",
}


#: The cluster as analysts tell it apart: label, then whose it is ("Cụm thi đua số 3 — tỉnh Nghệ An").
CLUSTER_TITLE = "c.label || CASE WHEN c.system IS NULL THEN '' ELSE ' — ' || c.system END"

#: Version 5: ``events_view`` gains the cluster's title, province (now and as named) and month.
V5_EVENTS_VIEW = f"""
SELECT
    e.id AS event_id,
    c.label AS cluster,
    {CLUSTER_TITLE} AS cluster_title,
    e.cluster_id AS cluster_id,
    c.system AS system,
    c.kind AS kind,
    c.number AS number,
    e.province AS province,
    e.province_named AS province_named,
    e.event_date AS event_date,
    e.month AS month,
    e.year AS year,
    {_ACTIVITIES_TEXT} AS activities,
    e.location AS location,
    {_MEMBERS_TEXT} AS members,
    {_OFFICIALS_TEXT} AS officials,
    {_SOURCE_URLS} AS source_urls,
    (SELECT count(*) FROM event_reports r WHERE r.event_id = e.id) AS article_count
FROM events e JOIN clusters c ON c.id = e.cluster_id"""


#: What ``thidua correct`` may set on an event (``corrections.field``).
CORRECTABLE = ("event_date", "date_text", "covenant_year", "location", "activities", "province")
#: What ``thidua merge`` may merge (``aliases.kind``) and the table each kind lives in.
MERGEABLE = {"cluster": "clusters", "unit": "units", "person": "people"}

#: Version 6: systemless clusters kept apart per site, analysts' merges and corrections.
V6_TABLES = f"""
ALTER TABLE clusters ADD COLUMN site TEXT;
CREATE TABLE aliases (
    kind TEXT NOT NULL CHECK (kind IN {_in(tuple(MERGEABLE))}),
    from_key TEXT NOT NULL,
    from_name TEXT NOT NULL,
    into_id INTEGER NOT NULL,
    made_at TEXT NOT NULL,
    PRIMARY KEY (kind, from_key)
) WITHOUT ROWID;
CREATE INDEX aliases_into ON aliases (kind, into_id);
CREATE TABLE corrections (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    field TEXT NOT NULL CHECK (field IN {_in(CORRECTABLE)}),
    value TEXT,
    made_at TEXT NOT NULL,
    PRIMARY KEY (event_id, field)
) WITHOUT ROWID
"""

#: The cluster as analysts tell it apart, version 6: a systemless cluster says which site it is from.
CLUSTER_TITLE_V6 = (
    "c.label || CASE WHEN c.system IS NOT NULL THEN ' — ' || c.system "
    "WHEN c.site IS NOT NULL THEN ' — (' || c.site || ')' ELSE '' END"
)
V6_EVENTS_VIEW = V5_EVENTS_VIEW.replace(CLUSTER_TITLE, CLUSTER_TITLE_V6, 1)

#: Version 8: each host's last robots.txt, kept across runs so the next run asks for it conditionally
#: (``urls`` has no room for a body). ``body`` is at most the 500 KiB a crawler reads (RFC 9309), in
#: characters of the text decoded from those bytes.
V8_ROBOTS_TXT = f"""
CREATE TABLE robots_txt (
    host TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    status INTEGER NOT NULL CHECK (status BETWEEN 200 AND 499),
    checked_at TEXT NOT NULL,
    fetched_at TEXT,
    etag TEXT,
    last_modified TEXT,
    body TEXT NOT NULL DEFAULT '' CHECK (length(body) <= {ROBOTS_MAX_BYTES})
)
"""
