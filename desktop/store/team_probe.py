"""Settings > Team's "Test connection": reach a team database once, without keeping or changing anything, and say
what was found in words a person can act on (run it off the GUI thread: it waits on the network)."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from desktop.store.db import StoreError
from desktop.store.search_folding import NOT_FOLDING, folds_accents

__all__ = ["TeamProbe", "probe"]

PROBE_TIMEOUT_MS = 5000


@dataclass(frozen=True)
class TeamProbe:
    """What one connection found."""

    where: str            # host:port
    database: str
    role: str
    server_version: str
    schema: int           # 0: an empty database
    latest: int           # the schema this Rapport writes
    mentions: int | None  # None: the role may not read them
    folds_accents: bool = True  # False: search there does not fold accents (no unaccent extension)

    def summary(self) -> str:
        said = (f"Connected to the team database {self.database} on {self.where} as {self.role} "
                f"(PostgreSQL {self.server_version}).")
        if self.schema == 0:
            return (f"{said} It is empty: Rapport sets it up when it first starts on it with a role that owns the "
                    "database (or move your store there with `rapport team migrate`).")
        if self.schema > self.latest:
            return f"{said} A newer Rapport set it up: upgrade this Rapport before connecting."
        held = ("Your role may not read its feedback: ask its administrator for the privileges in the README's "
                "Team section." if self.mentions is None else f"It holds {self.mentions:,} pieces of feedback.")
        if self.schema < self.latest:
            held += " An older Rapport set it up: it is upgraded when Rapport next starts on it as the schema's owner."
        elif not self.folds_accents:
            held += f" Note: {NOT_FOLDING}."
        return f"{said} {held}"


def _plain(message: str, url: str) -> str:
    """libpq's answers for the two commonest mistakes, in words."""
    user = urlsplit(url).username or "your user"
    if "no password supplied" in message:
        return f"{message}. The server asks for a password: type it in the Password field."
    if "password authentication failed" in message:
        return f"{message}. The server refused the password for {user}: check it and test again."
    return message


def probe(url: str, *, password: str | None, allow_insecure: bool) -> TeamProbe:
    """Connect once to the team database at `url` and look at it; StoreError with the reason in words."""
    from desktop.store.dialect import POSTGRES
    from desktop.store.migrations import LATEST
    from desktop.store.postgres import _where, open_postgres

    try:
        conn = open_postgres(url, busy_timeout_ms=PROBE_TIMEOUT_MS, read_only=True, allow_insecure=allow_insecure,
                             password=password)
    except StoreError as exc:
        raise StoreError(_plain(str(exc), url)) from None
    try:
        role, database, version = conn.execute(
            "SELECT current_user, current_database(), current_setting('server_version')").fetchone()
        schema = POSTGRES.schema_version(conn)
        mentions: int | None = None
        folding = schema < LATEST or folds_accents(conn)
        if 0 < schema:
            try:
                mentions = conn.execute("SELECT count(*) FROM mentions").fetchone()[0]
            except StoreError:
                mentions = None  # a role without SELECT: said in the summary
    finally:
        conn.close()
    return TeamProbe(_where(url), database, role, str(version).split(" ")[0], schema, LATEST, mentions, folding)
