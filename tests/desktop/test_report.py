"""The PDF report: a valid PDF with pages, a first page that is not blank, from `rapport report` and in-process."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from desktop.records.dashboard import build
from desktop.store.dashboard import Query
from tests.desktop.test_cli import rapport
from tests.helpers.trend_data import seed

NOW = datetime(2026, 12, 20, tzinfo=timezone.utc)


def first_page_ink(pdf: Path) -> tuple[int, int]:
    """(pages, dark pixels on page 1), read back with QtPdf as a viewer would."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    assert document.load(str(pdf)) == QPdfDocument.Error.None_
    pages = document.pageCount()
    image = document.render(0, QSize(595, 842))
    document.close()
    small = image.scaled(119, 168)  # every 5th pixel is enough to see text
    dark = sum(QColor(small.pixel(x, y)).lightness() < 128 for x in range(small.width()) for y in range(small.height()))
    return pages, dark


def colours_on_page(pdf: Path, page: int) -> dict[str, int]:
    """How many pixels of each chart colour page `page` (from 0) shows, rendered with QtPdf."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor
    from PySide6.QtPdf import QPdfDocument

    from desktop import report_charts

    wanted = {"score": report_charts.SCORE, "rating": report_charts.RATING, "negative": report_charts.NEGATIVE,
              "mentions": report_charts.MENTIONS}
    document = QPdfDocument()
    assert document.load(str(pdf)) == QPdfDocument.Error.None_
    image = document.render(page, QSize(595, 842))
    document.close()
    found = dict.fromkeys(wanted, 0)
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            colour = QColor(image.pixel(x, y))
            for name, target in wanted.items():
                if max(abs(colour.red() - target.red()), abs(colour.green() - target.green()),
                       abs(colour.blue() - target.blue())) < 24:
                    found[name] += 1
    return found


def test_the_report_holds_every_chart(qapp, conn: sqlite3.Connection, tmp_path: Path) -> None:
    from desktop import report

    seed(conn)
    board = build(conn, Query(), NOW)
    assert set(report.charts(board)) == {"weekly", "rating", "stars", "sources", "clients"}
    page = report.to_html(board, NOW, shown=report.charts(board))
    assert all(f"rapport://{name}.png" in page for name in ("weekly", "rating", "stars", "sources", "clients"))
    out = tmp_path / "report.pdf"
    report.write_pdf(board, out, NOW, scope="Source: Trustpilot")
    first, second = colours_on_page(out, 0), colours_on_page(out, 1)
    # Page 1: the weekly chart (red bars, blue line), the rating line (gold), the stars (blue bars).
    assert first["negative"] > 100 and first["score"] > 300 and first["rating"] > 10
    # Page 2: the breakdowns, grey bars with red over them.
    assert second["mentions"] > 100 and second["negative"] > 30


def test_a_store_without_ratings_has_no_rating_chart(qapp, conn: sqlite3.Connection) -> None:
    from desktop import report

    seed(conn)
    conn.execute("UPDATE mentions SET rating = NULL")
    board = build(conn, Query(), NOW)
    assert "rating" not in report.charts(board)
    assert "Average rating by week" not in report.to_html(board, NOW, shown=report.charts(board))


def test_report_to_html_escapes_stored_text_and_says_the_figures(conn: sqlite3.Connection) -> None:
    from desktop import report

    seeded = seed(conn)
    conn.execute("UPDATE mentions SET text = '<b>Late</b> & rude' WHERE id = ?", (seeded.mentions[1],))
    page = report.to_html(build(conn, Query(), NOW), NOW)
    assert "&lt;b&gt;Late&lt;/b&gt; &amp; rude" in page and "<b>Late</b>" not in page
    assert "<td>Negatives still unanswered</td><td>2</td>" in page
    assert "<td>Median time to answer</td><td>9.5 hours</td>" in page
    assert "<td>Trustpilot</td><td>4</td><td>3</td>" in page
    scoped = report.to_html(build(conn, Query(), NOW), NOW, scope="Client: <Oak> & Co")
    assert "· Client: &lt;Oak&gt; &amp; Co ·" in scoped


def test_write_pdf_has_pages_and_ink(qapp, conn: sqlite3.Connection, tmp_path: Path) -> None:
    from desktop import report

    seed(conn)
    out = tmp_path / "report.pdf"
    report.write_pdf(build(conn, Query(), NOW), out, NOW)
    assert out.read_bytes().startswith(b"%PDF-")
    pages, dark = first_page_ink(out)
    assert pages == 2  # the trends, then where feedback comes from and the worst unanswered
    assert dark > 200  # a title, a table and a chart: a blank page has none


def test_empty_range_still_makes_a_readable_report(qapp, conn: sqlite3.Connection, tmp_path: Path) -> None:
    from desktop import report

    out = tmp_path / "empty.pdf"
    board = build(conn, Query(since=datetime(2027, 1, 1, tzinfo=timezone.utc)), NOW)
    assert "No feedback in this range" in report.to_html(board, NOW)
    report.write_pdf(board, out, NOW)
    pages, dark = first_page_ink(out)
    assert pages == 1 and dark > 50


def test_rapport_report_command(qapp, conn: sqlite3.Connection, db_path: Path, tmp_path: Path) -> None:
    seed(conn)
    out = tmp_path / "nov.pdf"
    done = rapport("report", "--out", str(out), "--since", "2026-11-09", "--until", "2026-11-15", db=db_path)
    assert done.returncode == 0, done.stderr
    assert "3 mentions" in done.stdout and "9 Nov 2026 to 15 Nov 2026" in done.stdout
    pages, dark = first_page_ink(out)
    assert pages >= 1 and dark > 200
    again = rapport("report", "--out", str(out), db=db_path)
    assert again.returncode != 0 and "already exists" in again.stderr and again.stderr.count("\n") == 1


def test_rapport_report_for_one_source_and_client(qapp, conn: sqlite3.Connection, db_path: Path,
                                                  tmp_path: Path) -> None:
    seeded = seed(conn)
    out = tmp_path / "oak.pdf"
    done = rapport("report", "--out", str(out), "--source", str(seeded.sources["tp"]), "--client", "oakridge dental",
                   db=db_path)
    assert done.returncode == 0, done.stderr
    assert "3 mentions" in done.stdout and "Source: Trustpilot · Client: Oakridge Dental" in done.stdout
    assert first_page_ink(out)[1] > 200
    for args, words in ((("--client", "Nobody"), "no client named 'Nobody'"), (("--source", "99"), "no source with id 99")):
        missing = rapport("report", "--out", str(tmp_path / "x.pdf"), *args, db=db_path)
        assert missing.returncode != 0 and words in missing.stderr and not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("args, words", [
    (("--since", "2026-13-01"), "YYYY-MM-DD"),
    (("--since", "2026-11-10", "--until", "2026-11-01"), "before --since"),
])
def test_rapport_report_refuses_bad_dates(db_path: Path, tmp_path: Path, args: tuple[str, ...], words: str) -> None:
    out = tmp_path / "x.pdf"
    done = rapport("report", "--out", str(out), *args, db=db_path)
    assert done.returncode != 0 and words in done.stderr and not out.exists()


def test_rapport_report_into_a_missing_folder(db_path: Path, tmp_path: Path) -> None:
    done = rapport("report", "--out", str(tmp_path / "nope" / "x.pdf"), db=db_path)
    assert done.returncode != 0 and "does not exist" in done.stderr


