"""Fill a store with the demo's year of feedback (desktop/shell/demo_history.py), through the real ingest path,
for looking at the dashboard and the report without the demo server: `python scripts/seed_year.py /tmp/year.sqlite3`.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop.shell.demo_history import seed_history  # noqa: E402
from desktop.store import connect  # noqa: E402
from desktop.store.clock import utc_now  # noqa: E402


def main(path: str) -> None:
    conn = connect(path)
    try:
        print(f"{seed_history(conn, utc_now())} mentions stored in {path}")
    finally:
        conn.close()


if __name__ == "__main__":
    main(sys.argv[1])
