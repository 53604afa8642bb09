"""Corrections: stored in a real SQLite store, applied to the mention at once, taught to the scorer, undone."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from desktop.records import corrections
from desktop.records.ingest import MANUAL_SOURCE_ID, ingest
from desktop.scoring import score
from desktop.scoring.adjustment import Adjustment, _negative_families, _stemmed, features, strongest
from desktop.scoring.evidence import open_share, word_evidence
from desktop.scoring.learning import Example, Learned, LearnedWord, learn
from desktop.scoring.model import _UNSAID, features_of, model_text, words_of
from desktop.scoring.scorer import rules_reading
from desktop.scoring.training import TEACH_SETS, teach_figures
from desktop.store import learning as learning_store
from desktop.store import mentions
from scrapers.base import Mention

# Every store test here runs on SQLite and on a real PostgreSQL server.
pytestmark = pytest.mark.both_backends

DATA = Path(__file__).resolve().parent.parent / "data"
WHEN = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)


def clock() -> datetime:
    return WHEN


def _teach_set(name: str = "teach_horror.jsonl") -> tuple[list[dict], list[dict]]:
    rows = [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if r["kind"] == "teach"], [r for r in rows if r["kind"] == "control"]


def _ten_corrections(name: str) -> tuple[int, int, int, Learned]:
    """Correct the first 10 misread teach items of a set: how many of the other teach items read right before and
    after, how many of its controls change label, and what was learned."""
    teach, control = _teach_set(name)
    taught = [r for r in teach if score(r["text"]).label != r["label"]][:10]
    learned = learn([Example(r["text"], r["label"] == "negative") for r in taught])
    unseen = [r for r in teach if r not in taught]
    before = sum(score(r["text"]).label == r["label"] for r in unseen)
    after = sum(score(r["text"], learned=learned).label == r["label"] for r in unseen)
    changed = sum(score(r["text"]).label != score(r["text"], learned=learned).label for r in control)
    return before, after, changed, learned


def _add(conn, text: str, rating: float | None = None) -> int:
    [result] = ingest(conn, MANUAL_SOURCE_ID, [Mention(text, rating=rating)], clock=clock)
    return result.mention_id


# Unseen teach items read right of 50 after 10 corrections, and the most control texts (of 60) whose label may change;
# README, "Learning from you". Round thirteen's layer (trained on feedback_blind11 and feedback_dev11_* too) reads the
# teach items before any correction: horror 38, pest 35, debt 30, comedy 29, fitness 40; after: 44, 40, 36, 34, 45
# (154 of the first four's 200, as round twelve's layer: 44, 39, 34, 37), and changes 1, 1, 1, 3, 1 controls (round
# twelve's: 0, 1, 1, 3 and fitness 7, 3 once a store's excuse stayed with its niche). The controls that change: cleaners
# who "broke a glass" after horror art's corrections, a refund "Painless." read as a complaint after pest control's; window cleaners who "left no streaks" (now right), a consultant who "repackaged a free template"
# and an encouraging music teacher after roast comedy's; on fitness, a delay that "destroyed our launch" (the layer
# reads too little complaint in its other words to hold the store's excuse back).
# Round fifteen's layer (trained on feedback_blind12 and feedback_dev12's marketplace and general parts too, with its
# rules) reads them before any correction: horror 37, pest 35, debt 29, comedy 30, fitness 41, tattoo 50. Without a
# store's topics (below) ten corrections gave 43, 38, 34, 33, 44, 50 unseen right (148 of the first four's 200) and
# changed 1, 0, 1, 3, 0, 9 controls, tattoo's all complaints whose one complaint word is the niche's ("A brutal 40% price
# hike with no new features."). Since an excuse does not reach a text off the store's niche (adjustment.Adjustment.strays:
# about nothing its corrected praise was about, with a complaint word the store does not excuse): 43, 37, 32, 32, 44, 50
# (144 of 200) and 0, 0, 1, 2, 0, 2 controls.
# Round sixteen's layer (trained on feedback_blind13 and feedback_dev13's marketplace and general parts too, with its
# rules) reads them before any correction: horror 38, pest 35, debt 31, comedy 28, fitness 42, tattoo 48, haunted house
# 44; after: 42, 37, 34, 31, 46, 48, 46 (144 of the first four's 200, as round fifteen's) and changes 1, 0, 1, 0, 0, 2, 3
# controls. Tattoo's two unseen texts that ten corrections no longer fix ("Painful as hell. Perfect as hell.", "Dark,
# sinister, heavy as sin. Exactly the blackwork I asked for.") read as before round sixteen without them.
# Round seventeen's layer (its rules; the same training data) reads them before any correction: 37, 35, 31, 28, 43, 48,
# 43, 56; after: 41, 37, 34, 31, 47, 48, 45, 56 (143 of the first four's 200, against 145: horror and pest lose one each,
# "I almost peed myself in the first five minutes. Terrific scares all the way through." read as an alert before any
# correction, no rule touching them) and changes 1, 0, 1, 0, 0, 2, 3, 1 controls, as round sixteen's.
# Round seventeen, part four (rules for "no refund", "Since when ...?", "thanks for asking", "split in four months",
# loyalty told as a refusal and "that was the worst of it"; the same training texts, read by them): 37, 36, 31, 28, 43,
# 48, 43, 56 before any correction; after ten 41, 38, 34, 31, 47, 48, 45, 56 (144 of the first four's 200), controls
# changed 1, 0, 1, 0, 0, 2, 3, 1. (With the first four rules alone horror read 40 after ten, "Dark, grim and dripping
# with dread. Wonderful job on the cathedral interiors." neutral, no rule touching it.)
# Round eighteen (its rules; blind15, blind16 and dev14 trained on, general feedback a fixed weight in a store's fit,
# adjustment.ANCHOR_WEIGHT and evidence.GENERAL_WEIGHT): before any correction 36, 35, 30, 28, 42, 49, 44, 57, 55 (its
# rules on the old data: 37, 36, 31, 28, 44, 49, 43, 56, 55); after ten 40, 36, 33, 31, 45, 49, 47, 57, 55 (41, 38, 34,
# 31, 47, 49, 46, 56, 55), controls changed 1, 0, 1, 1, 0, 2, 3, 0, 0 (1, 0, 1, 0, 0, 2, 3, 1, 0). Horror's floor 41 ->
# 40: the retrained layer reads one unseen horror text fewer right before any correction, and ten corrections fix 4 as
# before; fitness reads two fewer before. Pest's first ten fix one text (two before; with the anchors grown as they were,
# 765 at 0.05 each, they lost one): which ten are corrected decides a fix or two, so how much corrections fix is held on
# ten random draws of ten, averaged (RANDOM_TEN, below), where pest's fix 2.1 as before.
AFTER_TEN = {"teach_horror.jsonl": (40, 1), "teach_pest.jsonl": (36, 1), "teach_debt.jsonl": (31, 2),
             "teach_comedy.jsonl": (31, 3), "teach_fitness.jsonl": (43, 1), "teach_tattoo.jsonl": (48, 3),
             "teach_haunted_house.jsonl": (45, 3), "teach_demolition.jsonl": (54, 2),
             "teach_hot_sauce.jsonl": (53, 1), "teach_metal.jsonl": (52, 1),
             "teach_massage.jsonl": (53, 2)}
# Ten corrections drawn at random from a set's misread teach texts (training.teach_figures: seeds 0-9), averaged: how
# many unseen teach texts they fix at least, and how many controls they change at most, as measured in round eighteen
# (`./dev train --teach`). Less noisy than the first ten alone, where one text decides (pest's first ten fixed 0-3 as
# the layer's data changed). Round eighteen's rules on the old data and learning gave 3.9, 2.1, 1.7, 3.8, 1.9, 0.2, 2.1,
# 0, 0 fixes (15.7 in all) and 1.4, 0.1, 0.8, 0.6, 1.2, 1.8, 0.9, 1.0, 0 controls changed (7.8); on the new data with the
# anchors grown with it (765 at 0.05 each) 15.7 fixes, with their weight fixed (as shipped) 16.8.
# Round nineteen (words regularised less, training.L2_WORDS 3e-4 -> 2e-4, alerts kept from training.THRESHOLD 0.5, not
# 0.475): the layer reads more teach texts right before any correction (horror 36 -> 38, pest 35 -> 36, debt 30 -> 31,
# fitness 42 -> 43, metal 54 -> 55), so ten corrections have fewer to fix and end on as many or more right: fixes 4.3 ->
# 3.6, 2.1 -> 1.4, 1.5, 4.0 -> 4.1, 2.7 -> 2.3, 0.2 -> 0.3, 2.2 (17.0 -> 15.4 in all), and the first ten's unseen
# right after 40 -> 42, 36 -> 38, 33 -> 34, 31, 45 -> 46, 49, 48, 57, 55, 54 -> 55. Controls changed over the draws 7.6
# -> 7.4 in all; pest's 0.0 -> 0.1, debt's 0.9 -> 1.0, comedy's 0.9 -> 1.0, fitness's 1.2 -> 1.3 (one control in one
# draw of ten each), horror's 1.9 -> 1.3, tattoo's 1.9 either way, haunted house's 0.8.
RANDOM_TEN = {"teach_horror.jsonl": (3.6, 1.9), "teach_pest.jsonl": (1.4, 0.1), "teach_debt.jsonl": (1.5, 1.0),
              "teach_comedy.jsonl": (4.0, 1.0), "teach_fitness.jsonl": (2.3, 1.3), "teach_tattoo.jsonl": (0.2, 1.9),
              "teach_haunted_house.jsonl": (2.1, 1.6), "teach_demolition.jsonl": (0.0, 0.0),
              "teach_hot_sauce.jsonl": (0.0, 0.0), "teach_metal.jsonl": (0.0, 0.0),
              "teach_massage.jsonl": (0.0, 1.0)}
# teach_fitness.jsonl (a bootcamp coach's clients praising "brutal", "punishing", "torture") was written blind for round
# twelve and measured once at c7d1c38: 42 -> 46 of 50 unseen read right, every genuine complaint still alerts, but 7
# of 60 controls changed label, all complaints from other fields using the niche's words in their usual sense ("the
# delay destroyed our launch", "an exhausting, miserable experience"): a store's words and families reached too far.
# Since, a store's excuse does not reach a text whose other words the layer reads as a complaint
# (model.NICHE_LOGIT): 3 of 60 on round twelve's layer, 1 on round thirteen's.


@pytest.mark.parametrize("name", TEACH_SETS)
def test_ten_corrections_fix_similar_unseen_texts_and_leave_others_alone(name: str) -> None:
    """Issue 18's measure, on four niches whose praise uses words of complaint (horror art: "terrifying"; pest
    control: "killed"; debt collection: "ruthless"; roast comedy: "brutal"). The user corrects the first 10
    misread teach items; of the other 50 teach items more are read right, and control texts barely move. The
    learned words alone fix 0-2 unseen texts a set; with the adjustment of the layer (word families, the rules'
    reading, word stems, fitted against general feedback too) 3-6 more."""
    before, after, changed, _learned = _ten_corrections(name)
    floor, most_changed = AFTER_TEN[name]
    assert after >= min(before + 1, 50 - 2)  # (tattoo: the scorer reads 49 of 50 before any correction)
    assert after >= floor
    assert changed <= most_changed


@pytest.mark.parametrize("name", TEACH_SETS)
def test_ten_random_corrections_fix_as_measured(name: str) -> None:
    """Issue 18's measure taken less noisily: ten misread teach texts drawn at random, ten times with fixed seeds; on
    average they fix at least as many unseen teach texts, and change no more controls, as measured."""
    figures = teach_figures(name)
    fewest_fixes, most_changed = RANDOM_TEN[name]
    assert figures.fixes >= fewest_fixes - 1e-9
    assert figures.changed_mean <= most_changed + 1e-9


def test_a_niches_excuse_does_not_reach_complaints_from_other_fields() -> None:
    """After a bootcamp's clients' corrections ("torture", "miserable", "exhausting" are praise there), complaints
    whose other words say what general feedback complains of (a dispute going nowhere, an app that crashes, a
    launch missed) still alert; the niche's praise still reads as praise."""
    teach, _ = _teach_set("teach_fitness.jsonl")
    taught = [r for r in teach if score(r["text"]).label != r["label"]][:10]
    learned = learn([Example(r["text"], r["label"] == "negative") for r in taught])
    assert {"exhausting", "miserable"} <= learned.words.keys()
    for text in ("Dealing with their dispute process was an exhausting, miserable experience that went nowhere.",
                 "Painfully slow app. Every page takes several seconds to load and it crashes when I upload photos.",
                 "Installing the update killed my laptop's battery life. Down from eight hours to three.",
                 "The headphones hurt my ears after twenty minutes and the noise cancelling barely does anything."):
        assert score(text, learned=learned).label == "negative", text
    assert score("Exhausting, draining, crushing. I'm hooked.", learned=learned).label == "positive"


