"""An import preview's rows stored through `desktop.records.ingest` on the built-in import source, in one
transaction: deduped, linked, scored and alerted like scraped feedback, so re-importing a file adds nothing."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from desktop.io.cells import ImportedRow
from desktop.io.importing import ImportPreview, read_file
from desktop.io.problems import ImportCancelled, ImportFailed, RowProblem
from desktop.store.clock import Clock, utc_now

__all__ = ["CHUNK", "ImportCancelled", "ImportResult", "import_file", "import_preview"]

# Rows stored per ingest call: between chunks the import reports progress and can be cancelled.
CHUNK = 500


@dataclass(frozen=True)
class ImportResult:
    """What an import did. `mention_ids` are the new mentions in file order (on a dry run, the ids they had
    before the rollback: only their number means anything)."""

    mention_ids: tuple[int, ...]
    duplicates: int
    alerts: int
    problems: tuple[RowProblem, ...]
    notes: tuple[str, ...] = ()
    dry_run: bool = False

    @property
    def added(self) -> int:
        return len(self.mention_ids)

    def summary(self) -> str:
        return (f"{self.added} added, {self.duplicates} already stored, {self.alerts} alerts; "
                f"{len(self.problems)} rows skipped")


class _Rollback(Exception):
    """Raised inside the transaction to undo a dry run."""


def import_preview(conn: sqlite3.Connection, preview: ImportPreview, *, site: str | None = None,
                   dry_run: bool = False, clock: Clock = utc_now,
                   progress: Callable[[int, int], object] | None = None,
                   cancelled: Callable[[], bool] | None = None) -> ImportResult:
    """Store a preview's rows through ingest on the built-in import source, all in one transaction.

    A row's own site (a site column) wins over `site` (default: the one given to `read_file`). A dry run does
    everything, then rolls back, so its counts (duplicates, alerts) are exact. `cancelled` is checked between
    chunks: ImportCancelled is raised after the rollback. Raises ImportFailed when dates need an order first.
    """
    from desktop.records.alert_rule import AlertRule
    from desktop.records.ingest import IMPORT_SOURCE_ID, Manual, ingest
    from desktop.store import settings as settings_store
    from desktop.store.db import transaction

    if preview.needs_date_order:
        raise ImportFailed(preview.date_question)
    default_site = (site if site is not None else preview.site).strip().lower()
    total = len(preview.rows)
    added: list[int] = []
    duplicates = alerts = 0
    try:
        with transaction(conn):
            rule = AlertRule.from_settings(settings_store.all_settings(conn))
            done = 0
            for batch_site, batch in _batches(preview.rows, default_site):
                if cancelled is not None and cancelled():
                    raise ImportCancelled("import cancelled: nothing was stored")
                for result in ingest(conn, IMPORT_SOURCE_ID, [r.mention for r in batch],
                                     manual=Manual(site=batch_site), clock=clock, rule=rule):
                    if result.new:
                        added.append(result.mention_id)
                        alerts += result.alert_id is not None
                    else:
                        duplicates += 1
                done += len(batch)
                if progress is not None:
                    progress(done, total)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return ImportResult(mention_ids=tuple(added), duplicates=duplicates, alerts=alerts, problems=preview.problems,
                        notes=preview.notes, dry_run=dry_run)


def _batches(rows: Iterable[ImportedRow], default_site: str) -> Iterator[tuple[str, list[ImportedRow]]]:
    """Runs of rows with one site (ingest takes one site per call), at most CHUNK long."""
    batch: list[ImportedRow] = []
    current = ""
    for row in rows:
        row_site = row.site or default_site
        if batch and (row_site != current or len(batch) >= CHUNK):
            yield current, batch
            batch = []
        current = row_site
        batch.append(row)
    if batch:
        yield current, batch


def import_file(conn: sqlite3.Connection, path: str | Path, *, site: str | None = None,
                dayfirst: bool | None = None, dry_run: bool = False, clock: Clock = utc_now) -> ImportResult:
    """Read a file and store its good rows: `read_file` then `import_preview`."""
    preview = read_file(path, site=site, dayfirst=dayfirst)
    return import_preview(conn, preview, site=site, dry_run=dry_run, clock=clock)
