"""Telegram's German wording (Sie-form, short): commands, menus, buttons, notices. The engine's own
reply wording is in bot/engine/wording.py, the terminal chat's in bot/cli/texts.py; facts come from
the knowledge base."""

from __future__ import annotations

# The topics' labels in /themen are with the topics themselves (bot.domain.Topic).

COMMANDS_DE = [
    ("start", "Begrüßung und Überblick"),
    ("check", "Bin ich antragsberechtigt? Kurzer Check"),
    ("themen", "Fragen nach Themen durchsuchen"),
    ("frist", "Bewerbungsfrist und verbleibende Zeit"),
    ("kontakt", "Website und beteiligte Stellen"),
    ("erinnerung", "An die Frist erinnern lassen"),
    ("abmelden", "Erinnerungen abbestellen"),
    ("datenschutz", "Was der Bot speichert"),
    ("meinedaten", "Meine gespeicherten Daten anzeigen"),
    ("vergessen", "Meine Daten löschen"),
    ("hilfe", "So funktioniert der Bot"),
]
COMMANDS_EN = [
    ("start", "Welcome and overview"),
    ("check", "May I apply? A short check"),
    ("themen", "Browse questions by topic"),
    ("frist", "Application deadline and time left"),
    ("kontakt", "Contacts and website"),
    ("erinnerung", "Remind me of the deadline"),
    ("abmelden", "Stop reminders"),
    ("datenschutz", "What the bot stores"),
    ("meinedaten", "Show my stored data"),
    ("vergessen", "Delete my data"),
    ("hilfe", "How the bot works"),
]