def test_the_tattoo_niche_a_development_set_now() -> None:
    """teach_tattoo.jsonl (a tattoo studio's clients praising "brutal", "savage", "painful", "scary"; controls from
    other fields using those words in their usual sense), written blind and measured once at 237682b (49 -> 49 of 50
    unseen, 9 of 60 controls changed), a development teach set since round fifteen: the scorer reads the unseen teach
    texts right before any correction, so ten corrections have little to fix, but they change 9 of 60 controls, all
    complaints whose one complaint word is the niche's ("A brutal 40% price hike with no new features.", "Scary
    security hole: I could see other users' invoices."): a store's excuse still reaches too far where the other words
    say little. The bound records what is measured, so a fix shows."""
    before, after, changed, learned = _ten_corrections("teach_tattoo.jsonl")
    complaints = [r for r in _teach_set("teach_tattoo.jsonl")[0] if r["label"] == "negative"]
    assert after >= before >= 45
    assert changed <= 3  # 9 before a store's excuse stayed with its topics (round fifteen)
    assert sum(score(r["text"], learned=learned).label == "negative" for r in complaints) >= 9


def test_round_fifteens_blind_niche_as_measured() -> None:
    """teach_haunted_house.jsonl (a haunted-house attraction whose visitors praise "terrifying", "traumatized",
    "nightmare", "gross"; controls from other fields, 12 of their complaints using those words in their usual sense),
    written blind and measured once at 55b3b60: 17 of its 60 teach texts misread before any correction; of the 50
    unseen after correcting the first 10 misread, 43 read right before and 45 after; 3 of 60 controls changed, all
    three wrongly (complaints: "Gross. Hair in the bath...", food poisoning that left someone "sick", a child
    "traumatized"), and 8 of its 10 real complaints alert. Not trained on (teach sets never are); the bounds record
    what was measured, so a regression or a fix shows."""
    before, after, changed, learned = _ten_corrections("teach_haunted_house.jsonl")
    complaints = [r for r in _teach_set("teach_haunted_house.jsonl")[0] if r["label"] == "negative"]
    assert before >= 42
    assert after >= before + 1
    assert changed <= 3
    assert sum(score(r["text"], learned=learned).label == "negative" for r in complaints) >= 8


