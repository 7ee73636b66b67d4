"""Rebuild bot/engine/data/nouns.txt.xz from the german-nouns package (Wiktionary, CC BY-SA 4.0).

The bot needs only the folded word forms, not the package with its parser dependencies, so the
list is vendored. Run when german-nouns publishes new data (see README, „Wortliste“):

    pip install german-nouns && python scripts/update_nouns.py
"""

from __future__ import annotations

import lzma

from german_nouns.config import PACKAGE_PATH

from bot.engine.lexicon import NOUNS_FILE
from bot.engine.spelling import fold


def main() -> None:
    with PACKAGE_PATH.joinpath("index.txt").open(encoding="utf-8") as index:
        forms = {fold(line.split("\t", 1)[0]) for line in index if not line.startswith("-")}
    forms.discard("")
    NOUNS_FILE.write_bytes(lzma.compress("\n".join(sorted(forms)).encode("utf-8"), preset=9))
    print(f"{len(forms)} Wortformen nach {NOUNS_FILE} geschrieben")


if __name__ == "__main__":
    main()
