"""CSV/JSON import and export of feedback, on real files under tmp_path and a real store."""
from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.records.ingest import IMPORT_SOURCE_ID, MANUAL_SOURCE_ID, Manual, ingest
from desktop.io import dates, decoding, exporting, ratings, sniffing, storing
from desktop.io.exporting import ExportFailed, export_mentions
from desktop.io import ImportCancelled, ImportFailed, import_file, import_preview, read_file
from desktop.store import connect, mentions
from scrapers.base import Mention

FIXTURES = Path(__file__).parent.parent / "fixtures" / "import"
HOSTILE = "<img src=x onerror=alert(1)> and <b>bold</b> claims"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def stored(conn: sqlite3.Connection) -> list[mentions.StoredMention]:
    return mentions.query(conn, sort="when", descending=False, limit=10_000)


def alert_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM alerts").fetchone()[0]


# -- reading ------------------------------------------------------------------------------------------------
def test_csv_with_a_bom_finds_its_first_column(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_bytes(b"\xef\xbb\xbfFeedback,Stars,Posted\r\n"
                     + '"Great work, on time\u2014thanks!",5,2024-05-02\r\n'.encode())
    preview = read_file(path)
    assert preview.columns["text"] == "Feedback" and not preview.problems and not preview.notes
    [m] = preview.mentions
    assert (m.text, m.rating, m.posted_at) == ("Great work, on time\u2014thanks!", 5.0,
                                               datetime(2024, 5, 2, 12, tzinfo=timezone.utc))


def test_semicolon_csv_with_decimal_commas(tmp_path: Path) -> None:
    path = write(tmp_path / "export.csv", "Name;Review;Score;Date\n"
                                          "Jörg Weber;Sehr gute Arbeit, schnell und sauber;4,5;2024-02-01\n"
                                          "Lena;Solid work; a bit slow to reply;3;2024-02-03\n")
    preview = read_file(path)
    [m] = preview.mentions
    assert (m.author, m.text, m.rating) == ("Jörg Weber", "Sehr gute Arbeit, schnell und sauber", 4.5)
    # The second row has a stray ';' in its text: its cells would shift under the wrong columns.
    assert [str(p) for p in preview.problems] == [
        "row 3: has 5 cells but the first row names 4: a cell holding a semicolon must be in quotes"]


def test_cp1252_file_is_read_with_a_note(tmp_path: Path) -> None:
    path = write(tmp_path / "excel.csv", "text,author\n\u201cSuperb\u201d r\u00e9sum\u00e9 rewrite \u2013 5\u20ac well spent,"
                                         "Ren\u00e9e\n", encoding="cp1252")
    preview = read_file(path)
    [m] = preview.mentions
    assert m.text == "\u201cSuperb\u201d r\u00e9sum\u00e9 rewrite \u2013 5\u20ac well spent" and m.author == "Ren\u00e9e"
    assert any("cp1252" in note for note in preview.notes)


def test_json_list_with_numbers_and_unknown_fields(tmp_path: Path) -> None:
    path = write(tmp_path / "reviews.json", json.dumps([
        {"review_id": 9912, "reviewer": "buyer_kate", "comment": "Fantastic logo, 3 revisions included",
         "rating": 5, "created_at": "2024-03-10T09:15:00Z", "platform": "Fiverr", "helpful_votes": 2},
        {"review_id": 9913, "reviewer": "dev_ops_sam", "comment": "Never delivered", "rating": 1,
         "created_at": "2024-03-11T10:00:00+02:00", "platform": "fiverr"},
    ]))
    preview = read_file(path)
    assert preview.format == "json" and not preview.problems
    first, second = preview.rows
    assert (first.mention.external_id, first.site, first.mention.rating) == ("9912", "fiverr", 5.0)
    assert first.mention.posted_at == datetime(2024, 3, 10, 9, 15, tzinfo=timezone.utc)
    assert second.mention.posted_at.utcoffset().total_seconds() == 7200
    assert any("helpful_votes" in note for note in preview.notes)


def test_json_lines_report_a_bad_line_by_number(tmp_path: Path) -> None:
    path = write(tmp_path / "reviews.jsonl", '{"text": "Quick and friendly", "rating": "4/5"}\n'
                                             '{"text": "broken line", \n'
                                             '\n'
                                             '["not", "an", "object"]\n'
                                             '{"body": "Would hire again", "stars": "\u2605\u2605\u2605\u2605\u2606"}\n')
    preview = read_file(path)
    assert preview.format == "jsonl"
    assert [m.rating for m in preview.mentions] == [4.0, 4.0]
    assert [(p.row, p.message.split(" (")[0]) for p in preview.problems] == [
        (2, "not valid JSON"), (4, "expected an object with a text field, got a list")]


@pytest.mark.parametrize(("raw", "stars"), [
    ("8/10", 4.0), ("7/10", 3.5), ("4/5", 4.0), ("4.6", 4.6), ("4,5", 4.5), ("80%", 4.0), ("4 out of 5", 4.0),
    ("5 stars", 5.0), ("\u2605\u2605\u2606\u2606\u2606", 2.0), ("0/10", 1.0), (3, 3.0), ("", None), (None, None),
])
def test_ratings_are_put_on_five_stars(raw: object, stars: float | None) -> None:
    assert ratings.parse_rating(raw) == stars


@pytest.mark.parametrize("raw", ["8", "0", "11/10", "great", "-3", True])
def test_ratings_off_the_scale_are_refused_not_guessed(raw: object) -> None:
    with pytest.raises(ValueError):
        ratings.parse_rating(raw)


@pytest.mark.parametrize(("raw", "dayfirst", "expected"), [
    ("2024-03-04", None, datetime(2024, 3, 4, 12, tzinfo=timezone.utc)),
    ("2024-03-04T08:30:00Z", None, datetime(2024, 3, 4, 8, 30, tzinfo=timezone.utc)),
    ("2024/03/04", None, datetime(2024, 3, 4, 12, tzinfo=timezone.utc)),
    ("25/03/2024", None, datetime(2024, 3, 25, 12, tzinfo=timezone.utc)),
    ("03/25/2024", None, datetime(2024, 3, 25, 12, tzinfo=timezone.utc)),
    ("03/04/2024", True, datetime(2024, 4, 3, 12, tzinfo=timezone.utc)),
    ("03/04/2024", False, datetime(2024, 3, 4, 12, tzinfo=timezone.utc)),
    ("3/4/24", False, datetime(2024, 3, 4, 12, tzinfo=timezone.utc)),
    ("25.12.2024", None, datetime(2024, 12, 25, 12, tzinfo=timezone.utc)),
    ("04/04/2024", None, datetime(2024, 4, 4, 12, tzinfo=timezone.utc)),
    ("Mar 4, 2024", None, datetime(2024, 3, 4, 12, tzinfo=timezone.utc)),
    ("4 March 2024", None, datetime(2024, 3, 4, 12, tzinfo=timezone.utc)),
    ("Jan 8, 2024 - Feb 20, 2024", None, datetime(2024, 2, 20, 12, tzinfo=timezone.utc)),
])
def test_dates(raw: str, dayfirst: bool | None, expected: datetime) -> None:
    assert dates.parse_spreadsheet_date(raw, dayfirst) == expected


@pytest.mark.parametrize(("raw", "dayfirst"), [("03/04/2024", None), ("31/02/2024", True), ("25/03/2024", False),
                                               ("yesterday", None), ("2024-13-01", None)])
def test_bad_or_ambiguous_dates_are_refused(raw: str, dayfirst: bool | None) -> None:
    with pytest.raises(ValueError):
        dates.parse_spreadsheet_date(raw, dayfirst)


def test_ambiguous_dates_are_refused_until_the_order_is_given(tmp_path: Path, conn: sqlite3.Connection) -> None:
    path = write(tmp_path / "sheet.csv", "date,text\n03/04/2024,Clear brief and quick payment\n"
                                         "05/06/2024,Lovely to work with\n2024-07-01,ISO is never ambiguous\n")
    preview = read_file(path)
    assert preview.needs_date_order and preview.ambiguous_count == 2
    assert "03/04/2024" in preview.date_question
    assert [p.row for p in preview.problems] == [2, 3] and len(preview.rows) == 1
    with pytest.raises(ImportFailed, match="say which comes first"):
        import_preview(conn, preview)
    assert stored(conn) == []  # refused as a whole: no half import
    dayfirst = read_file(path, dayfirst=True)
    assert not dayfirst.needs_date_order and not dayfirst.problems
    assert [m.posted_at.date().isoformat() for m in dayfirst.mentions] == ["2024-04-03", "2024-06-05", "2024-07-01"]
    monthfirst = read_file(path, dayfirst=False)
    assert [m.posted_at.month for m in monthfirst.mentions] == [3, 5, 7]
    assert import_file(conn, path, dayfirst=True).added == 3


def test_a_date_the_file_proves_settles_the_order_with_a_note(tmp_path: Path) -> None:
    path = write(tmp_path / "uk.csv", "date,text\n03/04/2024,Nice\n25/12/2024,Merry and on time\n")
    preview = read_file(path)
    assert not preview.needs_date_order and preview.dayfirst is True
    assert preview.mentions[0].posted_at.month == 4
    assert any("day/month/year" in note and "25/12/2024" in note for note in preview.notes)


def test_bad_rows_are_reported_by_row_number_and_good_rows_import(tmp_path: Path, conn: sqlite3.Connection) -> None:
    path = write(tmp_path / "mixed.csv",
                 'author,text,rating,date\n'
                 'Ana,"Two lines\nof praise",5,2024-01-02\n'      # row 2 spans two lines: still row 2
                 'Ben,,4,2024-01-03\n'                              # row 3: no text
                 'Cy,Fine,9,2024-01-04\n'                           # row 4: rating off the scale
                 ',,,\n'                                            # row 5: an empty spreadsheet row, skipped
                 'Di,Good,4,31/02/2024\n'                           # row 6: no such date
                 'Ed,Great again,4.5,2024-01-06\n'
                 'Fay,Comma, unquoted,5,2024-01-07\n'             # row 8: cells would shift
                 'Gil,Trailing empty cells are fine,5,2024-01-08,,\n')
    result = import_file(conn, path)
    assert [(p.row, p.column) for p in result.problems] == [(3, "text"), (4, "rating"), (6, "date"), (8, "")]
    assert "9 is not on 1 to 5 stars (write 9/10 if it is out of ten)" in str(result.problems[1])
    assert str(result.problems[0]) == "row 3: no feedback text"
    assert result.added == 3 and [m.author for m in stored(conn)] == ["Ana", "Ed", "Gil"]
    assert stored(conn)[0].text == "Two lines\nof praise"


def test_reimport_adds_nothing_and_raises_no_second_alert(tmp_path: Path, conn: sqlite3.Connection) -> None:
    path = write(tmp_path / "r.csv", "client,feedback,rating,date\n"
                                     "Oakridge Dental,Missed the deadline twice and stopped answering.,1,2024-09-10\n"
                                     "Birch & Co,Clean code and great communication.,5,2024-09-12\n"
                                     "Birch & Co,Clean code and great communication.,5,2024-09-12\n")
    first = import_file(conn, path, site="upwork")
    assert (first.added, first.duplicates, first.alerts) == (2, 1, 1)  # the copied row is a duplicate too
    [alerted] = [m for m in stored(conn) if m.alerted]
    assert alerted.author == "Oakridge Dental" and alerted.label == "negative" and alerted.site == "upwork"
    assert alerted.source == IMPORT_SOURCE_ID and len(first.mention_ids) == 2
    again = import_file(conn, path, site="upwork")
    assert (again.added, again.duplicates, again.alerts, again.mention_ids) == (0, 3, 0, ())
    assert len(stored(conn)) == 2 and alert_count(conn) == 1


def test_a_rows_own_site_wins_over_the_default(tmp_path: Path, conn: sqlite3.Connection) -> None:
    path = write(tmp_path / "s.csv", "text,platform\nGreat,Fiverr\nGood,\n")
    import_file(conn, path, site="Upwork")
    assert sorted((m.text, m.site) for m in stored(conn)) == [("Good", "upwork"), ("Great", "fiverr")]


def test_hostile_text_is_stored_literally(tmp_path: Path, conn: sqlite3.Connection) -> None:
    path = write(tmp_path / "h.csv", f'text,title,url\n"{HOSTILE}",<script>x</script>,javascript:alert(1)\n')
    result = import_file(conn, path)
    [m] = stored(conn)
    assert (m.text, m.title, m.url) == (HOSTILE, "<script>x</script>", "")
    assert any("not web addresses" in note for note in result.notes)


def test_dry_run_counts_exactly_and_stores_nothing(tmp_path: Path, conn: sqlite3.Connection) -> None:
    path = write(tmp_path / "d.csv", "text,rating\n\"Awful, never delivered\",1\nLovely,5\n")
    result = import_file(conn, path, dry_run=True)
    assert (result.added, result.alerts, result.dry_run) == (2, 1, True)
    assert stored(conn) == [] and alert_count(conn) == 0


def test_cancel_rolls_the_whole_import_back(tmp_path: Path, conn: sqlite3.Connection,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storing, "CHUNK", 2)
    path = write(tmp_path / "c.csv", "text\n" + "".join(f"Review number {n}\n" for n in range(7)))
    seen: list[tuple[int, int]] = []
    with pytest.raises(ImportCancelled):
        import_preview(conn, read_file(path), progress=lambda done, total: seen.append((done, total)),
                       cancelled=lambda: len(seen) >= 2)
    assert seen == [(2, 7), (4, 7)] and stored(conn) == []
    result = import_preview(conn, read_file(path), progress=lambda done, total: seen.append((done, total)))
    assert result.added == 7 and seen[-1] == (7, 7)


# -- whole-file failures: one clear message, never a traceback ----------------------------------------------
@pytest.mark.parametrize(("content", "message"), [
    (b"", "is empty"),
    (b"\x00\x01\x02\xff\xfe garbage \x00 bytes \x81\x8d", "not"),
    (b"client,stars\nAnn,5\n", "no feedback column"),
    (b"[1, 2", "not valid JSON"),
    (b'"just a string"', "no feedback"),
])
def test_unreadable_files_fail_with_one_message(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFailed, match=message):
        read_file(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="no such file"):
        read_file(tmp_path / "nope.csv")
    with pytest.raises(ImportFailed, match="folder"):
        read_file(tmp_path)


def test_size_and_row_caps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "big.csv", "text\n" + "Fine work\n" * 50)
    monkeypatch.setattr(decoding, "MAX_BYTES", 100)
    with pytest.raises(ImportFailed, match="up to 0 MB|split"):
        read_file(path)
    monkeypatch.setattr(decoding, "MAX_BYTES", 10_000)
    monkeypatch.setattr(sniffing, "MAX_ROWS", 10)
    with pytest.raises(ImportFailed, match="more than 10 rows"):
        read_file(path)


