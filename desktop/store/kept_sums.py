"""The sums the dashboard reads instead of every mention, kept by triggers in the writer's transaction.

`mention_days`: each UTC day's sums of its mentions (weeks, stars, the headline). `mention_months`: each month's
mentions, negatives and alerted negatives per source and client (0: no client), for the source and client
breakdowns and the unanswered count. A long range adds up a row a day or a month instead of 100,000 mentions.

SQLite keeps them with row triggers (a write holds the whole store anyway). PostgreSQL keeps them with
statement-level triggers over the statement's transition tables: one upsert of the days and months a statement
touched (not one a row: a bulk copy, `rapport team migrate`, or an import does not update one day's row thousands
of times in a transaction), in key order, so two teammates' transactions touching the same days wait for each
other's commit rather than deadlock.

Alerts count in `mention_months` while their mention is negative. An alert goes only with its mention, and both
backends delete the alerts of a deleted mention after the mention's row, where the alert's own trigger cannot
find the mention any more: SQLite takes the mention's alerted part away before it goes (BEFORE DELETE, while its
alert is still there); PostgreSQL, whose statement triggers fire after the whole cascade, counts the deleted
mentions' months again.
"""
from __future__ import annotations

WHEN = "coalesce({r}.posted_at, {r}.fetched_at)"
DAY_COLUMNS = ("mentions", "compound", "negatives", "rating", "rated", "star1", "star2", "star3", "star4", "star5")
MONTH_KEY = ("month", "source", "client")
MONTH_COLUMNS = ("mentions", "negatives", "alerted_negatives")
# The mentions' columns a day's or a month's sums are made of: an update of any other leaves them as they are.
SUMMED = ("posted_at", "fetched_at", "compound", "label", "rating", "source", "client")

MENTION_DAYS = """
CREATE TABLE mention_days (
    day TEXT PRIMARY KEY,
    mentions INTEGER NOT NULL,
    compound REAL NOT NULL,
    negatives INTEGER NOT NULL,
    rating REAL NOT NULL,
    rated INTEGER NOT NULL,
    star1 INTEGER NOT NULL,
    star2 INTEGER NOT NULL,
    star3 INTEGER NOT NULL,
    star4 INTEGER NOT NULL,
    star5 INTEGER NOT NULL
) WITHOUT ROWID;
"""
MENTION_MONTHS = """
CREATE TABLE mention_months (
    month TEXT NOT NULL,
    source INTEGER NOT NULL,
    client INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    negatives INTEGER NOT NULL,
    alerted_negatives INTEGER NOT NULL,
    PRIMARY KEY (month, source, client)
) WITHOUT ROWID;
"""


def _negative(r: str) -> str:
    return f"(CASE WHEN {r}.label = 'negative' THEN 1 ELSE 0 END)"


def _alerted(r: str) -> str:
    """1 for a negative mention with an alert (read from the alerts as they are now), else 0."""
    return f"(CASE WHEN {r}.label = 'negative' AND EXISTS (SELECT 1 FROM alerts a WHERE a.mention = {r}.id) THEN 1 ELSE 0 END)"


def day_values(r: str, sign: str = "") -> list[str]:
    """What mention `r` adds to its day (`sign` "-": takes away), in mention_days' column order."""
    stars = [f"{sign}(CASE WHEN {r}.rating >= {s - 0.5} AND {r}.rating < {s + 0.5} THEN 1 ELSE 0 END)"
             for s in range(1, 6)]
    return [f"substr({WHEN.format(r=r)}, 1, 10)", f"{sign}1", f"{sign}{r}.compound", f"{sign}{_negative(r)}",
            f"{sign}coalesce({r}.rating, 0)", f"{sign}(CASE WHEN {r}.rating IS NULL THEN 0 ELSE 1 END)", *stars]


