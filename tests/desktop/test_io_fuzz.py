"""Import on hostile files: every file is a preview (bad rows skipped, each with its reason) or one ImportFailed.

`HYPOTHESIS_PROFILE=long ./dev test tests/desktop/test_io_fuzz.py` runs 10,000 cases.
"""
from __future__ import annotations

import csv
import io
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from desktop.io import ImportFailed, import_preview, read_file
from desktop.io.sniffing import ALIASES
from desktop.store import connect
from tests.helpers.hostile import Seed, dumps, hostile_text, json_values, mutated_page

FIXTURES = Path(__file__).parent.parent / "fixtures" / "import"
HEADERS = [alias for aliases in ALIASES.values() for alias in aliases[:2]] + ["Notes", "", "label"]


def _csv(rows: list[list[str]], delimiter: str) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue()


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6))
    rows = draw(st.lists(st.lists(hostile_text(60), min_size=0, max_size=len(header) + 1), max_size=6))
    text = _csv([header, *rows], draw(st.sampled_from([",", ";", "\t", "|"])))
    return text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"])), errors="surrogatepass")


@st.composite
def json_files(draw: st.DrawFn) -> bytes:
    keys = st.sampled_from(HEADERS) | st.text(max_size=8)
    item = st.dictionaries(keys, json_values(), max_size=6) | json_values()
    items = draw(st.lists(item, max_size=5))
    if draw(st.booleans()):
        return dumps(items).encode("utf-8", errors="surrogatepass")
    return "\n".join(dumps(i) for i in items).encode("utf-8", errors="surrogatepass")


def _files() -> st.SearchStrategy[bytes]:
    seeds = [Seed(p.name, p.read_bytes()) for p in sorted(FIXTURES.iterdir())]
    mutated = st.sampled_from(seeds).flatmap(mutated_page).map(
        lambda body: body if isinstance(body, bytes) else body.encode("utf-8", errors="surrogatepass"))
    return st.one_of(csv_files(), json_files(), mutated, st.binary(max_size=256))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, sqlite3.Connection]]:
    folder = tmp_path_factory.mktemp("fuzz")
    conn = connect(folder / "store.sqlite3")
    yield folder, conn
    conn.close()


@given(_files(), st.sampled_from([".csv", ".json", ".txt"]), st.sampled_from([None, True, False]))
def test_import_gives_a_preview_or_one_clear_failure(store: tuple[Path, sqlite3.Connection], data: bytes,
                                                      suffix: str, dayfirst: bool | None) -> None:
    folder, conn = store
    note(repr(data[:300]))
    with tempfile.NamedTemporaryFile(dir=folder, suffix=suffix, delete=False) as handle:
        handle.write(data)
    path = Path(handle.name)
    try:
        try:
            preview = read_file(path, dayfirst=dayfirst)
        except ImportFailed as exc:
            assert str(exc) and "\n" not in str(exc)
            return
        assert all(m.problem() is None for m in preview.mentions)
        assert all(p.row >= 1 and p.message for p in preview.problems)
        try:
            result = import_preview(conn, preview, dry_run=True)  # stored, then rolled back: the store stays empty
        except ImportFailed:
            assert preview.needs_date_order
            return
        assert result.added + result.duplicates == len(preview.rows)
    finally:
        path.unlink()