def test_upwork_copy_fixture(conn: sqlite3.Connection) -> None:
    preview = read_file(FIXTURES / "upwork-copied.csv", site="upwork")
    assert len(preview.rows) == 6 and [str(p) for p in preview.problems] == ["row 7: no feedback text"]
    first = preview.rows[0].mention
    assert (first.author, first.title, first.rating) == ("Harbor Lane Realty", "WordPress site speed optimization",
                                                         5.0)
    assert first.posted_at == datetime(2024, 2, 20, 12, tzinfo=timezone.utc)  # the end of the contract
    assert "\n" in preview.rows[2].mention.text and preview.rows[3].mention.author == "Zo\u00eb Caldwell"
    result = import_preview(conn, preview)
    assert (result.added, result.alerts) == (6, 2)
    assert {m.author for m in stored(conn) if m.alerted} == {"Zo\u00eb Caldwell", "Al-Rashid Trading"}
    assert {m.site for m in stored(conn)} == {"upwork"}


# -- export and the round trip ------------------------------------------------------------------------------
def _seed(conn: sqlite3.Connection) -> None:
    ingest(conn, MANUAL_SOURCE_ID, [
        Mention(text="=HYPERLINK(\"http://evil.example\",\"click\")", author="@mallory",
                posted_at=datetime(2024, 1, 5, 12, tzinfo=timezone.utc), rating=2.0),
        Mention(text=f"- slow replies\n- but {HOSTILE}", author="Wiktoria Zieli\u0144ska", title="Logo, v2",
                url="https://www.upwork.com/freelancers/~01abc", posted_at=datetime(2024, 2, 6, 9, 30,
                                                                                    tzinfo=timezone.utc),
                rating=4.5, language="en"),
    ], manual=Manual(site="upwork"))
    ingest(conn, MANUAL_SOURCE_ID, [Mention(text='Quotes "inside", commas, and ; semicolons', external_id="r-77",
                                            rating=None, posted_at=None)], manual=Manual(site="fiverr"))


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_then_import_round_trips(tmp_path: Path, conn: sqlite3.Connection, fmt: str) -> None:
    _seed(conn)
    out = tmp_path / f"all.{fmt}"
    assert export_mentions(conn, out, fmt=fmt) == 3
    target = connect(tmp_path / "other.sqlite3")  # a second, empty store
    try:
        result = import_file(target, out)
        assert (result.added, result.problems, result.notes) == (3, (), ())

        def key(m: mentions.StoredMention) -> tuple[object, ...]:
            return (m.text, m.author, m.title, m.url, m.external_id, m.posted_at, m.rating, m.site, m.language)

        assert sorted(map(key, stored(target)), key=repr) == sorted(map(key, stored(conn)), key=repr)
        assert import_file(target, out).added == 0
    finally:
        target.close()