# Niches the scorer already read before any correction, written blind and measured once: (most teach texts misread
# before any correction, fewest unseen read right before, most controls changed). teach_demolition.jsonl (round sixteen,
# at 76c1144: demolition contractors and rage rooms praised as "destroyed", "gutted", "savage", "carnage"; the rules
# already read "ripped out", "flattened", "tore it apart" as work done): 4 of 60 misread, so 4 corrections, not 10;
# 56 unseen right before and after; 1 of 60 controls changed, wrongly, to praise ("The airline destroyed my suitcase.").
# teach_hot_sauce.jsonl (round seventeen, at 00e6b4d: a hot-sauce maker and its chilli challenge praised as "agony",
# "lethal", "evil", "my mouth is destroyed"): 5 of 60 misread, 55 unseen right before and after, no control changed.
# teach_metal.jsonl (round eighteen, at c18bf8e: metal bands for hire, a metal studio and bar praised as "brutal",
# "crushing", "deafening", "we got wrecked"): 6 of 60 misread, 54 unseen right before and after, no control changed.
# teach_massage.jsonl (round nineteen, at 97f0fe2: deep-tissue and sports massage, physiotherapy praised as "agony",
# "torture", "merciless elbows", "he destroyed my knots"): 5 of 60 misread, 55 unseen right before and after; 1 of 60
# controls changed, wrongly, to praise ("These earbuds hurt like hell after ten minutes. ... Returning them.").
# In all three, 12 of the controls' complaints use the niche's words in their usual sense, and all 10 real complaints
# of the niche alert after the corrections.
READ_ALREADY = {"teach_demolition.jsonl": (6, 54, 2), "teach_hot_sauce.jsonl": (7, 53, 1),
                "teach_metal.jsonl": (8, 52, 1), "teach_massage.jsonl": (7, 53, 2)}


