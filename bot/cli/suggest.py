"""`foerderbot report suggest`: unanswered clusters as YAML that staff paste, review and check."""

from __future__ import annotations

import re
from datetime import date

import yaml

from bot.engine.spelling import transliterate
from bot.knowledge import TOPICS, KnowledgeBase
from bot.personal import PLACEHOLDERS
from bot.store.report import Report

PLACEHOLDER_ANSWER = "TODO: Antwort schreiben (nur belegte Fakten, Quelle angeben)"
_ONLY_PERSONAL = "# (jedes Beispiel enthält ersetzte persönliche Angaben: Formulierungen selbst schreiben)\n"


def _slug(text: str) -> str:
    """An entry id from a question: its first words in ASCII (the shared transliteration), joined
    by "-"; unlike the engine's folds it also drops punctuation and letters beyond ASCII."""
    words = re.findall(r"[a-z0-9]+", transliterate(text))
    return "-".join(words[:5])[:40].strip("-") or "neu"


def _phrasings(examples: list[str]) -> list[str]:
    """Questions fit to paste: not those where the log replaced a name or a number ("Ich heiße
    [Name], kann ich …?") – a phrasing with "[Name]" in it matches nobody's question."""
    return [q for q in examples if not any(label in q for label in PLACEHOLDERS)]


def suggestions(report: Report, kb: KnowledgeBase, top: int) -> str:
    """New phrasings for an existing entry, or a new entry skeleton, for the top clusters.

    A skeleton's answer is a TODO that `foerderbot kb check` refuses, so nothing half-written
    reaches applicants.
    """
    if not report.unanswered:
        return "# Keine unbeantworteten Fragen im Zeitraum – nichts vorzuschlagen."
    blocks = []
    for cluster in report.unanswered[:top]:
        example = " ".join(cluster.examples[0].split())  # a line break in a comment would start live YAML
        header = f"# {cluster.count}× gefragt, z. B. „{example}“"
        entry = kb.by_id.get(cluster.closest_entry or "")
        if entry is not None and 2 * cluster.disliked > cluster.count:
            hint = f"# Beantwortet mit „{entry.id}“ ({entry.location.file.name}) und mit 👎 bewertet:"
            blocks.append(f"{header}\n{hint}\n# die Antwort prüfen – neue Formulierungen helfen hier nicht.\n")
        elif entry is not None:
            file = entry.location.file.name
            clean = _phrasings(cluster.examples)
            phrasings = yaml.safe_dump(clean, allow_unicode=True, default_flow_style=False) if clean else ""
            indented = "".join(f"    {line}\n" for line in phrasings.splitlines()) or _ONLY_PERSONAL
            hint = f"# Passt zu „{entry.id}“ ({file}): unter questions: einfügen, wenn die Antwort stimmt –"
            blocks.append(f"{header}\n{hint}\n# sonst lieber einen neuen Eintrag anlegen.\n{indented}")
        else:
            skeleton = [
                {
                    "id": f"neu-{_slug(cluster.examples[0])}",
                    "topic": "TODO",
                    "questions": _phrasings(cluster.examples) or ["TODO: Formulierung schreiben"],
                    "answer": PLACEHOLDER_ANSWER,
                    "sources": [{"url": "TODO: Adresse der Quelle", "quote": "TODO: der belegende Satz"}],
                    "reviewed": date.today(),
                }
            ]
            body = yaml.safe_dump(skeleton, allow_unicode=True, sort_keys=False, default_flow_style=False)
            blocks.append(
                f"{header}\n# Neuer Eintrag: topic ({', '.join(TOPICS)}), Antwort und Quelle ergänzen,"
                f" dann foerderbot kb check.\n{body}"
            )
    if report.unknown_words:
        blocks.append(_word_hints(report, top))
    return "\n".join(blocks)


def _word_hints(report: Report, top: int) -> str:
    """Unknown words as comments: whether "Vordrucke" means "Formulare" is for staff to decide."""
    lines = [
        "# Wörter, die die Wissensbasis nicht kennt: Meint eines dasselbe wie ein Wort der Einträge,",
        "# gehört es nach lexicon.yaml (umgangssprache:) oder in eine Gruppe in synonyms.yaml.",
    ]
    for gap in report.unknown_words[:top]:
        example = " ".join(gap.examples[0].split())
        lines.append(f"#   {gap.word} ({gap.count}×), z. B. „{example}“")
    return "\n".join(lines)
