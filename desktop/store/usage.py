"""Whether a store holds anything of the user's yet: the first run opens the demo instead of an empty window."""
from __future__ import annotations

import sqlite3

from desktop.store.sources import BUILT_IN


def has_user_data(conn: sqlite3.Connection) -> bool:
    """A source the user added, a client, or any feedback (the built-in manual and import sources do not count)."""
    marks = ",".join("?" * len(BUILT_IN))
    return any(conn.execute(sql, args).fetchone() for sql, args in (
        (f"SELECT 1 FROM sources WHERE id NOT IN ({marks}) LIMIT 1", BUILT_IN),
        ("SELECT 1 FROM clients LIMIT 1", ()),
        ("SELECT 1 FROM mentions LIMIT 1", ())))
