"""Numbers and plurals in German, shared by every layer."""

from bot.german import counted


def test_counts_take_the_german_plural_and_number_format():
    """ "1 Fragen im Protokoll" in /meinedaten was wrong German; Babel's plural rules decide."""
    counts = [counted(n, "Frage", "Fragen") for n in (0, 1, 2, 1500)]
    assert counts == ["0 Fragen", "1 Frage", "2 Fragen", "1.500 Fragen"]
