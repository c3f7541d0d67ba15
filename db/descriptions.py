"""What every table, view and column of the schema means: the one text Datasette, ``_columns`` and
docs/schema.md show. A new column of ``db.schema`` gets its line here (``tests/test_schema.py`` checks).
"""

from __future__ import annotations

from extract.model import ACTIVITIES
from scraper.frontier import KINDS

# The 34 provinces after the July 2025 merger are what ``province`` holds, so counts over years add
# up to today's map; the province a report named (one of the 63 before the merger, or a new one) is
# kept beside it, which costs one column.
_PROVINCE_COLUMNS = {
    "province": "The province the event belongs to, as of the July 2025 merger (one of 34), e.g. "
    "'tỉnh Lâm Đồng' for a cluster of tỉnh Đắk Nông: from the cluster's system, else the one province "
    "all its placed members lie in, else its venue; empty for national bodies and clusters of provinces.",
    "province_named": "The same province as the reports name it (one of the 63 before the merger, "
    "or a new one), e.g. 'tỉnh Đắk Nông'.",
    "month": "Month of event_date, 'YYYY-MM'; empty when the date is unknown.",
}

TABLE_DESCRIPTIONS: dict[str, str] = {
    "schema_version": "One row per schema migration applied to this file; the highest is the file's version.",
    "_columns": "What every column of every table and view means (the same text Datasette shows).",
    "sources": "The news sites configured in sites.toml, as of the last crawl.",
    "urls": "The crawl frontier: every URL the crawler knows, its state and when to look at it again.",
    "robots_txt": "Each host's robots.txt as last answered, kept so the next crawl asks for it "
    "conditionally (a 304 applies the kept text, a 200 replaces it, a 4xx empties it).",
    "articles": "News articles stored by the crawler, one row per canonical URL, with the extractor version "
    "that produced their events. Full-text search: articles_fts (add no diacritics to match "
    "the folded column, e.g. 'dong chi', 'dua').",
    "clusters": "Emulation clusters (cụm) and blocs (khối), keyed by system + kind + number (or normalised "
    "label when unnumbered).",
    "units": "Member units of clusters, keyed by normalised name; name is the spelling first seen.",
    "people": "Officials who took part in meetings, keyed by normalised name without honorifics; name is "
    "the spelling first seen.",
    "events": "One meeting of one cluster: the same cluster on the same date is one event however many "
    "articles report it (see event_reports).",
    "event_reports": "Which article reported which event, and what that article said about it (GDELT's "
    "mentions).",
    "event_members": "Member units present at an event (union over its reports), with their role.",
    "event_officials": "Officials present at an event (union over its reports), with their title.",
    "runs": "One row per crawl (or other command) run: when, what, counts, status.",
    "run_errors": "Errors met during a run, one row each (page errors do not fail a run).",
    "warc_files": "One row per WARC file a backfill read: its counts, and when it finished or why it failed "
    "(a finished file is skipped by the next backfill, a failed one is read again).",
    "aliases": "Analysts' merges (thidua merge KIND FROM_ID INTO_ID): the key of a cluster, unit or person "
    "merged into another row; storage sends every later report of that key to the kept row, across "
    "crawls and thidua reextract.",
    "corrections": "Analysts' corrections of events (thidua correct EVENT_ID FIELD VALUE): laid over what "
    "the reports say each time storage recomputes the event, so they survive thidua reextract.",
    "events_view": "One readable row per event: cluster, date, year, activities, members, officials, "
    "source URLs.",
    "members_by_year": "Who was in which cluster each year, with their role (cụm trưởng …).",
    "member_years": "Each cluster, year and unit with a member row, kept by triggers so members_by_year "
    "lists its rows without grouping every member of every event (internal; browse members_by_year).",
    "undated_windows": "The first and last publication day of each undated event's articles, kept by "
    "triggers so storage finds the undated events a dated report takes in by a range (internal).",
    "officials_appearances": "Every event an official attended, with title, date, cluster and an article.",
}