@pytest.mark.parametrize("name", sorted(READ_ALREADY))
def test_blind_niches_read_before_any_correction_as_measured(name: str) -> None:
    """Not trained on (teach sets never are); the bounds record what was measured, so a regression or a fix shows."""
    most_misread, fewest_right, most_changed = READ_ALREADY[name]
    before, after, changed, learned = _ten_corrections(name)
    teach, _ = _teach_set(name)
    complaints = [r for r in teach if r["label"] == "negative"]
    assert sum(score(r["text"]).label != r["label"] for r in teach) <= most_misread
    assert after >= before >= fewest_right
    assert changed <= most_changed
    assert sum(score(r["text"], learned=learned).label == "negative" for r in complaints) >= 9


def test_an_excuse_stays_with_what_the_corrected_praise_was_about() -> None:
    """After a tattoo studio's corrections ("brutal", "savage", "scary" are praise there), a complaint about nothing
    its clients wrote of, holding a complaint word the store does not excuse ("no new features", "no food
    vouchers"), still alerts; the studio's praise still reads as praise. The store keeps its topics with its deltas
    (at 0: they move nothing, and are not listed)."""
    teach, _ = _teach_set("teach_tattoo.jsonl")
    taught = [r for r in teach if score(r["text"]).label != r["label"]][:10]
    learned = learn([Example(r["text"], r["label"] == "negative") for r in taught])
    topics = [f for f in learned.adjustment.deltas if f.startswith("topic:")]
    assert topics and all(learned.adjustment.deltas[f] == 0.0 for f in topics)
    assert not any(f.startswith("topic:") for f, _ in strongest(learned.adjustment.deltas, 1000))
    for text in ("A brutal 40% price hike with no new features.",
                 "Brutal delays at the gate, six hours with no food vouchers.",
                 "The electrician left a dangerous mess, exposed wires everywhere. Scary stuff with kids in the house."):
        assert score(text).label == "negative"
        assert score(text, learned=learned).label == "negative", text
    fixed = [r for r in teach if r not in taught and r["label"] == "positive"]
    # (since round sixteen's layer two of them are not: "Painful as hell. Perfect as hell." and "Dark, sinister, heavy as
    # sin. Exactly the blackwork I asked for.")
    assert sum(score(r["text"], learned=learned).label != "positive" for r in fixed) <= 2