def test_csv_export_defuses_formulas_and_keeps_a_header(tmp_path: Path, conn: sqlite3.Connection) -> None:
    _seed(conn)
    out = tmp_path / "all.csv"
    export_mentions(conn, out)
    text = out.read_bytes().decode("utf-8")
    assert text.startswith(",".join(exporting.COLUMNS) + "\r\n")
    assert "'=HYPERLINK" in text and "'@mallory" in text and "\"'- slow replies" in text


def test_export_filters_and_refuses_to_overwrite(tmp_path: Path, conn: sqlite3.Connection) -> None:
    _seed(conn)
    out = tmp_path / "neg.jsonl"
    out.write_text("keep me")
    with pytest.raises(ExportFailed, match="already exists"):
        export_mentions(conn, out, fmt="json")
    assert out.read_text() == "keep me"
    from desktop.store.mentions import Filter

    count = export_mentions(conn, out, fmt="json", flt=Filter(source=MANUAL_SOURCE_ID, label="positive"),
                            force=True)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == count and all(line["label"] == "positive" for line in lines)
    assert list(lines[0]) == list(exporting.COLUMNS)
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no temporary file left behind
    with pytest.raises(ExportFailed, match="not a folder"):
        export_mentions(conn, tmp_path / "missing" / "x.csv")


