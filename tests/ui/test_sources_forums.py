"""The Sources screen with the forum kinds: search terms (own, or My names), a fixed API address filled in,
Reddit's app credentials to the keyring only, and "Test this source" searching with the terms."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from PySide6.QtCore import Qt

from desktop.store import settings, sources
from desktop.ui.source_dialog import SourceDialog
from tests.helpers.fault_server import Reply
from tests.helpers.fixtures import PATIENCE_MS
from tests.scrapers.pages import PAGES
from tests.ui.test_sources_marketplaces import page, session_factory  # noqa: F401 - fixtures, used by name
from tests.helpers.settle import settle
from tests.ui.test_sources_page import run_modal


def test_hackernews_added_with_its_terms_and_default_address(qtbot, conn, page) -> None:  # noqa: F811
    def fill(dialog: SourceDialog) -> None:
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("trustpilot"))
        assert not dialog.terms_box.isVisibleTo(dialog)  # review kinds have no terms
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("hackernews"))
        assert dialog.terms_box.isVisibleTo(dialog)
        assert dialog.url_edit.text() == "https://hn.algolia.com/api/v1/search_by_date"
        dialog.terms_edit.setText("Sam Rivera, rivera.dev")
        dialog.exclude_edit.setText("Diego Rivera")
        dialog.ok_button.click()

    run_modal(page.add_button.click, fill)
    settle(qtbot, page)
    [added] = sources.configured(conn)
    assert added.kind == "hackernews" and added.url == "https://hn.algolia.com/api/v1/search_by_date"
    assert added.config == {"terms": ["Sam Rivera", "rivera.dev"], "exclude": ["Diego Rivera"]}


def test_switching_away_from_a_fixed_address_clears_it(qtbot, conn, page) -> None:  # noqa: F811
    dialog = SourceDialog(None)
    qtbot.addWidget(dialog)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("hackernews"))
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("discourse"))
    assert dialog.url_edit.text() == "" and not dialog.ok_button.isEnabled()
    dialog.url_edit.setText("https://forum.ledgerkit.org")
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("reddit"))
    assert dialog.url_edit.text() == "https://forum.ledgerkit.org"  # typed by the user: kept
    assert set(dialog.credential_edits) == {"client_id", "client_secret", "username"}
    assert dialog.credential_edits["client_secret"].echoMode() == dialog.credential_edits["client_secret"].EchoMode.Password


def test_my_names_are_shown_and_used_when_a_source_has_none(qtbot, conn, page, fault_server) -> None:  # noqa: F811
    settings.put(conn, my_names=["Sam Rivera"])
    search = "/api/v1/search_by_date"
    fault_server.route(search, Reply(200, (PAGES / "hackernews" / "search-sam-rivera.response").read_bytes(),
                                     content_type="application/json"))

    def fill(dialog: SourceDialog) -> None:
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("hackernews"))
        assert "(Sam Rivera)" in dialog.terms_note.text()
        dialog.url_edit.setText(fault_server.url(search))
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.test_result.text().startswith("Found"), timeout=PATIENCE_MS)
        assert dialog.test_result.text().startswith("Found 2 posts: newest ")  # a forum finds posts, not reviews
        dialog.reject()

    run_modal(page.add_button.click, fill)
    assert parse_qs(urlsplit(fault_server.requests[0].path).query)["query"] == ["Sam Rivera"]
    assert sources.configured(conn) == []  # a test stores nothing


def test_a_forum_test_without_any_terms_says_what_to_add(qtbot, conn, page, fault_server) -> None:  # noqa: F811
    dialog = SourceDialog(None)
    qtbot.addWidget(dialog)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("discourse"))
    dialog.url_edit.setText(fault_server.url("/"))
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert "Add the names to look for" in dialog.test_result.text()
    assert fault_server.requests == []


def test_reddit_app_credentials_go_to_the_keyring(qtbot, conn, page) -> None:  # noqa: F811
    from desktop import secrets
    from tests.helpers.memory_keyring import installed_memory_keyring

    def fill(dialog: SourceDialog) -> None:
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("reddit"))
        dialog.url_edit.setText("https://www.reddit.com/r/forhire")
        dialog.terms_edit.setText("Sam Rivera")
        dialog.credential_edits["client_id"].setText("p-jq7Xk2cRv9Lm1w")
        dialog.credential_edits["client_secret"].setText("s3cr3t-Qm9fT2xZ")
        dialog.ok_button.click()

    for _keyring in installed_memory_keyring():
        run_modal(page.add_button.click, fill)
        settle(qtbot, page)
        [added] = sources.configured(conn)
        assert secrets.get_secret(added.id, "client_secret") == "s3cr3t-Qm9fT2xZ"
        assert "s3cr3t" not in repr(conn.execute("SELECT * FROM sources").fetchall())
        assert added.config == {"terms": ["Sam Rivera"], "exclude": []}


def test_the_inbox_says_which_term_matched(qtbot, conn) -> None:
    from desktop.records.ingest import ingest
    from desktop.store import mentions
    from desktop.store.clock import utc_now
    from desktop.ui.detail_pane import DetailPane
    from scrapers.base import Mention

    row = sources.add(conn, "hackernews", "https://hn.algolia.com/api/v1/search_by_date", config={"terms": ["a"]})
    [stored] = ingest(conn, row.id, [Mention(text="Has anyone worked with Sam Rivera?", external_id="45861777",
                                             posted_at=utc_now(), matched="Sam Rivera")], site="hackernews")
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.show_mention(mentions.get(conn, stored.mention_id))
    assert "matched “Sam Rivera”" in pane.meta_label.text()


def test_a_forum_search_that_finds_nothing_says_so_in_its_own_words() -> None:
    from desktop.ui.source_dialog import describe_found

    assert describe_found([], "posts") == "The search ran, but found no posts with your terms yet."
    assert "no reviews were found" in describe_found([])