def test_the_adjustment_reaches_words_never_corrected_and_says_what_moved() -> None:
    """Corrections of fear words in horror art reach "frightening", never corrected, through what the corrected texts
    share (their words' families, the rules' reading), and the reason names that, not the word."""
    teach, _ = _teach_set()
    taught = [r for r in teach if score(r["text"]).label != r["label"]][:10]
    learned = learn([Example(r["text"], r["label"] == "negative") for r in taught])
    text = ("Dread everywhere in these environment paintings. The empty playground at dusk is the most frightening "
            "thing in the game.")
    assert not any("frightening" in r["text"].lower() for r in taught)
    assert score(text).label == "negative"
    result = score(text, learned=learned)
    assert result.label == "positive"
    [note] = [r for r in result.reasons if r.text.startswith("learned from your corrections")]
    assert note.text.endswith("read less negative for you") and "'frightening'" not in note.text
    assert note.weight > 0  # it carries the move


def test_one_stray_word_is_not_learned_from_one_text() -> None:
    # (A correction is of a misread text: "Absolutely terrifying. ..." the learned layer already reads as praise.)
    learned = learn([Example("Terrifying. Our designer refused to look at it after dark.", negative=False)])
    assert "terrifying" in learned.words
    assert "refused" not in learned.words  # a minor culprit of one correction


