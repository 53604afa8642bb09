"""Correcting a label in the inbox: shown at once, learned in the background, seen and undone in a dialog."""
from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.store import learning as learning_store
from desktop.store import mentions
from desktop.ui.inbox import InboxPage
from desktop.ui.learning import LearnedDialog
from tests.helpers.fixtures import PATIENCE_MS
from tests.helpers.settle import settle


def make_page(qtbot, conn) -> InboxPage:
    page = InboxPage(conn)
    settle(qtbot, page)
    qtbot.addWidget(page)
    return page


def test_not_negative_relabels_at_once_then_learns_in_the_background(qtbot, conn, add):
    first = add("The corridor paintings are deeply disturbing.").mention_id
    second = add("A disturbing asylum level, just right.").mention_id
    page = make_page(qtbot, conn)
    page.select_mention(first)
    settle(qtbot, page)
    assert page.detail.mention.id == first
    assert page.detail.correct_button.text() == "Not negative"
    assert mentions.get(conn, first).label == "negative"
    with qtbot.waitSignal(page.learner.relearned, timeout=PATIENCE_MS) as blocker:
        qtbot.mouseClick(page.detail.correct_button, Qt.MouseButton.LeftButton)
        settle(qtbot, page)  # written in the background
        assert mentions.get(conn, first).label != "negative"  # before learning ends: the verdict is stored
        assert "corrected by you: not negative" in page.detail.reasons_label.text()
    settle(qtbot, page)
    page.learner.shutdown()
    assert blocker.args[0].changed_words == ("disturbing",)
    assert mentions.get(conn, second).label == "positive"
    row = page.model.row_of(second)
    assert row is not None and page.model.mention_at(row).label == "positive"  # the table was re-read


def test_learned_dialog_lists_and_undoes(qtbot, conn, add):
    first = add("Deeply disturbing work.").mention_id
    page = make_page(qtbot, conn)
    page.select_mention(first)
    settle(qtbot, page)
    with qtbot.waitSignal(page.learner.relearned, timeout=PATIENCE_MS):
        page.correct_action.trigger()
        settle(qtbot, page)
    settle(qtbot, page)
    dialog = LearnedDialog(conn, page.learner, page)
    qtbot.addWidget(dialog)
    settle(qtbot, dialog)
    assert dialog.words_list.count() == 1 and "disturbing" in dialog.words_list.item(0).text()
    assert dialog.corrections_list.count() == 1 and dialog.corrections_list.item(0).text().startswith("Not negative")
    dialog.corrections_list.setCurrentRow(0)
    with qtbot.waitSignal(page.learner.relearned, timeout=PATIENCE_MS):
        qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    settle(qtbot, page, dialog)
    page.learner.shutdown()
    assert learning_store.corrections(conn) == []
    assert learning_store.learned_words(conn) == []
    assert dialog.words_list.item(0).text() == "Nothing learned yet."
    assert not dialog.forget_button.isEnabled()
    assert mentions.get(conn, first).label == "negative"


def test_learned_dialog_lists_the_adjustment_and_forgets_a_feature(qtbot, conn, add):
    texts = ("Absolutely terrifying wendigo.", "The attic scene is frightening.")  # both read negative
    ids = [add(text).mention_id for text in texts]
    page = make_page(qtbot, conn)
    for mention in ids:  # what two corrections agree on is learned (one teaches no adjustment)
        page.select_mention(mention)
        settle(qtbot, page)
        with qtbot.waitSignal(page.learner.relearned, timeout=PATIENCE_MS):
            page.correct_action.trigger()
            settle(qtbot, page)
        settle(qtbot, page)
    stored = learning_store.learned_adjustment(conn)
    assert stored
    # a delta on a word that says nothing, as a store may hold from before function words were left out: not listed
    learning_store.replace_learned_adjustment(conn, {**stored, "word:so": -9.0})
    dialog = LearnedDialog(conn, page.learner, page)
    qtbot.addWidget(dialog)
    settle(qtbot, dialog)
    strongest = max(stored, key=lambda f: abs(stored[f]))
    # (a store's topics, kept with its deltas at 0, move nothing and are not listed)
    assert dialog.adjustments_list.count() == min(len([f for f in stored if not f.startswith("topic:")]), 40)
    assert all(dialog.adjustments_list.item(i).data(Qt.ItemDataRole.UserRole) != "word:so"
               for i in range(dialog.adjustments_list.count()))
    assert dialog.adjustments_list.item(0).data(Qt.ItemDataRole.UserRole) == strongest
    assert "read less negative for you" in dialog.adjustments_list.item(0).text()
    assert not dialog.forget_adjustment_button.isEnabled()
    dialog.adjustments_list.setCurrentRow(0)
    assert dialog.forget_adjustment_button.isEnabled()
    with qtbot.waitSignal(page.learner.relearned, timeout=PATIENCE_MS):
        qtbot.mouseClick(dialog.forget_adjustment_button, Qt.MouseButton.LeftButton)
    settle(qtbot, page, dialog)
    page.learner.shutdown()
    assert strongest not in learning_store.learned_adjustment(conn)
    assert strongest in learning_store.forgotten_words(conn)
    assert all(dialog.adjustments_list.item(i).data(Qt.ItemDataRole.UserRole) != strongest
               for i in range(dialog.adjustments_list.count()))
