"""One German spelling fold in four steps (bot/engine/spelling.py), each built on the weaker."""

from __future__ import annotations

import pytest

from bot.cli.suggest import _slug
from bot.engine.lexicon import is_noun, nouns
from bot.engine.spelling import fold, fold_case, fold_umlauts, transliterate


@pytest.mark.parametrize(
    ("written", "case", "umlauts", "folded", "ascii"),
    [
        ("Straße", "strasse", "strasse", "strasse", "strasse"),
        ("STRASSE", "strasse", "strasse", "strasse", "strasse"),
        ("Förderung", "förderung", "forderung", "forderung", "foerderung"),
        ("Foerderung", "foerderung", "foerderung", "forderung", "foerderung"),
        ("Übergröße", "übergrösse", "ubergrosse", "ubergrosse", "uebergroesse"),
        ("Mauer", "mauer", "mauer", "maur", "mauer"),
    ],
)
def test_each_fold_goes_one_step_further_than_the_one_it_builds_on(written, case, umlauts, folded, ascii):
    assert fold_case(written) == case
    assert fold_umlauts(written) == umlauts
    assert fold(written) == folded
    assert transliterate(written) == ascii


def test_every_spelling_of_a_word_meets_in_the_look_up_fold():
    assert fold("Förderung") == fold("Foerderung") == fold("Forderung") == fold("FÖRDERUNG")
    assert fold_umlauts("Förderung") != fold_umlauts("Foerderung")  # typo distances stay as written


def test_the_noun_list_was_folded_the_same_way():
    assert fold("Förderung") in nouns()
    assert is_noun("Foerderung", nouns()) and is_noun("Bewohnerparkausweis", nouns())


def test_an_entry_id_is_the_transliteration_without_punctuation():
    assert _slug("Gibt es Förderung für Übergrößen-Läden?") == "gibt-es-foerderung-fuer-uebergroessen"
    assert _slug("¿?") == "neu"
