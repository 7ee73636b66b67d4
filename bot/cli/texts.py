"""The terminal chat's own German wording (`foerderbot chat`); the replies themselves come from the
engine (bot/engine/wording.py), Telegram's wording is in bot/telegram/texts.py."""

from __future__ import annotations

GREETING = "Förderbot – {name}. Fragen Sie einfach; „exit“ oder Strg-D beendet."
YOU = "Sie: "
BOT = "Bot: "
PICK_A_NUMBER = "Bitte eine Nummer von 1 bis {count} eingeben oder neu fragen."
PICK_THE_ONE = "Bitte 1 eingeben oder neu fragen."
PICK_OR_ASK = "(Nummer eingeben oder neu fragen)"
SEE_ALSO = "Siehe auch:"
