"""What the engine itself says, whichever front end shows it: the clarify prompt, the fallback
(German, and English for English questions), the note before a German answer to an English
question, that the call has closed, and whether a place lies in the call's region. Facts come from
the knowledge base; the front ends keep their own wording (bot/telegram/texts.py for Telegram,
bot/cli/texts.py for the terminal chat).
"""

from __future__ import annotations

CLARIFY = "Meinten Sie …?"
CALL_CLOSED = "Der Aufruf ist geschlossen. {sentence}"
PLACES_INSIDE = "{places} {belong} zum Gebiet des Aufrufs ({region})."
PLACES_OUTSIDE = "{places} {belong} nicht zum Gebiet des Aufrufs ({region})."
PLACES_BOTH = "{inside} {belong} zum Gebiet des Aufrufs ({region}), {outside} nicht."
FALLBACK = (
    "Dazu habe ich leider keine verlässliche Antwort. "
    "Verbindlich sind die offiziellen Unterlagen unter {documents}. "
    "Beteiligte Stellen: {contacts}."
)
NOTHING_ASKED = (
    "Stellen Sie mir gern eine Frage zum Aufruf „{call}“ – zum Beispiel: Wer darf sich bewerben? "
    "Die offiziellen Unterlagen finden Sie unter {documents}."
)
"""For a message without a letter or digit ("🙏🙏🙏"): nothing was asked that the bot could not answer."""
OTHER_PROGRAMME = "Ich kenne nur den Aufruf „{call}“ – zu anderen Förderprogrammen kann ich nichts sagen."
OTHER_SUBJECT = "Ich beantworte nur Fragen zum Aufruf „{call}“ – dazu kann ich nichts sagen."
ENGLISH_NOTE = "I answer in German only – here is what the knowledge base says:"
ENGLISH_FALLBACK = (
    "Sorry, I can only answer questions about {call} in German, and I have no reliable answer to this one. "
    "The official documents are at {documents}."
)