def test_excel_unicode_text_and_times_with_am_pm(tmp_path: Path) -> None:
    """Excel's "Unicode Text" save: UTF-16 with a BOM, tab-delimited; US dates with a 12-hour time."""
    path = tmp_path / "excel.txt"
    path.write_bytes("Reviewer\tComment\tDate\nSøren\tTak, flot arbejde\t3/14/2024 2:05 PM\n".encode("utf-16"))
    [m] = read_file(path).mentions
    assert (m.author, m.text) == ("Søren", "Tak, flot arbejde")
    assert (m.posted_at.month, m.posted_at.day, m.posted_at.hour, m.posted_at.minute) == (3, 14, 14, 5)
    assert m.posted_at.tzinfo is not None  # a time without a zone is the user's local time


# -- hostile files (issue 11 item 9): a row skipped with its reason, or one clear line ----------------------
@pytest.mark.parametrize(("name", "content", "row", "column", "why"), [
    ("rating.csv", "text,rating\nFine work,5\nok," + "9" * 400 + "\n", 3, "rating", "not a number of stars"),
    ("rating.json", '[{"text":"Fine work"},{"text":"ok","rating":' + "9" * 400 + "}]", 2, "rating", "not on 1 to 5"),
    ("id.csv", "text,id\nFine work,1\nok," + "9" * 4401 + "\n", 3, "id", "too long to be a review id"),
    ("id.json", '[{"text":"Fine work"},{"text":"ok","id":' + "9" * 4401 + "}]", 2, "id", "too long to be a review id"),
    ("deep.jsonl", '{"text":"Fine work"}\n' + "[" * 5000 + "\n", 2, "", "nested too deeply"),
    ("surrogate.json", '[{"text":"Fine work"},{"text":"ok \\ud800"}]', 2, "", "lone surrogate"),
    ("date.csv", "text,date\nFine work,2024-01-02\nok,9999-12-31T23:00:00-05:00\n", 3, "date", "out of range"),
    ("date.json", '[{"text":"Fine work"},{"text":"ok","date":"9999-12-31T23:00:00-05:00"}]', 2, "date",
     "out of range"),
])
def test_a_hostile_row_is_skipped_with_its_reason(tmp_path: Path, conn: sqlite3.Connection, name: str,
                                                   content: str, row: int, column: str, why: str) -> None:
    result = import_file(conn, write(tmp_path / name, content))
    [problem] = result.problems
    assert (problem.row, problem.column) == (row, column) and why in problem.message and len(problem.message) < 150
    assert result.added == 1 and [m.text for m in stored(conn)] == ["Fine work"]


