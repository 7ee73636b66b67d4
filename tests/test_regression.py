"""Fails CI when a knowledge-base edit or an engine change breaks answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine.evaluate import evaluate, load_eval_set

DATA = Path(__file__).parent / "data"
SHARED_DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.yaml"


def test_regression_set_is_big_enough_and_a_quarter_out_of_scope():
    items = load_eval_set(DATA / "regression.yaml")
    assert len(items) >= 100
    assert sum(not item.in_scope for item in items) >= len(items) / 4


def test_engine_meets_the_thresholds_on_our_regression_set(engine, before):
    report = evaluate(engine, load_eval_set(DATA / "regression.yaml"), before)
    misses = [j.item.question for j in report.misses]
    assert report.accuracy >= 0.92, misses
    assert report.wrong_rate <= 0.02, misses
    assert report.rejection >= 0.92, misses
    assert not report.mentions_missing


@pytest.mark.skipif(not SHARED_DEV.exists(), reason="shared/eval/dev.yaml liegt nicht neben dem Checkout")
def test_engine_meets_the_targets_on_the_dev_set(engine, before):
    report = evaluate(engine, load_eval_set(SHARED_DEV), before)
    misses = [j.item.question for j in report.misses]
    assert report.accuracy >= 0.95, misses  # issue #11's target
    assert report.wrong_rate == 0, misses
    assert report.rejection >= 0.92, misses
    assert not report.mentions_missing


@pytest.mark.skipif(not SHARED_DEV.exists(), reason="shared/eval liegt nicht neben dem Checkout")
def test_engine_meets_the_target_on_the_shared_conversations(engine, before):
    report = evaluate(engine, load_eval_set(SHARED_DEV.with_name("conversations.yaml")), before)
    assert report.accuracy >= 0.90, [j.item.question for j in report.misses]  # issue #11's target
    # One known wrong answer (README): "Welche Kommunen noch?" after two region questions takes the
    # entry on municipalities applying.
    assert report.wrong_rate <= 0.05, [j.item.question for j in report.judged if j.wrong]


@pytest.mark.parametrize(
    ("name", "accuracy", "wrong"),
    [
        # Bars a little below today's figures (README, Messwerte): the holdout sets are never
        # fitted on, so they show whether an edit helps messages nobody tuned for; the trial sets
        # (written to find what the engine missed, not fitted on either) guard what was mended.
        ("messages_holdout.yaml", 0.70, 0.03),  # issue #11: wrong ≤ 3 % on the own holdout
        ("conversations_holdout.yaml", 0.85, 0.05),
        ("holdout.yaml", 0.87, 0.02),
        ("messages_trial1.yaml", 0.74, 0.03),
        ("conversations_trial1.yaml", 0.84, 0.05),  # eighth round: one more wrong turn (2 of 43)
        ("messages_trial2.yaml", 0.86, 0.02),
        ("conversations_trial2.yaml", 0.82, 0.06),
        ("messages_unseen.yaml", 0.70, 0.05),
        ("conversations_unseen.yaml", 0.77, 0.02),
        # Written as "unseen 3" in the fifth round, measured once (README), then read: a trial set.
        ("messages_trial3.yaml", 0.68, 0.06),
        ("conversations_trial3.yaml", 0.74, 0.03),
        # Traps with the call's words about something else, and real questions beside them
        # (written 1 December 2026, fourth round); only traps_fit.yaml was looked at.
        ("traps_fit.yaml", 0.68, 0.04),
        ("traps_holdout.yaml", 0.65, 0.05),
        # Two short questions per entry in everyday words (ninth round, a probe set that was read):
        # 0.22 at the round's start, 0.335 after the lexicon's everyday words.
        ("everyday_trial.yaml", 0.32, 0.03),
        # English as people write it (ninth round, a probe set that was read): 0.34 at the round's
        # start, 0.47 with the English function words in the lexicon; 19 of its 20 traps rejected.
        # Thirteenth round: one question per question mark, +2 right and a third wrong answer ("what
        # are our chances? how many applied?" gets the entry on several sketches for its second part).
        ("english_trial.yaml", 0.44, 0.04),
        # Ruhrdeutsch and chat German (ninth round, a probe set that was read): 0.706 at the round's
        # start, 0.741 with lexicon words matched without umlauts and lead-ins without commas; 14 of 15 traps rejected.
        ("chat_trial.yaml", 0.72, 0.06),
        # Written as "unseen 9" in the thirteenth round, measured once (0.784, 5.4 % wrong), then read:
        # a probe set. 0.784 / 3.1 % after ", oder …" stopped being a second question and "… da?" points back.
        ("messages_unseen9.yaml", 0.76, 0.04),
    ],
)
def test_unseen_messages_stay_where_they_are(engine, before, name, accuracy, wrong):
    report = evaluate(engine, load_eval_set(DATA / name), before)
    misses = [j.item.question for j in report.misses]
    assert report.accuracy >= accuracy, misses
    assert report.wrong_rate <= wrong, misses
    assert report.rejection >= 0.92, misses


@pytest.mark.parametrize(
    ("name", "accuracy", "wrong", "rejection"),
    [
        # Written after the third round and measured once (README): three of its twelve traps are
        # answered (as they were before that round). Bars at today's figures, not at the targets.
        ("messages_unseen2.yaml", 0.80, 0.06, 0.75),
        ("conversations_unseen2.yaml", 0.90, 0.02, 1.0),
        # Written in the fifth round, answers never looked at (README): two of its 13 traps are answered.
        ("messages_unseen4.yaml", 0.82, 0.02, 0.84),
        ("conversations_unseen4.yaml", 0.80, 0.06, 1.0),  # eighth round: 2 wrong turns of 36 (was 1)
        # Written in the sixth round, answers never looked at (README): one of its 14 traps is
        # answered; the engine of the round's start scored the same.
        ("messages_unseen5.yaml", 0.80, 0.05, 0.92),
        ("conversations_unseen5.yaml", 0.83, 0.07, 1.0),  # eighth round: 2 wrong turns of 32 (was 1)
        # Written in the seventh round, answers never looked at (README): one of its 14 traps is
        # answered, and four follow-up turns get a wrong answer; the round's start scored the same.
        ("messages_unseen6.yaml", 0.80, 0.04, 0.92),  # eighth round: 0.788 → 0.818, 3 wrong (was 2)
        ("conversations_unseen6.yaml", 0.80, 0.11, 0.5),
        # Written in the eighth round after its knowledge change, measured once, answers never looked at
        # (README): one of its 14 traps is answered; the round's start scored one message and one turn more.
        ("messages_unseen7.yaml", 0.84, 0.02, 0.92),
        ("conversations_unseen7.yaml", 0.85, 0.09, 1.0),
        # Ninth round, measured once after the lexicon's everyday words: messages 0.773 / 2.5 % wrong /
        # 14 of 14 traps, conversations 0.824 / 2 wrong turns – the same with the round's start.
        ("messages_unseen8.yaml", 0.75, 0.03, 0.92),
        ("conversations_unseen8.yaml", 0.80, 0.06, 1.0),
        # Written as "unseen 10" in the thirteenth round, measured once (0.784, 6.9 % wrong, 12 of 14
        # traps rejected), then read: a probe set. 0.819 / 5.4 % after two labels were widened.
        ("messages_unseen10.yaml", 0.80, 0.06, 0.85),
        # Thirteenth round, written by a helper from the facts file alone, measured once at the round's
        # end, answers never looked at: 0.793 / 2.3 % wrong / 13 of 14 traps – the round's start the same.
        ("messages_unseen11.yaml", 0.77, 0.03, 0.92),
        # Fourteenth round, written by a helper from the facts file alone, measured once at the round's
        # end: 0.819 / 0.8 % wrong / 14 of 14 traps – the round's start the same; read since (probe 9).
        ("messages_unseen12.yaml", 0.80, 0.02, 0.92),
    ],
)
def test_the_second_unseen_set_stays_where_it_is(engine, before, name, accuracy, wrong, rejection):
    report = evaluate(engine, load_eval_set(DATA / name), before)
    assert report.accuracy >= accuracy
    assert report.wrong_rate <= wrong
    assert report.rejection >= rejection