def test_learning_is_explained_in_the_reasons() -> None:
    learned = learn([Example("The corridor paintings are deeply disturbing.", negative=False)] * 2)
    result = score("The new cellar concept is disturbing, exactly right.", learned=learned)
    assert result.label == "positive"
    notes = [r for r in result.reasons if r.start == r.end]
    assert any("learned from your corrections: 'disturbing' reads positive for you" == r.text for r in notes)
    assert score("The new cellar concept is disturbing, exactly right.").label == "negative"


def test_a_learned_word_moves_the_layers_reading_and_does_not_replace_it() -> None:
    """The layer reads a text holding a learned word with it, unless it reads a complaint in the text's other words: a
    complaint stays one ("horrible" learned as praise in horror art does not excuse a broken order), praise in the niche reads as praise, and the
    reasons name the learned word."""
    learned = Learned({"horrible": LearnedWord("horrible", 2.0, -2.5, 1.0)})
    complaint = "Horrible experience, the order arrived broken and nobody would help."
    result = score(complaint, learned=learned)
    assert result.label == "negative"
    # the layer reads a complaint in its other words ("arrived", "nobody", "would help"): not the niche's praise, so
    # the learned word reads as the shipped lexicon says, and no reason claims it
    assert ("Horrible", -2.5) in [(r.text, r.weight) for r in result.reasons]
    assert not any(r.text.startswith("learned from your corrections") for r in result.reasons)
    praise = "Horrible, exactly the mood the asylum level needed."
    assert score(praise).label == "negative"
    moved = score(praise, learned=learned)
    assert moved.label == "positive"
    assert "learned from your corrections: 'horrible' reads positive for you" in [r.text for r in moved.reasons]


def test_generic_complaint_words_take_more_corrections_than_a_niches_words() -> None:
    """A word general feedback reads as complaint ("wrong": more often right than misleading in the training texts)
    is not flipped by a few corrected texts, a word it hardly holds ("eerie") is, from one."""
    # (since round fifteen's training general feedback holds "wrong" in 95 texts where it agreed and 58 where it misled,
    # so it takes ten texts, not eight)
    # (since round sixteen's, 117 and 60: thirteen texts)
    # (since round eighteen's rules read "I was wrong" after a fear as praise, "wrong" agrees in 120 and misleads in 57:
    # fourteen texts)
    # (since round eighteen's training (blind15, blind16, dev14 too), 163 and 84, each training text counting 0.085 of a
    # correction (evidence.general_vote): fifteen texts; the new sets hold "wrong" often, in praise and complaint alike)
    things = ("stalker", "crawler", "ghoul", "witch", "wendigo", "banshee", "ghost", "butcher", "zombie", "wraith", "ghast",
              "lich", "revenant", "poltergeist", "vampire")
    agreed, misled = word_evidence()["wrong"]
    assert agreed > misled > 0 and "eerie" not in word_evidence()
    assert open_share("wrong") < open_share("horrible") < open_share("eerie") == 1.0
    assert "eerie" in learn([Example("The stalker is so eerie.", negative=False)]).words
    for n in (1, 2, 4):
        assert "wrong" not in learn([Example(f"The {t} is so wrong.", negative=False) for t in things[:n]]).words
    assert "wrong" in learn([Example(f"The {t} is so wrong.", negative=False) for t in things]).words  # it can be taught