@pytest.mark.parametrize(("content", "message"), [
    (b"\xff\xfe", "is empty"),
    (b"[" * 5000, "nested deeper"),
    (b'{"text": "x", "deep": ' + b"[" * 5000 + b"}", "nested deeper"),
])
def test_a_hostile_file_fails_in_one_clear_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "hostile.json"
    path.write_bytes(content)
    with pytest.raises(ImportFailed, match=message):
        read_file(path)


# -- the CSV round trip (issue 11 item 12) ------------------------------------------------------------------
@pytest.fixture(scope="module")
def empty_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty store file to copy: a fresh store per example without migrating each time."""
    path = tmp_path_factory.mktemp("template") / "empty.sqlite3"
    connect(path).close()
    return path


def _round_trip(tmp_path: Path, empty: Path, texts: list[str]) -> list[str]:
    """Store `texts`, export them as CSV, import the file into an empty store: the texts that store holds."""
    source = connect(Path(shutil.copy(empty, tmp_path / "source.sqlite3")))
    target = connect(Path(shutil.copy(empty, tmp_path / "target.sqlite3")))
    try:
        ingest(source, MANUAL_SOURCE_ID, [Mention(text=t, external_id=f"r{n}") for n, t in enumerate(texts)])
        out = tmp_path / "all.csv"
        export_mentions(source, out, force=True)
        result = import_file(target, out)
        assert result.problems == () and result.added == len(texts)
        return [m.text for m in sorted(stored(target), key=lambda m: int(m.external_id[1:]))]
    finally:
        source.close()
        target.close()


@pytest.mark.parametrize("text", [
    "nul \x00 inside", "x" * 131_073, "y" * 2_000_000, "'=1+1", "'@mallory", "''already quoted", "'", "'+",
    "=SUM(A1)", "  spaced out  ", "\ttabbed", "\r\nleading break", "a\rb\nc\r\n", "-", "'Tis fine",
])
def test_csv_export_imports_back_unchanged(tmp_path: Path, empty_store: Path, text: str) -> None:
    assert _round_trip(tmp_path, empty_store, ["Plain first review", text]) == ["Plain first review", text]


@given(st.lists(st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=300)
                .filter(lambda t: t.strip()), min_size=1, max_size=5))
def test_any_texts_survive_export_and_import(empty_store: Path, texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        assert _round_trip(Path(tmp), empty_store, texts) == texts