def month_values(r: str, sign: str = "", *, alerted: bool = True) -> list[str]:
    """What mention `r` adds to its month, source and client (`alerted`: its alert counted, if any)."""
    return [f"substr({WHEN.format(r=r)}, 1, 7)", f"{r}.source", f"coalesce({r}.client, 0)", f"{sign}1",
            f"{sign}{_negative(r)}", f"{sign}{_alerted(r)}" if alerted else "0"]


def _upsert(table: str, key: tuple[str, ...], columns: tuple[str, ...]) -> str:
    return (f"INSERT INTO {table} ({', '.join((*key, *columns))}) {{rows}} ON CONFLICT ({', '.join(key)})"
            f" DO UPDATE SET " + ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns))


ADD_TO_DAYS = _upsert("mention_days", ("day",), DAY_COLUMNS)
ADD_TO_MONTHS = _upsert("mention_months", MONTH_KEY, MONTH_COLUMNS)


def _values(values: list[str]) -> str:
    return f"VALUES ({', '.join(values)})"


# Filling the tables from what a store holds (the migration that adds them).
FILL_DAYS = ("INSERT INTO mention_days SELECT day, count(*), coalesce(sum(c2), 0), sum(c3), coalesce(sum(c4), 0),"
             " sum(c5), sum(c6), sum(c7), sum(c8), sum(c9), sum(c10) FROM (SELECT "
             + ", ".join(f"{v} AS {'day' if i == 0 else f'c{i}'}" for i, v in enumerate(day_values("m")))
             + " FROM mentions m) AS d GROUP BY day")
FILL_MONTHS = ("INSERT INTO mention_months SELECT month, source, client, count(*), sum(c4), sum(c5) FROM (SELECT "
               + ", ".join(f"{v} AS {('month', 'source', 'client')[i] if i < 3 else f'c{i}'}"
                           for i, v in enumerate(month_values("m"))) + " FROM mentions m) AS d GROUP BY 1, 2, 3")


def _month_of_alert(sign: str) -> str:
    return (f"UPDATE mention_months SET alerted_negatives = alerted_negatives {sign} 1 WHERE (month, source, client) ="
            f" (SELECT {', '.join(month_values('m')[:3])} FROM mentions m WHERE m.id = {{alert}}.mention"
            " AND m.label = 'negative')")


SQLITE_TRIGGERS = f"""
CREATE TRIGGER mention_months_insert AFTER INSERT ON mentions BEGIN
    {ADD_TO_MONTHS.format(rows=_values(month_values("NEW", alerted=False)))};
END;
CREATE TRIGGER mention_months_delete BEFORE DELETE ON mentions BEGIN
    {ADD_TO_MONTHS.format(rows=_values(month_values("OLD", "-")))};
END;
CREATE TRIGGER mention_months_update AFTER UPDATE OF {', '.join(SUMMED)} ON mentions BEGIN
    {ADD_TO_MONTHS.format(rows=_values(month_values("OLD", "-")))};
    {ADD_TO_MONTHS.format(rows=_values(month_values("NEW")))};
END;
CREATE TRIGGER mention_months_alert_insert AFTER INSERT ON alerts BEGIN
    {_month_of_alert("+").format(alert="NEW")};
END;
CREATE TRIGGER mention_months_alert_delete AFTER DELETE ON alerts BEGIN
    {_month_of_alert("-").format(alert="OLD")};
END;
"""


def _grouped(upsert: str, key: tuple[str, ...], columns: tuple[str, ...], parts: list[tuple[list[str], str]]) -> str:
    """One upsert of what `parts` give (each: per-row values, key columns first, and the rows they are read
    from), summed per key, in key order: two writers lock the rows they share in one order."""
    names = [*key, *columns]
    union = " UNION ALL ".join(f"SELECT {', '.join(f'{v} AS {n}' for v, n in zip(values, names))} FROM {rows}"
                               for values, rows in parts)
    sums = [f"CAST(sum({c}) AS {'DOUBLE PRECISION' if c in ('compound', 'rating') else 'BIGINT'})" for c in columns]
    keys = ", ".join(key)
    return upsert.format(rows=f"SELECT {keys}, {', '.join(sums)} FROM ({union}) AS delta GROUP BY {keys} ORDER BY {keys}")