def test_a_family_reaches_a_generic_complaint_word_less_than_a_niches_word() -> None:
    """The adjustment's word families count each word as open as it is to reading otherwise: a family learned from a
    niche's words moves a generic complaint word of it less."""
    niche, generic = rules_reading("The stalker is gross."), rules_reading("The stalker is horrible.")
    assert niche.compound > generic.compound  # "horrible" weighs more in the rules...
    assert 0.0 < _negative_families(generic)["ugliness"] < _negative_families(niche)["ugliness"]  # ...and less here


def test_correction_is_stored_rescores_and_teaches_then_undo_forgets(conn) -> None:
    first = _add(conn, "The corridor paintings are deeply disturbing.")
    other = _add(conn, "Another disturbing piece for the asylum level.")
    assert mentions.get(conn, first).label == "negative"

    result = corrections.correct(conn, first, negative=False, clock=clock)
    assert result.label != "negative"
    assert result.reasons[-1].text == "corrected by you: not negative"
    assert mentions.get(conn, first).label == result.label
    assert learning_store.correction_of(conn, first) is False

    relearned = corrections.relearn_and_rescore(conn)
    assert relearned.changed_words == ("disturbing",)
    assert [w.word for w in learning_store.learned_words(conn)] == ["disturbing"]
    assert relearned.relabelled == 2  # the corrected one reads positive now, and the other one too
    assert mentions.get(conn, other).label == "positive"
    assert any(r.text.startswith("learned from your corrections") for r in mentions.get(conn, other).reasons)
    new = _add(conn, "So disturbing, love the detail.")  # new feedback is read with what was learned
    assert mentions.get(conn, new).label == "positive"

    corrections.undo(conn, first)
    assert learning_store.corrections(conn) == []
    corrections.relearn_and_rescore(conn)
    assert learning_store.learned_words(conn) == []
    assert mentions.get(conn, first).label == "negative"
    assert mentions.get(conn, other).label == "negative"


def test_a_negative_verdict_wins_and_says_so(conn) -> None:
    mention = _add(conn, "Billed 38 hours for a contact form.")
    result = corrections.correct(conn, mention, negative=True, clock=clock)
    assert result.label == "negative"
    assert result.reasons[-1].text == "corrected by you: negative"
    assert mentions.get(conn, mention).label == "negative"


def test_forgotten_words_are_not_learned_again(conn) -> None:
    for text in ("Deeply disturbing work.", "Disturbing in the best way."):
        corrections.correct(conn, _add(conn, text), negative=False, clock=clock)
    corrections.relearn_and_rescore(conn)
    assert [w.word for w in learning_store.learned_words(conn)] == ["disturbing"]
    also = _add(conn, "A disturbing corridor.")
    assert mentions.get(conn, also).label == "positive"
    corrections.forget(conn, "disturbing")
    assert corrections.relearn_and_rescore(conn, also=("disturbing",)).relabelled >= 1
    assert learning_store.learned_words(conn) == []
    assert mentions.get(conn, also).label == "negative"
    corrections.correct(conn, _add(conn, "Disturbing, again, love it."), negative=False, clock=clock)
    corrections.relearn_and_rescore(conn)
    assert learning_store.learned_words(conn) == []


def test_star_ratings_are_free_labels(conn) -> None:
    for k in range(6):
        _add(conn, f"Eerie piece number {k}, the fog is so eerie.", rating=5)
    learned = corrections.relearn(conn)
    assert "eerie" in learned.words


def test_the_adjustment_is_stored_read_back_and_forgotten(conn) -> None:
    for text in ("Absolutely terrifying wendigo.", "The attic scene is frightening.",
                 "Horrifying, exactly what the asylum level needed."):
        corrections.correct(conn, _add(conn, text), negative=False, clock=clock)
    relearned = corrections.relearn_and_rescore(conn)
    assert relearned.adjusted
    stored = learning_store.learned_adjustment(conn)
    assert stored == dict(relearned.learned.adjustment.deltas) and stored
    assert corrections.learned_for(conn).adjustment.deltas == stored
    family = min((f for f in stored if f.startswith("family:")), key=stored.__getitem__)
    assert stored[family] < 0  # its words read less negative in this store
    corrections.forget(conn, family)
    assert family not in learning_store.learned_adjustment(conn)
    corrections.relearn_and_rescore(conn)
    assert family not in learning_store.learned_adjustment(conn)  # not learned again
    assert learning_store.learned_adjustment(conn)  # the rest stays


