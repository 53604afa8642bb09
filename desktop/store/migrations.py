"""Numbered schema migrations, recorded in PRAGMA user_version (SQLite) or the rapport_schema table (PostgreSQL).

One source of truth for both backends: each step's DDL is written once, for SQLite, and the dialect turns it
into PostgreSQL where the difference is mechanical (desktop/store/dialect.py); a step that differs in kind
(full-text search) asks the dialect. Never edit a migration that has shipped: add a new one at the end.
"""
from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from typing import Any

from desktop.store import dialect, kept_sums

log = logging.getLogger(__name__)

MANUAL_SOURCE_ID = 1
IMPORT_SOURCE_ID = 2

_V1 = """
CREATE TABLE clients (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    email TEXT,
    notes TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX clients_name ON clients(name COLLATE NOCASE);

CREATE TABLE client_handles (
    client INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    site TEXT NOT NULL,
    handle TEXT NOT NULL,
    PRIMARY KEY (site, handle)
) WITHOUT ROWID;
CREATE INDEX client_handles_client ON client_handles(client);

CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    client INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    started TEXT,
    due TEXT,
    delivered TEXT,
    budget REAL,
    status TEXT NOT NULL DEFAULT 'active',
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX projects_client ON projects(client);

CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    label TEXT NOT NULL DEFAULT '',
    interval_s INTEGER NOT NULL DEFAULT 3600,
    enabled INTEGER NOT NULL DEFAULT 1,
    state TEXT NOT NULL DEFAULT 'new',
    last_ok TEXT,
    last_error TEXT,
    last_attempt TEXT,
    retry_at TEXT,
    tries INTEGER NOT NULL DEFAULT 0,
    etag TEXT,
    last_modified TEXT,
    cursor TEXT
);
INSERT INTO sources (id, kind, label, enabled, state) VALUES (1, 'manual', 'Entered by hand', 0, 'ok');
INSERT INTO sources (id, kind, label, enabled, state) VALUES (2, 'import', 'Imported from a file', 0, 'ok');

CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    source INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    dedupe_key TEXT NOT NULL,
    external_id TEXT,
    site TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    language TEXT,
    posted_at TEXT,
    rating REAL CHECK (rating IS NULL OR (rating >= 1 AND rating <= 5)),
    fetched_at TEXT NOT NULL,
    compound REAL NOT NULL,
    label TEXT NOT NULL CHECK (label IN ('positive', 'neutral', 'negative')),
    reasons_json TEXT NOT NULL DEFAULT '[]',
    client INTEGER REFERENCES clients(id) ON DELETE SET NULL,
    project INTEGER REFERENCES projects(id) ON DELETE SET NULL,
    read_at TEXT,
    UNIQUE (source, dedupe_key)
);

CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    mention INTEGER NOT NULL UNIQUE REFERENCES mentions(id) ON DELETE CASCADE,
    raised_at TEXT NOT NULL,
    seen_at TEXT,
    dismissed_at TEXT
);

CREATE TABLE drafts (
    id INTEGER PRIMARY KEY,
    mention INTEGER REFERENCES mentions(id) ON DELETE SET NULL,
    project INTEGER REFERENCES projects(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE draft_versions (
    draft INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    answers_json TEXT NOT NULL DEFAULT '{}',
    body TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    exported_at TEXT,
    export_path TEXT,
    PRIMARY KEY (draft, n)
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

# What the inbox sorts and filters by.
_V2_INDEXES = """
CREATE INDEX mentions_posted ON mentions(coalesce(posted_at, fetched_at) DESC, id DESC);
CREATE INDEX mentions_label ON mentions(label, id);
CREATE INDEX mentions_source ON mentions(source, id);
CREATE INDEX mentions_client ON mentions(client, id);
CREATE INDEX mentions_project ON mentions(project);
CREATE INDEX mentions_unread ON mentions(id) WHERE read_at IS NULL;
CREATE INDEX drafts_mention ON drafts(mention);
"""

_V2_FTS = """
CREATE VIRTUAL TABLE mentions_fts USING fts5(
    title, text, author, content='mentions', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO mentions_fts(rowid, title, text, author) SELECT id, title, text, author FROM mentions;
CREATE TRIGGER mentions_fts_ai AFTER INSERT ON mentions BEGIN
    INSERT INTO mentions_fts(rowid, title, text, author) VALUES (new.id, new.title, new.text, new.author);
END;
CREATE TRIGGER mentions_fts_ad AFTER DELETE ON mentions BEGIN
    INSERT INTO mentions_fts(mentions_fts, rowid, title, text, author)
        VALUES ('delete', old.id, old.title, old.text, old.author);
END;
CREATE TRIGGER mentions_fts_au AFTER UPDATE OF title, text, author ON mentions BEGIN
    INSERT INTO mentions_fts(mentions_fts, rowid, title, text, author)
        VALUES ('delete', old.id, old.title, old.text, old.author);
    INSERT INTO mentions_fts(rowid, title, text, author) VALUES (new.id, new.title, new.text, new.author);
END;
"""


# Forum and marketplace sources: the user's settings for a source (search terms...), what a kind keeps between
# polls (its cursors), and which search term made a mention worth keeping.
_V5_SOURCE_STATE = """
ALTER TABLE sources ADD COLUMN config_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE sources ADD COLUMN checkpoint_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE mentions ADD COLUMN matched TEXT NOT NULL DEFAULT '';
"""


def has_fts5(conn: sqlite3.Connection) -> bool:
    """Whether this SQLite build has FTS5 (most do; search falls back to LIKE where it does not)."""
    try:
        conn.execute("CREATE VIRTUAL TABLE temp._fts5_probe USING fts5(x)")
        conn.execute("DROP TABLE temp._fts5_probe")
        return True
    except sqlite3.OperationalError:
        return False


def _v1(conn: sqlite3.Connection) -> None:
    _script(conn, _V1)


def _v2(conn: sqlite3.Connection) -> None:
    _script(conn, _V2_INDEXES)
    if dialect.of(conn) is dialect.POSTGRES:
        for statement in _split(dialect.POSTGRES_FULLTEXT):
            conn.execute(statement)
    elif has_fts5(conn):
        _script(conn, _V2_FTS)
    else:
        log.warning("this SQLite has no FTS5: inbox search uses LIKE")


def _v3(conn: sqlite3.Connection) -> None:
    # When the user said the reply was posted (answered); an export alone does not mean it was.
    conn.execute("ALTER TABLE drafts ADD COLUMN posted_at TEXT")


_V4_LEARNING = """
CREATE TABLE corrections (
    mention INTEGER PRIMARY KEY REFERENCES mentions(id) ON DELETE CASCADE,
    negative INTEGER NOT NULL CHECK (negative IN (0, 1)),
    created_at TEXT NOT NULL
);
CREATE TABLE learned_words (
    word TEXT PRIMARY KEY,
    valence REAL NOT NULL,
    base REAL NOT NULL,
    votes REAL NOT NULL
) WITHOUT ROWID;
CREATE TABLE forgotten_words (
    word TEXT PRIMARY KEY
) WITHOUT ROWID;
"""


def _v4(conn: sqlite3.Connection) -> None:
    # The user's corrections of a label, what the scorer learned from them, and words the user un-taught.
    _script(conn, _V4_LEARNING)


def _v5(conn: sqlite3.Connection) -> None:
    _script(conn, _V5_SOURCE_STATE)


# The inbox filters by label, source, client or unread and shows the newest first. With indexes on
# (filter, id) SQLite collected every matching row (40,000 negatives of 100,000) and sorted them for each
# window; with the inbox's order in the index it walks it and stops after one window. Replaced, not added:
# each index costs every insert.
_V6_INDEXES = """
DROP INDEX mentions_label;
CREATE INDEX mentions_label ON mentions(label, coalesce(posted_at, fetched_at) DESC, id DESC);
DROP INDEX mentions_source;
CREATE INDEX mentions_source ON mentions(source, coalesce(posted_at, fetched_at) DESC, id DESC);
DROP INDEX mentions_client;
CREATE INDEX mentions_client ON mentions(client, coalesce(posted_at, fetched_at) DESC, id DESC);
DROP INDEX mentions_unread;
CREATE INDEX mentions_unread ON mentions(coalesce(posted_at, fetched_at) DESC, id DESC) WHERE read_at IS NULL;
"""


def _v6(conn: sqlite3.Connection) -> None:
    _script(conn, _V6_INDEXES)


# A review's later life: its earlier versions (the mention row holds the newest), when it was edited or
# removed from the site, the business's public reply as the site shows it, and which revision an alert is
# about (an alert is re-raised, once, for a revision that turns a review negative or lowers its rating).
_LIFECYCLE = """
CREATE TABLE revisions (
    mention INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    rating REAL,
    compound REAL NOT NULL,
    label TEXT NOT NULL,
    read_at TEXT NOT NULL,
    PRIMARY KEY (mention, n)
) WITHOUT ROWID;
ALTER TABLE mentions ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE mentions ADD COLUMN edited_at TEXT;
ALTER TABLE mentions ADD COLUMN removed_at TEXT;
ALTER TABLE mentions ADD COLUMN site_reply TEXT NOT NULL DEFAULT '';
ALTER TABLE mentions ADD COLUMN site_reply_at TEXT;
ALTER TABLE alerts ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
"""


def _v_lifecycle(conn: sqlite3.Connection) -> None:
    _script(conn, _LIFECYCLE)


def _v_handles_as_typed(conn: sqlite3.Connection) -> None:
    # A handle as the user typed it ("@Northwind_Ops"), for showing; `handle` stays the matching form.
    conn.execute("ALTER TABLE client_handles ADD COLUMN shown TEXT")


def _script(conn: sqlite3.Connection, sql: str) -> None:
    # executescript() would COMMIT our open transaction; run statement by statement instead.
    for statement in _split(sql):
        for translated in dialect.of(conn).ddl(statement):
            conn.execute(translated)


def _split(sql: str) -> list[str]:
    statements, current = [], []
    for line in sql.splitlines():
        current.append(line)
        joined = "\n".join(current)
        if sqlite3.complete_statement(joined):
            if joined.strip():
                statements.append(joined)
            current = []
    return statements


def _v_site_review_index(conn: sqlite3.Connection) -> None:
    # Once per review across sources of one site: ingest looks a review up by the site's own id.
    conn.execute("CREATE INDEX mentions_site_review ON mentions(site, external_id) WHERE external_id IS NOT NULL")


def _v_no_dismissed_at(conn: sqlite3.Connection) -> None:
    # alerts.dismissed_at was never set: an alert ends when it is seen. SQLite before 3.35 cannot drop a
    # column; there it stays, unread.
    if dialect.of(conn).can_drop_column():
        conn.execute("ALTER TABLE alerts DROP COLUMN dismissed_at")


# Who does what in a team: an alert assigned to a teammate, read state per person (on SQLite the single user
# keeps mentions.read_at and this table stays empty), and who wrote each draft version.
_TEAM = """
ALTER TABLE alerts ADD COLUMN assigned_to TEXT;
CREATE INDEX alerts_assigned ON alerts(assigned_to) WHERE assigned_to IS NOT NULL;
ALTER TABLE draft_versions ADD COLUMN author TEXT NOT NULL DEFAULT '';
CREATE TABLE reads (
    person TEXT NOT NULL,
    mention INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
    read_at TEXT NOT NULL,
    PRIMARY KEY (person, mention)
) WITHOUT ROWID;
CREATE INDEX reads_mention ON reads(mention);
"""


def _v_team(conn: sqlite3.Connection) -> None:
    _script(conn, _TEAM)


# Seen per person in a team, as read is: each teammate's tray counts the alerts they have not seen. A row holds
# the alert's revision it saw, so an alert raised again for a worse edit is new again for everyone. On SQLite
# the single user keeps alerts.seen_at and this table stays empty; on a team database alerts.seen_at keeps only
# what was seen before this step (it counts as seen by everyone: no flood of old alerts after the upgrade).
_SEEN_PER_PERSON = """
CREATE TABLE alerts_seen (
    person TEXT NOT NULL,
    mention INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (person, mention)
) WITHOUT ROWID;
CREATE INDEX alerts_seen_mention ON alerts_seen(mention);
"""


def _v_seen_per_person(conn: sqlite3.Connection) -> None:
    _script(conn, _SEEN_PER_PERSON)


def _v_folded_search(conn: sqlite3.Connection) -> None:
    # Search that folds accents on a team database too ("cafe" finds "café"), through unaccent where the server
    # lets us create it (desktop/store/search_folding.py). SQLite's FTS5 has folded them since migration 2.
    if dialect.of(conn) is dialect.POSTGRES:
        from desktop.store import search_folding

        search_folding.install(conn)


def _v_removal_checks(conn: sqlite3.Connection) -> None:
    # When a review missing from a partial read was last asked about on its own page: checks go round the
    # missing reviews oldest-asked first instead of picking a few at random (desktop/polling/removals.py).
    conn.execute("ALTER TABLE mentions ADD COLUMN removal_checked_at TEXT")


# The dashboard aggregates every mention of a range (100,000 in a big store) by week, star, source and client.
# Reading the wide rows (with their text) for that took seconds; with the columns it counts carried in the
# inbox's own indexes (after their sort keys, so the inbox walks them as before) each aggregate reads an index
# only. posted_at and fetched_at are there because SQLite (before 3.41) covers a query on an indexed expression
# only when the columns it is made of are in the index too. Replaced, not added: each index costs every insert.
_INBOX_ORDER_INDEXES = """
DROP INDEX mentions_posted;
CREATE INDEX mentions_posted ON mentions(coalesce(posted_at, fetched_at) DESC, id DESC, label, compound, rating,
    source, client, posted_at, fetched_at);
DROP INDEX mentions_label;
CREATE INDEX mentions_label ON mentions(label, coalesce(posted_at, fetched_at) DESC, id DESC, source, client,
    posted_at, fetched_at);
DROP INDEX mentions_source;
CREATE INDEX mentions_source ON mentions(source, coalesce(posted_at, fetched_at) DESC, id DESC, label, compound,
    rating, client, posted_at, fetched_at);
DROP INDEX mentions_client;
CREATE INDEX mentions_client ON mentions(client, coalesce(posted_at, fetched_at) DESC, id DESC, label, compound,
    rating, source, posted_at, fetched_at);
"""
# The partial index finds the few mentions with a site reply, where the answered reviews start.
_DASHBOARD_INDEXES = _INBOX_ORDER_INDEXES + """
CREATE INDEX mentions_site_reply ON mentions(site_reply_at) WHERE site_reply_at IS NOT NULL;
"""


def _v_dashboard_indexes(conn: sqlite3.Connection) -> None:
    _script(conn, _DASHBOARD_INDEXES)


def _day_sums(row: str, sign: str = "") -> str:
    """What one mention (`row`: NEW or OLD in a trigger) adds to its day's sums, or takes away (`sign` "-")."""
    stars = ", ".join(f"{sign}(CASE WHEN {row}.rating >= {s - 0.5} AND {row}.rating < {s + 0.5} THEN 1 ELSE 0 END)"
                      for s in range(1, 6))
    return (f"substr(coalesce({row}.posted_at, {row}.fetched_at), 1, 10), {sign}1, {sign}{row}.compound,"
            f" {sign}(CASE WHEN {row}.label = 'negative' THEN 1 ELSE 0 END), {sign}coalesce({row}.rating, 0),"
            f" {sign}(CASE WHEN {row}.rating IS NULL THEN 0 ELSE 1 END), {stars}")


_DAY_COLUMNS = ("mentions", "compound", "negatives", "rating", "rated", "star1", "star2", "star3", "star4", "star5")
_ADD_TO_DAY = ("INSERT INTO mention_days VALUES ({values}) ON CONFLICT (day) DO UPDATE SET "
               + ", ".join(f"{c} = {c} + excluded.{c}" for c in _DAY_COLUMNS))
# Each UTC day's sums of its mentions (by coalesce(posted_at, fetched_at), as the dashboard's weeks count them),
# so a long range's weeks, stars and headline add up a row a day instead of every mention. Triggers keep them on
# every write (ingest, edits and re-scores, corrections, deletes and their cascades), in the writer's
# transaction. Only where the dialect keeps day sums (SQLite).
_MENTION_DAYS = kept_sums.MENTION_DAYS + f"""
INSERT INTO mention_days SELECT substr(coalesce(posted_at, fetched_at), 1, 10), count(*), total(compound),
    total(CASE WHEN label = 'negative' THEN 1 ELSE 0 END), total(rating), count(rating),
    {", ".join(f"total(CASE WHEN rating >= {s - 0.5} AND rating < {s + 0.5} THEN 1 ELSE 0 END)" for s in range(1, 6))}
    FROM mentions GROUP BY 1;
CREATE TRIGGER mention_days_insert AFTER INSERT ON mentions BEGIN
    {_ADD_TO_DAY.format(values=_day_sums("NEW"))};
END;
CREATE TRIGGER mention_days_delete AFTER DELETE ON mentions BEGIN
    {_ADD_TO_DAY.format(values=_day_sums("OLD", "-"))};
END;
CREATE TRIGGER mention_days_update AFTER UPDATE OF posted_at, fetched_at, compound, label, rating ON mentions BEGIN
    {_ADD_TO_DAY.format(values=_day_sums("OLD", "-"))};
    {_ADD_TO_DAY.format(values=_day_sums("NEW"))};
END;
"""


def _v_mention_days(conn: sqlite3.Connection) -> None:
    if dialect.of(conn) is dialect.SQLITE:  # PostgreSQL's came with _v_kept_sums
        _script(conn, _MENTION_DAYS)


def _v_postgres_index_order(conn: sqlite3.Connection) -> None:
    # The inbox's order indexes as PostgreSQL can use them: created before the DDL translation gave DESC columns
    # SQLite's NULL placement (NULLS LAST), they could not serve the inbox's ORDER BY ... LIMIT, and every
    # window sorted all the matching rows (280 ms at 100,000 mentions, bench/case_postgres.py). SQLite: as is.
    if dialect.of(conn) is dialect.POSTGRES:
        _script(conn, _INBOX_ORDER_INDEXES + "DROP INDEX mentions_unread;\nCREATE INDEX mentions_unread ON mentions("
                "coalesce(posted_at, fetched_at) DESC, id DESC) WHERE read_at IS NULL;\n")


# With the day sums, the dashboard reads mentions_posted only for a range's cut days (a few rows): the columns
# _v_dashboard_indexes added to it for covering cost ingest more (12% of a 20-mention page, measured) than they
# save there. The source, client and label indexes keep theirs (each filter's weeks, the breakdowns, the
# unanswered count read them whole).
_NARROW_POSTED = """
DROP INDEX mentions_posted;
CREATE INDEX mentions_posted ON mentions(coalesce(posted_at, fetched_at) DESC, id DESC);
"""


def _v_narrow_posted_index(conn: sqlite3.Connection) -> None:
    if dialect.of(conn) is dialect.SQLITE:  # PostgreSQL's with _v_kept_sums
        _script(conn, _NARROW_POSTED)


# The tray's count of unseen alerts, kept by the store instead of counted (on every bus event) over every alert:
# `open_alerts` holds how many alerts nobody has seen as a whole (alerts.seen_at IS NULL); in a team,
# `seen_open_alerts` holds how many of those each person has seen (alerts_seen, at the alert's revision or later),
# so a person's unseen count is the one minus the other: two rows read, however many alerts. Kept by triggers in
# the writer's transaction (raises, re-raises, seen, deletes and their cascades). On SQLite (one person) only
# open_alerts counts; its table seen_open_alerts stays empty as alerts_seen does.
_UNSEEN_TALLIES = """
CREATE TABLE open_alerts (n INTEGER NOT NULL);
INSERT INTO open_alerts SELECT count(*) FROM alerts WHERE seen_at IS NULL;
CREATE TABLE seen_open_alerts (
    person TEXT PRIMARY KEY,
    n INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO seen_open_alerts SELECT s.person, count(*) FROM alerts_seen s JOIN alerts a ON a.mention = s.mention
    WHERE a.seen_at IS NULL AND s.revision >= a.revision GROUP BY s.person;
"""
_OPEN_ALERTS_SQLITE = """
CREATE TRIGGER open_alerts_insert AFTER INSERT ON alerts WHEN NEW.seen_at IS NULL BEGIN
    UPDATE open_alerts SET n = n + 1;
END;
CREATE TRIGGER open_alerts_delete AFTER DELETE ON alerts WHEN OLD.seen_at IS NULL BEGIN
    UPDATE open_alerts SET n = n - 1;
END;
CREATE TRIGGER open_alerts_update AFTER UPDATE OF seen_at ON alerts
    WHEN (OLD.seen_at IS NULL) != (NEW.seen_at IS NULL) BEGIN
    UPDATE open_alerts SET n = n + (NEW.seen_at IS NULL) - (OLD.seen_at IS NULL);
END;
"""
# PostgreSQL: statement-level triggers over the statement's transition tables (one update of a tally per
# statement, not per row: `rapport team migrate` inserts 64,000 alerts in one transaction, and a row updated
# 64,000 times in one transaction leaves a chain of versions each update walks). A raise, a re-raise or a seen row
# is counted against the other table as it is then (team.mark_seen locks the alerts it reads, so a re-raise and a
# teammate's seen of the same alert take turns). Alerts and seen rows are only ever deleted with their mention, and
# PostgreSQL fires both tables' triggers after the whole cascade: a delete counts the tallies again (rare: a mention
# or a source removed), holding them meanwhile so a raise or a seen made alongside adds to the new count.
_PERSON_DELTAS = """
    INSERT INTO seen_open_alerts (person, n)
    SELECT person, sum(d) FROM ({rows}) AS changed GROUP BY person HAVING sum(d) <> 0 ORDER BY person
    ON CONFLICT (person) DO UPDATE SET n = seen_open_alerts.n + excluded.n;"""
_ALERT_ROWS_SEEN = ("SELECT s.person, {sign}1 AS d FROM {table} a JOIN alerts_seen s ON s.mention = a.mention"
                    " AND s.revision >= a.revision WHERE a.seen_at IS NULL")
_SEEN_ROWS_OF_OPEN = ("SELECT s.person, {sign}1 AS d FROM {table} s JOIN alerts a ON a.mention = s.mention"
                      " AND s.revision >= a.revision WHERE a.seen_at IS NULL")
_RECOUNT = """CREATE FUNCTION rapport_recount_unseen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE open_alerts, seen_open_alerts IN EXCLUSIVE MODE;
    UPDATE open_alerts SET n = (SELECT count(*) FROM alerts WHERE seen_at IS NULL);
    DELETE FROM seen_open_alerts;
    INSERT INTO seen_open_alerts (person, n) SELECT s.person, count(*) FROM alerts_seen s JOIN alerts a
        ON a.mention = s.mention AND s.revision >= a.revision WHERE a.seen_at IS NULL GROUP BY s.person;
    RETURN NULL;
END $$"""


def _tally_function(name: str, open_delta: str, person_rows: str) -> str:
    return f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta BIGINT;
BEGIN
    {open_delta}
    {_PERSON_DELTAS.format(rows=person_rows)}
    RETURN NULL;
END $$"""


def _postgres_tally_triggers() -> list[str]:
    statements = [_RECOUNT]
    for op, tables in (("insert", (("new_rows", ""),)), ("update", (("new_rows", ""), ("old_rows", "-")))):
        opens = " + ".join(f"{sign}(SELECT count(*) FROM {t} WHERE seen_at IS NULL)" for t, sign in tables)
        open_delta = (f"delta := {opens};\n    IF delta <> 0 THEN UPDATE open_alerts SET n = n + delta; END IF;")
        statements.append(_tally_function(f"rapport_alerts_{op}_tally", open_delta, " UNION ALL ".join(
            _ALERT_ROWS_SEEN.format(sign=sign, table=t) for t, sign in tables)))
        statements.append(_tally_function(f"rapport_seen_{op}_tally", "", " UNION ALL ".join(
            _SEEN_ROWS_OF_OPEN.format(sign=sign, table=t) for t, sign in tables)))
        referencing = " ".join(f"{'NEW' if t == 'new_rows' else 'OLD'} TABLE AS {t}" for t, _sign in tables)
        for table, function in (("alerts", f"rapport_alerts_{op}_tally"), ("alerts_seen", f"rapport_seen_{op}_tally")):
            statements.append(f"CREATE TRIGGER {table}_{op}_tally AFTER {op.upper()} ON {table}"
                              f" REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}()")
    statements += [f"CREATE TRIGGER {table}_delete_tally AFTER DELETE ON {table} FOR EACH STATEMENT"
                   " EXECUTE FUNCTION rapport_recount_unseen()" for table in ("alerts", "alerts_seen")]
    return statements


def _v_unseen_tallies(conn: sqlite3.Connection) -> None:
    _script(conn, _UNSEEN_TALLIES)
    if dialect.of(conn) is dialect.POSTGRES:
        for statement in _postgres_tally_triggers():
            conn.execute(statement)
    else:
        _script(conn, _OPEN_ALERTS_SQLITE)


def _v_kept_sums(conn: sqlite3.Connection) -> None:
    # The source and client breakdowns and the unanswered count from each month's sums per source and client,
    # on both backends; on PostgreSQL the day sums too (SQLite's since _v_mention_days), kept by statement-level
    # triggers, and so the narrow mentions_posted of _v_narrow_posted_index (desktop/store/kept_sums.py).
    _script(conn, kept_sums.MENTION_MONTHS)
    conn.execute(kept_sums.FILL_MONTHS)
    if dialect.of(conn) is dialect.POSTGRES:
        _script(conn, kept_sums.MENTION_DAYS)
        conn.execute(kept_sums.FILL_DAYS)
        for statement in kept_sums.postgres_triggers():
            conn.execute(statement)
        _script(conn, _NARROW_POSTED)
    else:
        _script(conn, kept_sums.SQLITE_TRIGGERS)


def _v_learned_adjustment(conn: sqlite3.Connection) -> None:
    # A store's adjustment of the learned scoring layer (desktop/scoring/adjustment.py): one delta per feature.
    # Features the user forgets go in forgotten_words with the words (a feature name holds a colon, no word does).
    # (IF NOT EXISTS: a test builds an older store's rows with today's ingest, which reads this table.)
    _script(conn, "CREATE TABLE IF NOT EXISTS learned_adjustment (feature TEXT PRIMARY KEY, delta REAL NOT NULL) WITHOUT ROWID;")


# The inbox's "negative + unread" (the tray's summary opens it; the status bar counts it in the background) read
# every negative mention's table row for its read_at: 270-450 ms at 100,000 mentions. With read_at after the label
# index's columns, the count reads that index alone (EXPLAIN QUERY PLAN: COVERING INDEX mentions_label), and so
# does the filter's first window until it finds its rows. Wider, not another index: an index more costs every
# insert, a column more costs nothing there (a new mention's read_at is NULL). SQLite only: in a team database
# read state is per person in `reads`, whose primary key (person, mention) the unread anti-join already reads
# without the mentions' rows. IF EXISTS: the step can run again over its own result.
_UNREAD_LABEL_INDEX = """
DROP INDEX IF EXISTS mentions_label;
CREATE INDEX mentions_label ON mentions(label, coalesce(posted_at, fetched_at) DESC, id DESC, source, client,
    posted_at, fetched_at, read_at);
"""


def _v_unread_label_index(conn: sqlite3.Connection) -> None:
    if dialect.of(conn) is dialect.SQLITE:
        _script(conn, _UNREAD_LABEL_INDEX)


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2, _v3, _v4, _v5, _v6, _v_lifecycle, _v_handles_as_typed,
                                                           _v_site_review_index, _v_no_dismissed_at, _v_team,
                                                           _v_seen_per_person, _v_folded_search,
                                                           _v_removal_checks, _v_dashboard_indexes, _v_mention_days,
                                                           _v_postgres_index_order, _v_narrow_posted_index,
                                                           _v_unseen_tallies, _v_kept_sums, _v_learned_adjustment,
                                                           _v_unread_label_index]
LATEST = len(MIGRATIONS)


def version(conn: Any) -> int:
    return dialect.of(conn).schema_version(conn)


def check_version(conn: sqlite3.Connection) -> int:
    from desktop.store.db import StoreError

    current = version(conn)
    if current > LATEST:
        raise StoreError(
            f"this database was written by a newer Rapport (schema {current}; this version knows up to "
            f"{LATEST}): upgrade Rapport, it was left untouched")
    return current


# PostgreSQL advisory lock key held while migrating: two desktops opening one team database at once take turns.
MIGRATION_LOCK = 0x52617070_6F727431  # "Rapport1"


def migrate(conn: Any, target: int = LATEST) -> int:
    """Bring the schema up to `target`, each step in its own transaction."""
    if dialect.of(conn) is dialect.POSTGRES:
        conn.execute("SELECT pg_advisory_lock(?)", (MIGRATION_LOCK,))
        try:
            current = _migrate(conn, target)
            if current == LATEST:
                _refold(conn)
            return current
        finally:
            conn.execute("SELECT pg_advisory_unlock(?)", (MIGRATION_LOCK,))
    return _migrate(conn, target)


def _refold(conn: Any) -> None:
    """A team database set up without unaccent folds accents once its administrator added the extension."""
    from desktop.store import search_folding
    from desktop.store.db import StoreError

    try:
        search_folding.refold_if_possible(conn)
    except StoreError as exc:  # search still works, without folding accents: nothing to stop for
        log.warning("could not rebuild the team database's search to fold accents: %s", exc)


def _migrate(conn: Any, target: int) -> int:
    from desktop.store.db import transaction

    current = check_version(conn)
    while current < target:
        step = MIGRATIONS[current]
        with transaction(conn):
            step(conn)
            dialect.of(conn).set_schema_version(conn, current + 1)
        log.info("store migrated to schema %d", current + 1)
        current += 1
    return current