def _pg_upserts(days: list[tuple[list[str], str]], months: list[tuple[list[str], str]]) -> str:
    return (_grouped(ADD_TO_DAYS, ("day",), DAY_COLUMNS, days) + ";\n    "
            + _grouped(ADD_TO_MONTHS, MONTH_KEY, MONTH_COLUMNS, months) + ";")


_CHANGED = ("(SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE ({cols_o}) IS DISTINCT FROM ({cols_n}))"
            .format(cols_o=", ".join(f"o.{c}" for c in SUMMED), cols_n=", ".join(f"n.{c}" for c in SUMMED)))
_CHANGED_NEW = _CHANGED.replace("SELECT o.*", "SELECT n.*")
# The months the deleted mentions were in, counted again from what is left (their alerts are gone already).
_RECOUNT_MONTHS = f"""
    UPDATE mention_months s SET alerted_negatives = (SELECT count(*) FROM mentions m JOIN alerts a ON a.mention = m.id
        WHERE m.source = s.source AND coalesce(m.client, 0) = s.client AND m.label = 'negative'
        AND {WHEN.format(r='m')} >= s.month AND {WHEN.format(r='m')} < s.month || '-32')
    FROM (SELECT DISTINCT {', '.join(f'{v} AS {k}' for v, k in zip(month_values('o')[:3], MONTH_KEY))}
          FROM old_rows o) AS gone
    WHERE (s.month, s.source, s.client) = (gone.month, gone.source, gone.client);"""


def _pg_function(name: str, body: str) -> str:
    return f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    {body}\n    RETURN NULL;\nEND $$"


def postgres_triggers() -> list[str]:
    """The functions and statement-level triggers that keep both tables on PostgreSQL."""
    old, new = f"{_CHANGED} AS r", f"{_CHANGED_NEW} AS r"
    functions = {
        "insert": _pg_upserts([(day_values("r"), "new_rows r")], [(month_values("r", alerted=False), "new_rows r")]),
        "update": _pg_upserts([(day_values("r", "-"), old), (day_values("r"), new)],
                              [(month_values("r", "-"), old), (month_values("r"), new)]),
        "delete": _pg_upserts([(day_values("r", "-"), "old_rows r")],
                              [(month_values("r", "-", alerted=False), "old_rows r")]) + _RECOUNT_MONTHS,
    }
    statements = []
    for op, body in functions.items():
        statements.append(_pg_function(f"rapport_mention_sums_{op}", body))
        referencing = {"insert": "NEW TABLE AS new_rows", "delete": "OLD TABLE AS old_rows",
                       "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows"}[op]
        statements.append(f"CREATE TRIGGER mentions_{op}_sums AFTER {op.upper()} ON mentions REFERENCING {referencing}"
                          f" FOR EACH STATEMENT EXECUTE FUNCTION rapport_mention_sums_{op}()")
    for op, sign, rows in (("insert", "+", "new_rows"), ("delete", "-", "old_rows")):
        statements.append(_pg_function(f"rapport_alert_sums_{op}", f"""
    UPDATE mention_months s SET alerted_negatives = s.alerted_negatives {sign} n.alerts
    FROM (SELECT {', '.join(f'{v} AS {k}' for v, k in zip(month_values('m')[:3], MONTH_KEY))}, count(*) AS alerts
          FROM {rows} a JOIN mentions m ON m.id = a.mention WHERE m.label = 'negative' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3)
          AS n
    WHERE (s.month, s.source, s.client) = (n.month, n.source, n.client);"""))
        referencing = "NEW TABLE AS new_rows" if op == "insert" else "OLD TABLE AS old_rows"
        statements.append(f"CREATE TRIGGER alerts_{op}_sums AFTER {op.upper()} ON alerts REFERENCING {referencing}"
                          f" FOR EACH STATEMENT EXECUTE FUNCTION rapport_alert_sums_{op}()")
    return statements
