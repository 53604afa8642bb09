"""The inbox model: a correct Qt model, windowed loading, store-side sorting and filtering, live inserts."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from desktop.store import clients, mentions
from desktop.store import sources as source_store
from desktop.store.clock import utc_now
from desktop.store.mentions import Filter
from desktop.ui import inbox_model
from desktop.ui.inbox_model import (COL_CLIENT, COL_RATING, COL_SCORE, COL_TEXT, ID_ROLE, InboxModel)
from tests.helpers.settle import loaded, settle

MARKUP = 'Terrible! <b>bold</b> <img src=x onerror=alert(1)> <a href="http://evil.example">click</a>'


def ids(model: InboxModel) -> list[int]:
    return [model.index(r, 0).data(ID_ROLE) for r in range(model.rowCount())]


def test_model_passes_qtmodeltester(qtbot, qtmodeltester, conn, add):
    clients.add(conn, "Northwind Bakery", handles=[("upwork", "northwind_ops")])
    add("Great work, delivered early.", author="northwind_ops", rating=5)
    add("Late and unprofessional.", rating=1)
    add(MARKUP)
    model = loaded(qtbot, InboxModel(conn))
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)


def test_rows_load_a_window_at_a_time(qtbot, conn, add, monkeypatch):
    monkeypatch.setattr(inbox_model, "WINDOW", 5)
    monkeypatch.setattr(inbox_model, "MORE_FACTOR", 2)  # windows after the first are larger: fewer repaints
    for n in range(24):
        add(f"feedback number {n}")
    model = loaded(qtbot, InboxModel(conn))
    assert model.rowCount() == 5 and model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert not model.canFetchMore(QModelIndex())  # one window at a time: the next is on its way
    settle(qtbot, model)
    assert model.rowCount() == 15
    model.fetchMore(QModelIndex())
    settle(qtbot, model)
    assert model.rowCount() == 24 and not model.canFetchMore(QModelIndex())
    assert len(set(ids(model))) == 24


def test_a_first_window_can_bring_how_many_match(qtbot, conn, add, monkeypatch):
    monkeypatch.setattr(inbox_model, "WINDOW", 10)
    for n in range(25):
        add(f"feedback number {n}")
    model = loaded(qtbot, InboxModel(conn, with_total=True))
    assert model.rowCount() == 10 and model.total_count == 25


def test_newest_first_and_sorting_by_the_store(qtbot, conn, add):
    old = add("Fine work.", rating=3, days=1).mention_id
    new = add("Awful, late and rude.", rating=1, days=5).mention_id
    mid = add("Wonderful, on time!", rating=5, days=3).mention_id
    model = loaded(qtbot, InboxModel(conn))
    assert ids(model) == [new, mid, old]
    model.sort(COL_RATING, Qt.SortOrder.AscendingOrder)
    settle(qtbot, model)
    assert ids(model) == [new, old, mid]
    model.sort(COL_SCORE, Qt.SortOrder.DescendingOrder)
    settle(qtbot, model)
    assert ids(model)[0] == mid and ids(model)[-1] == new


def test_new_mention_is_inserted_in_place_without_a_reset(qtbot, conn, add):
    add("first", days=1)
    add("third", days=3)
    model = loaded(qtbot, InboxModel(conn))
    middle = add("second", days=2).mention_id
    matched: list[int] = []
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.rowsInserted) as inserted:
        model.add_mention(middle, matched.append)
    assert inserted.args[1] == 1 and matched == [1]
    assert [model.index(r, COL_TEXT).data() for r in range(3)] == ["third", "second", "first"]


def test_a_page_of_new_mentions_goes_in_one_insert_per_run_in_order(qtbot, conn, add):
    add("day two", days=2)
    add("day five", days=5)
    model = loaded(qtbot, InboxModel(conn))
    new = [add(text, days=days).mention_id for text, days in
           (("day one", 1), ("day seven", 7), ("day three", 3), ("day six", 6), ("day four", 4))]
    inserts = []
    model.rowsInserted.connect(lambda _parent, first, last: inserts.append((first, last)))
    matched: list[int] = []
    with qtbot.assertNotEmitted(model.modelReset):
        model.add_mentions(new, matched.append)
        settle(qtbot, model)
    assert matched == [5]
    assert [model.index(r, COL_TEXT).data() for r in range(7)] == [
        "day seven", "day six", "day five", "day four", "day three", "day two", "day one"]
    assert len(inserts) == 3  # the runs above day five, between five and two, and below two
    model.add_mentions(new, matched.append)
    settle(qtbot, model)
    assert matched == [5, 0] and model.rowCount() == 7


def test_a_polls_page_of_newest_mentions_is_placed_with_two_searches(qtbot, conn, add, monkeypatch):
    """Bounded GUI-thread work: twenty new rows that all go on top share one place, found by searching for the
    first and the last of them, not for each (each search compares ~log2(rows) records, holding the interpreter
    lock while a poll's threads want it)."""
    for day in range(30):
        add(f"older {day}", days=day)
    model = loaded(qtbot, InboxModel(conn))
    new = [add(f"newer {day}", days=100 + day).mention_id for day in range(20)]
    searches = []
    search = model._position
    monkeypatch.setattr(model, "_position", lambda m, *bounds: searches.append(m.id) or search(m, *bounds))
    model.add_mentions(new)
    settle(qtbot, model)
    assert ids(model)[:20] == sorted(new, reverse=True)
    assert len(searches) == 2


def test_new_mentions_land_where_the_store_orders_them_in_any_order(qtbot, conn, add):
    import random

    rnd = random.Random(4)
    for n in range(25):
        add(f"kept {n}", days=rnd.randint(0, 60), rating=rnd.choice((None, 1.0, 3.0, 5.0)))
    for column, order in ((COL_RATING, Qt.SortOrder.AscendingOrder), (COL_RATING, Qt.SortOrder.DescendingOrder),
                          (0, Qt.SortOrder.DescendingOrder), (0, Qt.SortOrder.AscendingOrder)):
        model = loaded(qtbot, InboxModel(conn))
        model.sort(column, order)
        settle(qtbot, model)
        new = [add(f"new {n}", days=rnd.randint(0, 60), rating=rnd.choice((None, 2.0, 3.0))).mention_id
               for n in range(rnd.randint(1, 12))]
        model.add_mentions(new)
        settle(qtbot, model)
        fresh = loaded(qtbot, InboxModel(conn))
        fresh.sort(column, order)
        settle(qtbot, fresh)
        assert ids(model) == ids(fresh)


def test_new_mention_outside_the_filter_is_not_shown(qtbot, conn, add):
    add("Wonderful work, thank you!")
    model = loaded(qtbot, InboxModel(conn, Filter(label="positive")))
    negative = add("Horrible, broken and late.").mention_id
    matched: list[int] = []
    with qtbot.assertNotEmitted(model.rowsInserted):
        model.add_mention(negative, matched.append)
        settle(qtbot, model)
    assert matched == [0] and model.rowCount() == 1


def test_filters_narrow_the_rows(qtbot, conn, add):
    reddit = source_store.add(conn, "reddit", "https://www.reddit.com/search.json?q=acme", label="Reddit search")
    client = clients.add(conn, "Helios Solar GmbH", handles=[("fiverr", "mkeller")])
    good = add("Excellent pitch deck, highly recommended!", author="mkeller", site="fiverr").mention_id
    bad = add("Terrible, the site was broken for days.").mention_id
    scraped = add("Anyone hired them? Heard they were late.", source=reddit.id, site="reddit").mention_id
    mentions.set_read(conn, [good], True, utc_now())
    model = loaded(qtbot, InboxModel(conn))
    model.set_filter(Filter(label="negative"))
    settle(qtbot, model)
    assert bad in ids(model) and good not in ids(model)
    assert all(model.mention_at(r).label == "negative" for r in range(model.rowCount()))
    model.set_filter(Filter(source=reddit.id))
    settle(qtbot, model)
    assert ids(model) == [scraped]
    model.set_filter(Filter(client=client.id))
    settle(qtbot, model)
    assert ids(model) == [good]
    assert model.index(0, COL_CLIENT).data() == "Helios Solar GmbH"
    model.set_filter(Filter(unread=True))
    settle(qtbot, model)
    assert good not in ids(model) and {bad, scraped} <= set(ids(model))


def test_search_uses_full_text(qtbot, conn, add):
    add("The contact form lost enquiries after the migration.")
    add("Lovely logo, quick revisions.")
    model = loaded(qtbot, InboxModel(conn, Filter(search="enquir")))
    assert model.rowCount() == 1
    assert "contact form" in model.index(0, COL_TEXT).data()
    model.set_filter(Filter(search='"logo*'))  # FTS syntax is taken as words, never as a query
    settle(qtbot, model)
    assert model.rowCount() == 1
    assert "logo" in model.index(0, COL_TEXT).data()


def test_markup_in_scraped_text_is_shown_literally(qtbot, conn, add):
    add(MARKUP, author="<b>mallory</b>")
    model = loaded(qtbot, InboxModel(conn))
    assert model.index(0, COL_TEXT).data() == MARKUP
    assert model.index(0, inbox_model.COL_AUTHOR).data() == "<b>mallory</b>"
    tooltip = model.index(0, COL_TEXT).data(Qt.ItemDataRole.ToolTipRole)
    assert "<b>bold</b>" not in tooltip and "&lt;b&gt;bold&lt;/b&gt;" in tooltip
    assert "<img" not in tooltip and "&lt;img src=x onerror=alert(1)&gt;" in tooltip


def test_marking_read_drops_the_row_from_an_unread_view(qtbot, conn, add):
    first = add("one").mention_id
    add("two")
    model = loaded(qtbot, InboxModel(conn, Filter(unread=True)))
    mentions.set_read(conn, [first], True, utc_now())
    with qtbot.waitSignal(model.rowsRemoved):
        model.update_mention(first)
    assert first not in ids(model)


def test_reply_column_says_which_alerts_have_a_draft_and_which_were_answered(qtbot, conn, add):
    from desktop.store import drafts
    from desktop.composer.answers import Answers
    from desktop.ui.inbox_model import COL_REPLY

    alerted = add("Missed the deadline and stopped answering.", rating=1).mention_id
    happy = add("Wonderful work, on time.", rating=5).mention_id
    model = loaded(qtbot, InboxModel(conn, Filter()))

    def reply(mention_id: int) -> str:
        return model.index(model.row_of(mention_id), COL_REPLY).data()

    assert (reply(alerted), reply(happy)) == ("Not yet", "")
    draft_id = drafts.create(conn, alerted, None)
    drafts.save(conn, draft_id, Answers(), "I am sorry about the missed deadline.")
    model.update_mention(alerted)
    settle(qtbot, model)
    assert reply(alerted) == "Draft"
    drafts.mark_exported(conn, draft_id, 1, "clipboard", utc_now())
    model.update_mention(alerted)
    settle(qtbot, model)
    assert reply(alerted) == "Draft"  # exported is not posted
    drafts.mark_posted(conn, draft_id, utc_now())
    model.update_mention(alerted)
    settle(qtbot, model)
    assert reply(alerted) == "Answered"
