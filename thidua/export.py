"""``thidua export``: the events table for pandas, DuckDB and spreadsheets.

JSON lines keep members and officials nested; CSV flattens them into one readable cell each
("Huyện Nông Cống (cụm trưởng); Huyện Đông Sơn"); Parquet keeps them typed (lists of structs), so
``pd.read_parquet`` and ``duckdb.sql("SELECT … FROM 'events.parquet'")`` need no parsing. Rows are
written as they are read, in batches, so a large database is never held in memory.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import IO, Any

from db.export import COLUMNS, ExportedEvent
from thidua.errors import UsageError

FORMATS = ("jsonl", "csv", "parquet")
BATCH = 10_000


def as_record(event: ExportedEvent) -> dict[str, Any]:
    """One event as a JSON-ready dict: dates in ISO form, members and officials as lists of dicts."""
    return {
        "event_id": event.event_id,
        "kind": event.kind,
        "number": event.number,
        "cluster": event.cluster,
        "system": event.system,
        "event_date": event.event_date.isoformat() if event.event_date else None,
        "year": event.year,
        "covenant_year": event.covenant_year,
        "date_text": event.date_text,
        "location": event.location,
        "activities": list(event.activities),
        "members": [{"name": m.name, "role": m.role} for m in event.members],
        "officials": [{"name": o.name, "title": o.title} for o in event.officials],
        "article_urls": list(event.article_urls),
    }


def as_flat_row(event: ExportedEvent) -> list[Any]:
    """One event as a CSV row (``COLUMNS`` order): lists joined into one cell each.

    Members read "Huyện Nông Cống (cụm trưởng); Huyện Đông Sơn", officials "Lê Văn Tùng (Chủ tịch
    UBND huyện); …", activities "signing, review", article URLs separated by spaces.
    """
    record = as_record(event)
    record["activities"] = ", ".join(event.activities)
    record["members"] = "; ".join(f"{m.name} ({m.role})" if m.role else m.name for m in event.members)
    record["officials"] = "; ".join(f"{o.name} ({o.title})" if o.title else o.name for o in event.officials)
    record["article_urls"] = " ".join(event.article_urls)
    return [record[c] for c in COLUMNS]


def write_events(events: Iterable[ExportedEvent], out: str | Path, fmt: str) -> int:
    """Write ``events`` to ``out`` (a path, or "-" for standard output in jsonl/csv) in ``fmt``;
    return how many were written. Raises UsageError for an unknown format or Parquet to stdout."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        if str(out) == "-":
            raise UsageError("Parquet is a binary file format: give a file name, not -")
        return _write_parquet(events, Path(out))
    with _text_output(out) as stream:
        if fmt == "jsonl":
            count = 0
            for event in events:
                stream.write(json.dumps(as_record(event), ensure_ascii=False) + "\n")
                count += 1
            return count
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        count = 0
        for event in events:
            writer.writerow(as_flat_row(event))
            count += 1
        return count


@contextmanager
def _text_output(out: str | Path) -> Iterator[IO[str]]:
    if str(out) == "-":
        yield sys.stdout
        return
    with open(out, "w", encoding="utf-8", newline="") as stream:
        yield stream


def _parquet_schema() -> Any:
    import pyarrow as pa

    member = pa.struct([("name", pa.string()), ("role", pa.string())])
    official = pa.struct([("name", pa.string()), ("title", pa.string())])
    return pa.schema(
        [
            ("event_id", pa.int64()),
            ("kind", pa.string()),
            ("number", pa.int32()),
            ("cluster", pa.string()),
            ("system", pa.string()),
            ("event_date", pa.date32()),
            ("year", pa.int32()),
            ("covenant_year", pa.int32()),
            ("date_text", pa.string()),
            ("location", pa.string()),
            ("activities", pa.list_(pa.string())),
            ("members", pa.list_(member)),
            ("officials", pa.list_(official)),
            ("article_urls", pa.list_(pa.string())),
        ]
    )


def _write_parquet(events: Iterable[ExportedEvent], path: Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise UsageError(
            "Parquet export needs pyarrow: pip install 'thidua[parquet]' (or export --format csv/jsonl)"
        ) from None
    schema = _parquet_schema()
    count = 0
    iterator = iter(events)
    with pq.ParquetWriter(path, schema) as writer:
        while batch := list(islice(iterator, BATCH)):
            records = [as_record(e) for e in batch]
            for record, event in zip(records, batch, strict=True):
                record["event_date"] = event.event_date
            writer.write_table(pa.Table.from_pylist(records, schema=schema))
            count += len(batch)
    return count