COLUMN_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "schema_version": {
        "version": "Schema version reached by this migration (1 = base tables, 2 = search + views, "
        "3 = run statuses partial and killed, 4 = warc_files, 5 = events.province and month, "
        "6 = entities re-keyed, aliases and corrections, 7 = member_years and the faster analyst views, "
        "8 = robots_txt, 9 = undated_windows).",
        "name": "What the migration did.",
    },
    "_columns": {
        "table_name": "Table or view.",
        "column_name": "Column of that table or view.",
        "description": "What the column holds.",
    },
    "sources": {
        "name": "Short unique name of the site (sites.toml).",
        "hosts": "JSON array of the site's host names.",
        "start": "JSON array of the feeds, sitemaps and listing pages the crawl starts from.",
    },
    "urls": {
        "url": "Canonical URL.",
        "site": "Name of the site it belongs to (sources.name).",
        "kind": "What the URL is: " + ", ".join(KINDS) + ".",
        "state": "new (never fetched), fetched, failed (retry at next_check), gone (404/410), skipped.",
        "discovered_at": "When the crawler first saw the URL (ISO 8601, UTC).",
        "fetched_at": "When it was last fetched (ISO 8601, UTC).",
        "next_check": "When to fetch it again (ISO 8601, UTC); empty means at the next crawl.",
        "etag": "ETag validator of the last response.",
        "last_modified": "Last-Modified validator of the last response, as sent.",
        "http_status": "HTTP status of the last response.",
        "attempts": "Number of fetch attempts so far.",
        "last_error": "Message of the last failure.",
        "content_hash": "sha256 of the article text fetched from this URL (for duplicate detection).",
        "title": "Title hint from a feed, sitemap or listing page.",
        "published": "Publication time hint from a feed or news sitemap (ISO 8601, UTC).",
    },
    "robots_txt": {
        "host": "Host (and port, when not the default) the rules are for, e.g. nld.com.vn.",
        "url": "The robots.txt URL that answered, after same-site redirects.",
        "status": "HTTP status of the last answer that decided the rules: 200 (body holds them) or a "
        "4xx (no file: everything allowed).",
        "checked_at": "When the host last answered 200, 304 or 4xx for it (ISO 8601, UTC).",
        "fetched_at": "When body was downloaded, the last 200 (ISO 8601, UTC).",
        "etag": "ETag of the last 200, sent as If-None-Match by the next crawl.",
        "last_modified": "Last-Modified of the last 200, sent as If-Modified-Since by the next crawl.",
        "body": "The robots.txt text (the first 500 KiB, RFC 9309); empty after a 4xx.",
    },
    "articles": {
        "id": "Article id.",
        "url": "URL the article was fetched from.",
        "canonical_url": "Canonical URL (one row per canonical URL).",
        "source": "Host of the canonical URL, e.g. nld.com.vn.",
        "site": "Name of the configured site (sources.name), empty for unknown sites.",
        "title": "Headline.",
        "lead": "Lead paragraph (sapo).",
        "body": "Body text, paragraphs separated by blank lines, captions and boxes removed.",
        "author": "Byline as written.",
        "published": "Publication time (ISO 8601 with offset, usually +07:00).",
        "modified": "Last modification time given by the site (ISO 8601 with offset).",
        "fetched_at": "When thidua fetched this version of the article (ISO 8601 with offset).",
        "language": "Language code, 'vi'.",
        "content_hash": "sha256 of title, lead and body (NFC): a changed hash means the site edited it.",
        "captions": "JSON array of image captions.",
        "extractor_version": "Version of the event extractor that produced this article's events.",
        "events_count": "Number of events extracted from this article.",
        "stored_at": "When the article was first stored (its first fetch time).",
        "updated_at": "When its stored text or events last changed (that fetch time).",
        "folded": "Title, lead and body lower-cased without diacritics and with đ→d, for searches "
        "typed without accents ('dong chi', 'dua').",
    },
    "clusters": {
        "id": "Cluster id.",
        "key": "Identity: kind|system key (or @host when the system is unknown)|number (or normalised "
        "label when unnumbered); the system key is "
        "that of its one spelling (extract/data/system_aliases.toml: 'UBND tỉnh X' = 'tỉnh X', "
        "'TPHCM' = 'thành phố Hồ Chí Minh', 'MTTQ' = 'Ủy ban Mặt trận Tổ quốc Việt Nam' …).",
        "kind": "cụm (cluster) or khối (bloc).",
        "number": "Cluster number (17 for 'Cụm thi đua số 17', 12 for 'số XII'); empty when unnumbered.",
        "label": "The cluster as first written, e.g. 'Cụm thi đua số 3'.",
        "system": "The body the cluster belongs to in its one spelling, e.g. 'tỉnh Thanh Hóa' for 'UBND "
        "tỉnh Thanh Hoá'; empty when unknown.",
        "site": "When the system is unknown: the host of the site that reported the cluster, which keeps "
        "it apart from other provinces' clusters of the same number (never pooled nationwide).",
    },
    "units": {
        "id": "Unit id.",
        "key": "Identity: province|name, both normalised (NFC, lower case, one tone placement, spaces "
        "collapsed); the province is the event's (post-2025), else the one the name places it in, else "
        "empty: 'Huyện Châu Thành' of two provinces are two units.",
        "name": "Name as first seen, e.g. 'Quận Gò Vấp'.",
    },
    "people": {
        "id": "Person id.",
        "key": "Identity: province of the event (post-2025, empty when none)|name normalised (NFC, lower "
        "case, one tone placement, honorifics removed).",
        "name": "Full name as first seen, without honorifics.",
    },
    "events": {
        "id": "Event id.",
        "key": "Identity: cluster id|first event date (|article URL when a neighbouring day's event holds "
        "that), or cluster id|article URL when undated. The same meeting reported by several sites is "
        "one event: same cluster and day, a day apart with a member in common, or undated within the "
        "article's week (db/matching.py).",
        "cluster_id": "The cluster that met (clusters.id).",
        "event_date": "Date of the meeting (YYYY-MM-DD), the one most reports give (earliest of a tie); "
        "empty when no report gave it.",
        "year": "Emulation year: the covenant year when reported, else the year of event_date.",
        "covenant_year": "The year the emulation covenant is for, when reported.",
        "date_text": "The phrase the date came from, e.g. 'Chiều 15/4'.",
        "location": "Where the meeting took place, as written.",
        "activities": "JSON array, a subset of " + ", ".join(ACTIVITIES) + " (signing = ký kết giao ước, "
        "review = tổng kết/sơ kết, launch = phát động).",
        **{column: _PROVINCE_COLUMNS[column] for column in ("province", "province_named", "month")},
    },
    "aliases": {
        "kind": "cluster, unit or person.",
        "from_key": "The identity key (clusters.key, units.key, people.key) that was merged away.",
        "from_name": "Its label or name, as shown before the merge.",
        "into_id": "The row it was merged into (clusters.id, units.id or people.id by kind).",
        "made_at": "When the analyst merged it (ISO 8601, UTC).",
    },
    "corrections": {
        "event_id": "The corrected event (events.id).",
        "field": "The corrected field: event_date, date_text, covenant_year, location, activities (JSON "
        "array) or province (month and year follow event_date and covenant_year).",
        "value": "The analyst's value; empty clears the field.",
        "made_at": "When the analyst corrected it (ISO 8601, UTC).",
    },
    "event_reports": {
        "event_id": "The event (events.id).",
        "article_id": "The article that reported it (articles.id).",
        "position": "Order of the event within the article (0 = first).",
        "cluster_label": "The cluster as this article wrote it.",
        "system": "The cluster's system as this article gave it.",
        "event_date": "The meeting date this article gave (YYYY-MM-DD).",
        "date_text": "The date phrase in this article.",
        "covenant_year": "The covenant year this article gave.",
        "location": "The location this article gave.",
        "activities": "Activities this article reported (JSON array).",
        "members": "Members as this article wrote them: JSON array of [name, role].",
        "officials": "Officials as this article wrote them: JSON array of [name, title].",
    },
    "event_members": {
        "event_id": "The event (events.id).",
        "unit_id": "The member unit (units.id).",
        "role": "cụm trưởng, cụm phó, khối trưởng, khối phó, or empty for an ordinary member.",
        "position": "Order in which the unit was listed (first report first).",
    },
    "event_officials": {
        "event_id": "The event (events.id).",
        "person_id": "The official (people.id).",
        "title": "Title as written, e.g. 'Phó Chủ tịch UBND tỉnh'.",
        "position": "Order in which the official was named (first report first).",
    },
    "runs": {
        "id": "Run id.",
        "command": "The thidua command that ran, e.g. crawl, ingest, reextract.",
        "sites": "JSON array of the site names the run covered.",
        "started_at": "Start time (ISO 8601, UTC).",
        "finished_at": "End time (ISO 8601, UTC); empty while running or if the process died.",
        "status": "running; ok (completed, maybe with page errors); partial (completed, but a site was "
        "aborted or every article of a site failed); failed (no site answered, or the crawler could not "
        "start); killed (the process died and a later run found it still 'running').",
        "counts": 'JSON object of counters, e.g. {"fetched": 120, "articles": 14, "events": 3}; a crawl '
        'adds "sites", each site\'s own counts (new_articles, requests, entry_points, entry_failed, '
        "selectors_nothing, pages_fetched, article_selectors_nothing), which the nightly health report "
        "reads.",
        "errors": "Number of run_errors rows of this run.",
    },
    "run_errors": {
        "id": "Error id.",
        "run_id": "The run (runs.id).",
        "site": "Site name, when the error belongs to one.",
        "url": "URL, when the error belongs to one.",
        "kind": "Kind of error, e.g. http, parse, robots, timeout.",
        "message": "What went wrong.",
    },
    "warc_files": {
        "path": "Absolute path of the WARC file as the backfill resolved it.",
        "records_seen": "WARC records of every type read in the file.",
        "records_kept": "Response records whose target URI is on a configured site (or .vn with --all-vn).",
        "articles": "Articles of the file stored (relevant, within the date window), new or already known.",
        "events": "Events those articles report.",
        "finished_at": "When the file was read to its end and its articles stored (ISO 8601, UTC); "
        "empty when it failed.",
        "error": "Why the file failed (corrupt gzip, truncated record, bad Content-Length, unreadable); "
        "nothing of a failed file is stored.",
    },
    "events_view": {
        "event_id": "Event id (events.id).",
        "cluster": "Cluster label as first written.",
        "cluster_title": "The cluster and whose it is, to tell clusters apart in facets and timelines: "
        "'Cụm thi đua số 3 — tỉnh Nghệ An'.",
        "cluster_id": "Cluster id (clusters.id).",
        "system": "The body the cluster belongs to.",
        "kind": "cụm or khối.",
        "number": "Cluster number, empty when unnumbered.",
        **_PROVINCE_COLUMNS,
        "event_date": "Date of the meeting (YYYY-MM-DD).",
        "year": "Emulation year (covenant year, else the event's year).",
        "activities": "Activities, comma separated.",
        "location": "Where the meeting took place.",
        "members": "Member units in listed order, role in brackets: 'A (cụm trưởng); B; C'.",
        "officials": "Officials with title in brackets: 'Nguyễn Văn A (Phó Chủ tịch UBND tỉnh); …'.",
        "source_urls": "Canonical URLs of the articles that reported the event, space separated.",
        "article_count": "Number of articles that reported the event.",
    },
    "member_years": {
        "cluster_id": "Cluster id (clusters.id).",
        "year": "Emulation year of the events; empty when they have none.",
        "unit_id": "Unit id (units.id).",
    },
    "undated_windows": {
        "cluster_id": "Cluster id (clusters.id) of the undated event.",
        "first_day": "First publication day (YYYY-MM-DD) of the articles reporting the event.",
        "event_id": "Event id (events.id), an event with no date.",
        "last_day": "Last publication day (YYYY-MM-DD) of the articles reporting the event.",
    },
    "members_by_year": {
        "year": "Emulation year.",
        "cluster": "Cluster label.",
        "cluster_id": "Cluster id (clusters.id).",
        "system": "The body the cluster belongs to.",
        "kind": "cụm or khối.",
        "number": "Cluster number.",
        "unit": "Member unit name.",
        "unit_id": "Unit id (units.id).",
        "role": "Role(s) held that year, comma separated; empty for an ordinary member.",
        "events": "Number of that year's events of the cluster the unit appeared in.",
    },
    "officials_appearances": {
        "person": "Official's name.",
        "person_id": "Person id (people.id).",
        "title": "Title at that event, as written.",
        "event_date": "Date of the meeting.",
        "year": "Emulation year.",
        "cluster": "Cluster label.",
        "cluster_id": "Cluster id (clusters.id).",
        "event_id": "Event id (events.id).",
        "activities": "Activities of the event, comma separated.",
        "article_url": "Canonical URL of the first article that reported the event.",
    },
}
