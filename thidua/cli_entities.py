"""The analyst's commands: ``merge`` (one cluster, unit or person is another) and ``correct`` (an
event's field is X). Each calls ``thidua.overrides`` and nothing else."""

from __future__ import annotations

from pathlib import Path

import click

from db.schema import CORRECTABLE, MERGEABLE
from thidua.console import DB_OPTION, command_help
from thidua.errors import UsageError

EXAMPLES = {
    "merge": "thidua merge unit 12 7 --db thidua.db",
    "correct": "thidua correct 42 event_date 2025-03-06 --db thidua.db",
}


@click.command(
    help=command_help(
        "Merge cluster, unit or person FROM_ID into INTO_ID (ids as in Datasette): their events, "
        "members and appearances move to INTO_ID, FROM_ID is deleted, and its key is kept in the "
        "aliases table, so later crawls and `thidua reextract` send it to INTO_ID too. Exits 2 for an "
        "id that does not exist.",
        EXAMPLES["merge"],
    )
)
@click.argument("kind", type=click.Choice(tuple(MERGEABLE)))
@click.argument("from_id", type=int)
@click.argument("into_id", type=int)
@DB_OPTION
def merge(kind: str, from_id: int, into_id: int, db_path: Path) -> None:
    from thidua import overrides

    done = overrides.merge(db_path, kind, from_id, into_id)
    click.echo(
        f"merged {kind} {from_id} ({done.from_name}) into {into_id} ({done.into_name}): {done.events} events"
    )


@click.command(
    help=command_help(
        "Correct an event: FIELD of EVENT_ID is VALUE (event_date as YYYY-MM-DD, covenant_year as a "
        "year, activities comma separated, province as 'tỉnh X'). Kept in the corrections table and "
        "laid over the reports each time the event is recomputed, so it survives `thidua reextract`; "
        "--clear drops it. Exits 2 for an unknown event, field or a bad value.",
        EXAMPLES["correct"],
    )
)
@click.argument("event_id", type=int)
@click.argument("field", type=click.Choice(CORRECTABLE))
@click.argument("value", required=False)
@click.option("--clear", is_flag=True, help="Drop the correction: the reports' value comes back.")
@DB_OPTION
def correct(event_id: int, field: str, value: str | None, clear: bool, db_path: Path) -> None:
    from thidua import overrides

    if clear == (value is not None):
        raise UsageError("give either a VALUE or --clear")
    stored = overrides.correct(db_path, event_id, field, value)
    click.echo(f"event {event_id}: {field} cleared" if clear else f"event {event_id}: {field} = {stored}")


COMMANDS = [merge, correct]