WELCOME = "Willkommen beim Förderbot zum Aufruf „{name}“! Stellen Sie Ihre Frage einfach in eigenen Worten."
PRIVACY_LINE = "Datenschutz: Ihre Fragen werden pseudonym gespeichert – alles dazu mit /datenschutz."
PRIVACY = (
    "Datenschutz beim Förderbot zu „{name}“\n\n"
    "Was gespeichert wird:\n"
    "• Ihre Fragen – ohne Ihren Telegram-Namen, Nutzernamen oder Telegram-ID, nur mit einem pseudonymen "
    "Schlüssel; E-Mail-Adressen, Telefonnummern, IBANs, Steuernummern und Namen, mit denen Sie sich "
    "vorstellen oder unterschreiben, werden vorher entfernt. Bitte schreiben Sie sonst keine "
    "persönlichen Daten in Ihre Fragen. Dazu, wie der Bot "
    "geantwortet hat, und Ihre Bewertung (👍/👎).\n"
    "• Nur wenn Sie /erinnerung nutzen: die Chat-ID, damit die Erinnerung Sie erreicht.\n"
    "• Vom Eignungs-Check (/check) nur, wie oft welches Ergebnis an einem Tag erreicht wurde – ohne Bezug zu Ihnen.\n\n"
    "Wozu: um die Antworten zu verbessern und Sie an die Frist zu erinnern.\n"
    "Wie lange: Fragen {days}, danach werden sie automatisch gelöscht; das Abo bis /abmelden.\n"
    "Verantwortlich: {responsible}.\n\n"
    "Ihre Rechte nach der DSGVO: Auskunft mit /meinedaten (Art. 15), Löschung mit /vergessen (Art. 17), "
    "außerdem Berichtigung, Einschränkung, Widerspruch und Beschwerde bei einer Datenschutz-Aufsichtsbehörde."
)
MY_DATA = (
    "Das speichert der Bot über Sie:\n"
    "• {count} im Protokoll (pseudonym, gelöscht nach {days}){questions}\n"
    "• Erinnerungen: {subscription}\n\n"
    "Alles löschen: /vergessen"
)
MY_DATA_PRIVATE_ONLY = (
    "Ihre gespeicherten Daten zeige ich nur im privaten Chat, nicht in der Gruppe. "
    "Schreiben Sie mir dort /meinedaten: https://t.me/{username}"
)
MY_EVENTS = {"up": "👍", "down": "👎", "choice": "Auswahl aus „Meinten Sie …?“"}
"""How /meinedaten names what someone did with an answer."""
MY_SUBSCRIPTION_ACTIVE = "angemeldet seit {since}"
MY_SUBSCRIPTION_NONE = "nicht angemeldet"
FORGET_CONFIRM = "Wirklich alles löschen, was der Bot über Sie gespeichert hat (Fragen, Bewertungen, Erinnerungs-Abo)?"
FORGET_YES = "Ja, alles löschen"
FORGET_NO = "Abbrechen"
FORGOTTEN = "Gelöscht: {questions}, {events}, {subscriptions}. Über Sie ist nichts mehr gespeichert."
FORGET_CANCELLED = "Nichts gelöscht."
HELP_COMMANDS = (
    "Befehle:\n/check – Bin ich antragsberechtigt?\n"
    "/themen – Fragen nach Themen\n/frist – Bewerbungsfrist\n/erinnerung – an die Frist erinnern\n"
    "/abmelden – Erinnerungen abbestellen\n/kontakt – Website und beteiligte Stellen\n"
    "/datenschutz – was gespeichert wird\n/meinedaten – was über Sie gespeichert ist\n"
    "/vergessen – alles über Sie löschen"
)
CHOOSE_TOPIC = "Wählen Sie ein Thema:"
CHOOSE_QUESTION = "{label} – wählen Sie eine Frage:"
BACK = "« Alle Themen"
SHOW_TOPICS = "Themen anzeigen"
SOURCE = "Quelle"
FEEDBACK_UP = "👍 Hilfreich"
FEEDBACK_DOWN = "👎 Nicht hilfreich"
ANSWER_NUMBER = "{number}. Antwort"
FEEDBACK_UP_NTH = f"👍 {ANSWER_NUMBER}"
FEEDBACK_DOWN_NTH = f"👎 {ANSWER_NUMBER}"
FEEDBACK_THANKS = "Danke für Ihre Rückmeldung!"
STALE_BUTTON = "Diese Schaltfläche ist nicht mehr gültig. Bitte stellen Sie Ihre Frage neu."
NOT_YOUR_BUTTON = "Diese Schaltfläche gehört zur Nachricht einer anderen Person."
ONLY_TEXT = "Ich verstehe nur Textnachrichten. Bitte schreiben Sie Ihre Frage."
STORAGE_UNAVAILABLE = (
    "Das ist gerade nicht möglich, weil der Speicher des Bots gestört ist. Bitte versuchen Sie es später "
    "noch einmal – Ihre Fragen beantworte ich weiterhin."
)
FLOODED = "Sie schreiben gerade sehr schnell. Ich antworte in einer Minute wieder."
DEADLINE_LINE = "{label}: {date}"
CONTACT_INTRO = "Website des Aufrufs: {website}\nUnterlagen: {documents}\n\nBeteiligte Stellen:"
STATS_LINE = "{label}: {total} – {answer} beantwortet, {clarify} nachgefragt, {fallback} offen ({rate} Antwortquote)"
UNANSWERED_TITLE = "Unbeantwortete Fragen (Gruppen, dringendste zuerst):"
UNANSWERED_LINE = "{n}. {count}× „{example}“ – nächster Eintrag: {closest}"
NOTHING_UNANSWERED = "Keine unbeantworteten Fragen im Protokoll."
RELOADED = "Wissensbasis neu geladen: {entries}, Version {version}."
RELOAD_FAILED = "Neue Wissensbasis fehlerhaft – der Bot bleibt bei der bisherigen Version.\n{problems}"
CHECK_BUTTON = "Bin ich antragsberechtigt?"
CHECK_QUESTION = "Eignungs-Check · Frage {n}"
CHECK_RESULT = "Eignungs-Check · Ergebnis"
CHECK_BACK = "« zurück"
CHECK_RESTART = "↺ neu beginnen"
NO_CHECK = "Für diesen Aufruf gibt es keinen Eignungs-Check. Stellen Sie Ihre Frage einfach in eigenen Worten."
REMIND_ME = "🔔 An die Frist erinnern"
SUBSCRIBED = "Erledigt: Ich erinnere Sie am {dates} jeweils um {time} Uhr. Abmelden mit /abmelden."
ALREADY_SUBSCRIBED = "Sie sind bereits angemeldet. Nächste Erinnerungen: {dates} um {time} Uhr."
NO_MORE_REMINDERS = "{sentence} Weitere Erinnerungen gibt es nicht."
CALL_CLOSED = "{sentence} Erinnerungen gibt es deshalb keine mehr."
UNSUBSCRIBED = "Sie sind abgemeldet und bekommen keine Erinnerungen mehr."
NOT_SUBSCRIBED = "Sie waren nicht für Erinnerungen angemeldet."
REMINDER = "⏰ Erinnerung – {label}\n{sentence}\nUnterlagen: {documents}\nAbmelden mit /abmelden."