def test_a_changed_adjustment_rereads_only_the_newest_mentions(conn) -> None:
    old = _add(conn, "Dread everywhere in these environment paintings. The empty playground at dusk is the most frightening "
                     "thing in the game.")
    new = _add(conn, "Dread everywhere in these cellar paintings. The empty playground at night is the most frightening "
                   "thing in the game.")
    learned = learn([Example(t, negative=False) for t in (
        "The corridor paintings are deeply disturbing, exactly what the asylum level needed.",
        "Gruesome, grotesque and beautifully rendered. The butcher boss is going to haunt players.",
        "The skin texture on the flesh wall is so disgusting I want to frame it.",
        "Absolutely terrifying, love the wendigo.",
    )] * 3)
    assert score(mentions.get(conn, old).text, learned=learned).label != "negative"
    assert mentions.get(conn, old).label == mentions.get(conn, new).label == "negative"
    assert corrections.rescore_latest(conn, learned, limit=1) == 1
    assert mentions.get(conn, new).label != "negative"
    assert mentions.get(conn, old).label == "negative"  # past the bound: kept as it was


def test_no_function_word_is_learned_or_listed() -> None:
    """Words that say nothing ("so", "every", "just") get no delta, and one a store holds from before is not listed."""
    words = set()
    for name in TEACH_SETS:
        teach, _ = _teach_set(name)
        taught = [r for r in teach if score(r["text"]).label != r["label"]][:10]
        deltas = learn([Example(r["text"], r["label"] == "negative") for r in taught]).adjustment.deltas
        words |= {f.removeprefix("word:") for f in deltas if f.startswith("word:")}
    assert words  # the content words the corrections share are learned...
    assert not words & _UNSAID  # ...none of the function words they share
    held = {"word:so": -0.9, "word:every": -0.8, "family:horror": -0.5, "word:wendigo": -0.3}
    assert [f for f, _ in strongest(held, 40)] == ["family:horror", "word:wendigo"]


def test_a_word_learned_reaches_its_other_forms() -> None:
    """A word's delta is kept by its stem: "hunted" corrected, "hunting" and "hunts" read with it, "hunter" not."""
    adjustment = Adjustment({"word:hunted": -1.5})
    for text, moved in (("They kept hunting him for weeks.", True), ("She hunts debtors down.", True),
                        ("The hunter left.", False)):
        reading = rules_reading(text)
        dense, _ = features_of(reading)
        pulls = adjustment.pulls(reading, dense, words_of(model_text(reading)))
        assert (pulls == [(-1.5, "word:hunted")]) is moved, text


@pytest.mark.parametrize("name", TEACH_SETS)
def test_a_text_is_shifted_by_what_the_fit_read_in_it(name: str) -> None:
    """The adjustment's look-ups at scoring time (per word, cached) give what fit() reads in a text, delta by delta."""
    teach, control = _teach_set(name)
    taught = [r for r in teach if score(r["text"]).label != r["label"]][:10]
    adjustment = learn([Example(r["text"], r["label"] == "negative") for r in taught]).adjustment
    by_stem = {_stemmed(f): d for f, d in adjustment.deltas.items()}
    for row in teach + control:
        reading = rules_reading(row["text"])
        dense, _ = features_of(reading)
        read, _ = features(reading, dense, words_of(model_text(reading)))
        expected = sorted((round(by_stem[f] * v, 9), f) for f, v in read.items() if f in by_stem)
        got = sorted((round(p, 9), _stemmed(f)) for p, f in adjustment.pulls(reading, dense, words_of(model_text(reading))))
        assert got == expected, row["text"]

