"""Read and validate a knowledge folder (call.yaml, synonyms.yaml, lexicon.yaml, off_topic.yaml, entries/*.yaml)."""

from __future__ import annotations

import hashlib
import re
from datetime import date, time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain import TOPICS_WITHOUT_SOURCE, Topic
from bot.german import counted
from bot.knowledge.checktree import read_check
from bot.knowledge.lexicon import read_lexicon
from bot.knowledge.model import (
    TOPICS,
    Call,
    Contact,
    Deadline,
    Entry,
    Event,
    KnowledgeBase,
    Location,
    Places,
    Question,
    ReminderSchedule,
    Source,
    Variant,
)
from bot.knowledge.offtopic import read_off_topic
from bot.knowledge.phases import coverage_problems, resolve
from bot.knowledge.placeholders import DEADLINE_PLACEHOLDERS, PLACEHOLDER
from bot.knowledge.problems import KnowledgeError, Problem, Severity
from bot.knowledge.provenance import dated_problems, entry_problems
from bot.knowledge.reader import ID, FileReader, line_holding, mappings, read_mapping, source_lines
from bot.knowledge.yamlsource import LocatedDict, LocatedList

CALL_FILE = "call.yaml"
SYNONYMS_FILE = "synonyms.yaml"
ENTRIES_DIR = "entries"
MIN_QUESTIONS = 6
REVIEW_MAX_AGE_DAYS = 365
REVIEW_FUTURE_DAYS = 31
"""A review date further ahead than this is a typo ("2062" for "2026"), not a clock a few days off."""
LONG_ANSWER = 4096
"""Telegram's limit for one message: a longer answer arrives split into several."""


def _read_call(root: Path, problems: list[Problem]) -> Call | None:
    path = root / CALL_FILE
    data = read_mapping(path, problems)
    if data is None:
        return None
    reader = FileReader(path, problems)
    if not isinstance(data, LocatedDict):
        reader.error(1, "call.yaml muss Schlüssel wie „name:“ und „deadlines:“ enthalten")
        return None
    name = reader.text(data, "name")
    short_name = reader.text(data, "short_name", required=False) or name
    region = reader.text(data, "region")
    website = reader.text(data, "website")
    documents_url = reader.text(data, "documents_url", required=False) or website
    responsible = reader.text(data, "responsible")
    tz_name = reader.text(data, "timezone") or "Europe/Berlin"
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        reader.error(data.line_of("timezone"), f"unbekannte Zeitzone „{tz_name}“, z. B. Europe/Berlin")
        tz = ZoneInfo("Europe/Berlin")

    contacts = []
    for item, _line in mappings(reader, data, "contacts"):
        contact_name, role = reader.text(item, "name"), reader.text(item, "role")
        if contact_name and role:
            contacts.append(Contact(contact_name, role, reader.text(item, "url", required=False)))

    deadlines = []
    listed = mappings(reader, data, "deadlines")
    for item, _line in listed:
        deadline_id, label, day = reader.text(item, "id"), reader.text(item, "label"), reader.day(item, "date")
        if deadline_id and label and day:
            sources = _read_sources(reader, item)
            problems.extend(dated_problems("Frist", deadline_id, day, sources, reader.at(item.line)))
            deadlines.append(Deadline(deadline_id, label, day, reader.clock(item, "time"), tz, sources))
    if not listed:  # a listed but broken deadline has its own error, at its own line
        reader.error(data.line, "„deadlines“ braucht mindestens eine Frist mit id, label und date")
    events = _read_events(reader, data, tz, {d.id for d in deadlines})

    reminders = _read_reminders(reader, data)
    places = _read_places(reader, data)
    if None in (name, region, website, responsible) or not deadlines or reminders is None:
        return None
    return Call(
        name=name,
        short_name=short_name,
        region=region,
        website=website,
        documents_url=documents_url,
        tz=tz,
        contacts=tuple(contacts),
        deadlines=tuple(deadlines),
        reminders=reminders,
        responsible=responsible,
        events=events,
        places=places,
    )


def _read_events(reader: FileReader, data: LocatedDict, tz: ZoneInfo, taken: set[str]) -> tuple[Event, ...]:
    """Dated happenings answers may change at (`from:`/`until:` in an answer variant)."""
    events = []
    for item, _line in mappings(reader, data, "events"):
        event_id, label, day = reader.text(item, "id"), reader.text(item, "label"), reader.day(item, "date")
        if event_id in taken:
            reader.error(item.line_of("id"), f"id „{event_id}“ gibt es in call.yaml schon: eine neue id wählen")
        elif event_id and label and day:
            taken.add(event_id)
            sources = _read_sources(reader, item)
            reader.problems.extend(dated_problems("Ereignis", event_id, day, sources, reader.at(item.line)))
            events.append(Event(event_id, label, day, reader.clock(item, "time"), tz, sources))
    return tuple(events)


_PLACES_KEYS = ("inside", "outside", "sources")


def _read_places(reader: FileReader, data: LocatedDict) -> Places | None:
    """`places: {inside: [...], outside: [...], sources: [...]}`: optional; a place in both lists
    or without a source would tell applicants something wrong or unsourced."""
    section = data.get("places")
    if section is None:
        return None
    if not isinstance(section, LocatedDict):
        reader.error(data.line_of("places"), "„places“ braucht „inside:“, „outside:“ und „sources:“")
        return None
    for key in section:
        if key not in _PLACES_KEYS:
            reader.error(
                section.line_of(key), f"unbekannter Schlüssel „{key}“ in „places“; erlaubt: {', '.join(_PLACES_KEYS)}"
            )
    seen: dict[str, str] = {}
    lists: dict[str, list[str]] = {}
    for key in ("inside", "outside"):
        lists[key] = []
        for name, line in reader.texts(section, key):
            other = seen.get(name.casefold())
            if other == key:
                reader.warn(line, f"„{name}“ steht zweimal in „{key}“")
            elif other:
                reader.error(
                    line, f"„{name}“ steht in „inside“ und in „outside“: ein Ort liegt in der Region oder nicht"
                )
            else:
                seen[name.casefold()] = key
                lists[key].append(name)
    if not lists["inside"]:
        reader.error(section.line, "„places“ braucht „inside:“ – die Orte der Region, als Liste")
    sources = _read_sources(reader, section)
    if not sources:
        reader.error(section.line, "„places“ braucht „sources:“ – woher steht fest, welche Orte dazugehören?")
    if not lists["inside"] or not sources:
        return None
    return Places(tuple(lists["inside"]), tuple(lists["outside"]), sources)


def _read_sources(reader: FileReader, data: LocatedDict) -> tuple[Source, ...]:
    """`sources: [{url, quote, quote_kind}]`; an old single `source: url` counts as a source without quote."""
    if "sources" not in data and isinstance(data.get("source"), str):
        if "TODO" in data["source"]:
            reader.error(
                data.line_of("source"), "„source“ ist noch ein Platzhalter (TODO): Adresse der Quelle eintragen"
            )
        return (Source(data["source"].strip(), (), False, reader.at(data.line_of("source"))),)
    sources = []
    for item, line in mappings(reader, data, "sources"):
        url = reader.text(item, "url")
        if url and "TODO" in url:  # left over from a `report suggest` draft: it would reach applicants
            reader.error(item.line_of("url"), "„url“ ist noch ein Platzhalter (TODO): Adresse der Quelle eintragen")
        elif url and not url.startswith(("http://", "https://")):
            reader.warn(item.line_of("url"), "„url“ sollte eine Adresse (http…) sein")
        kind = item.get("quote_kind", "wörtlich")
        if kind not in ("wörtlich", "summary"):
            reader.error(item.line_of("quote_kind"), "„quote_kind“ ist „wörtlich“ (Standard) oder „summary“")
        quoted = reader.texts(item, "quote")
        for text, quote_line in quoted:
            if "TODO" in text:
                reader.error(
                    quote_line, "„quote“ ist noch ein Platzhalter (TODO): den belegenden Satz der Quelle eintragen"
                )
        quotes = tuple(text for text, _ in quoted)
        for key in item:
            if key not in ("url", "quote", "quote_kind"):
                message = f"unbekannter Schlüssel „{key}“ in „sources“; erlaubt: url, quote, quote_kind"
                reader.error(item.line_of(key), message)
        if url:
            sources.append(Source(url, quotes, kind == "summary", reader.at(line)))
    return tuple(sources)


def _read_reminders(reader: FileReader, data: LocatedDict) -> ReminderSchedule | None:
    section = data.get("reminders")
    if section is None:
        return ReminderSchedule(days_before=(14, 7, 1, 0), at=time(9, 0))
    if not isinstance(section, LocatedDict):
        reader.error(data.line_of("reminders"), "„reminders“ braucht „days_before:“ und „time:“")
        return None
    days = section.get("days_before", [14, 7, 1, 0])
    if not isinstance(days, list) or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in days):
        reader.error(
            section.line_of("days_before"), "„days_before“ muss eine Liste ganzer Zahlen ≥ 0 sein, z. B. [14, 7, 1, 0]"
        )
        return None
    return ReminderSchedule(tuple(sorted(set(days), reverse=True)), reader.clock(section, "time") or time(9, 0))


def _read_synonyms(root: Path, problems: list[Problem]) -> list[tuple[str, ...]]:
    path = root / SYNONYMS_FILE
    if not path.exists():
        return []
    data = read_mapping(path, problems)
    reader = FileReader(path, problems)
    if data is None:
        return []
    if not isinstance(data, LocatedList):
        reader.error(1, "synonyms.yaml muss eine Liste von Gruppen sein: - [Frist, Stichtag, Deadline]")
        return []
    groups = []
    for index, group in enumerate(data):
        words = [str(w).strip() for w in group] if isinstance(group, list) else []
        if isinstance(group, str) and "," in group:  # "- Kosten, Ausgaben" without brackets
            reader.error(data.line_of(index), "die Wörter einer Gruppe in eckige Klammern setzen: - [Kosten, Ausgaben]")
            continue
        if isinstance(group, dict):  # "- Eigenanteil: Eigenmittel"
            reader.error(data.line_of(index), "eine Gruppe hat keinen Doppelpunkt: - [Eigenanteil, Eigenmittel]")
            continue
        if len(words) < 2 or not all(words):
            reader.error(data.line_of(index), "eine Synonymgruppe braucht mindestens zwei Wörter: - [Frist, Stichtag]")
            continue
        groups.append(tuple(words))
    return groups


def _read_entries(
    root: Path, problems: list[Problem], today: date, call: Call | None
) -> tuple[list[Entry], bool, set[str]]:
    """The entries, whether every file could be read (else links cannot be checked), and the ids
    of entries that have errors themselves (links to them are not errors of their own)."""
    folder = root / ENTRIES_DIR
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    if not files:
        problems.append(
            Problem(Severity.ERROR, Location(folder, None), "keine Einträge gefunden: Dateien entries/*.yaml anlegen")
        )
    entries = []
    complete = True
    broken: set[str] = set()
    for path in files:
        data = read_mapping(path, problems)
        reader = FileReader(path, problems)
        if data is not None and not isinstance(data, LocatedList):
            reader.error(1, "die Datei muss eine Liste von Einträgen sein, jeder beginnt mit „- id: …“")
        if not isinstance(data, LocatedList):
            complete = False
            continue
        for index, item in enumerate(data):
            if not isinstance(item, LocatedDict):
                reader.error(
                    data.line_of(index), "ein Eintrag muss aus Schlüsseln bestehen (id:, topic:, questions:, answer:)"
                )
                continue
            entry = _read_entry(reader, item, today, call)
            if entry:
                entries.append(entry)
            elif isinstance(item.get("id"), str):
                broken.add(item["id"].strip())
    return entries, complete, broken


_ENTRY_KEYS = {"id", "topic", "questions", "answer", "sources", "source", "reviewed", "keywords", "related"}


def _read_entry(reader: FileReader, item: LocatedDict, today: date, call: Call | None) -> Entry | None:
    for key in item:
        if key not in _ENTRY_KEYS:
            reader.error(item.line_of(key), f"unbekannter Schlüssel „{key}“; erlaubt: {', '.join(sorted(_ENTRY_KEYS))}")
    entry_id = reader.text(item, "id")
    if entry_id and not ID.match(entry_id):
        reader.error(
            item.line_of("id"), f"id „{entry_id}“: höchstens 48 Zeichen, nur Kleinbuchstaben, Ziffern und Bindestriche"
        )
    topic = reader.text(item, "topic")
    if topic and topic not in TOPICS:
        reader.error(item.line_of("topic"), f"unbekanntes topic „{topic}“; erlaubt: {', '.join(TOPICS)}")
    questions = [Question(text, reader.at(line)) for text, line in reader.texts(item, "questions")]
    for question in questions:
        if "TODO" in question.text:
            reader.error(question.location.line, "die Formulierung ist noch ein Platzhalter (TODO): Frage schreiben")
    if not questions:
        reader.error(item.line, "„questions“ fehlt: die kanonische Frage zuerst, dann weitere Formulierungen")
    elif len(questions) < MIN_QUESTIONS:
        reader.warn(
            item.line_of("questions"),
            f"nur {counted(len(questions), 'Formulierung', 'Formulierungen')}; "
            f"mindestens {MIN_QUESTIONS} helfen dem Bot",
        )
    variants = _read_variants(reader, item, call)
    for variant in variants:
        reader.placeholders(variant.location.line, variant.text)
        if "TODO" in variant.text:
            at = reader.line_holding(variant.location.line, "TODO", variant.text)
            reader.error(at, "die Antwort ist noch ein Platzhalter (TODO): Antwort schreiben")
        if len(variant.text) > LONG_ANSWER:
            reader.warn(
                variant.location.line,
                f"die Antwort hat {len(variant.text)} Zeichen; Telegram teilt ab {LONG_ANSWER}: kürzen",
            )
    sources = _read_sources(reader, item)
    if not sources and not any(v.sources for v in variants) and topic not in TOPICS_WITHOUT_SOURCE:
        reader.warn(item.line, "„sources“ fehlt: je Quelle url und quote (den belegenden Satz) angeben")
    reviewed = reader.day(item, "reviewed", required=False)
    if reviewed is None and "reviewed" not in item:
        reader.warn(item.line, "„reviewed“ fehlt: Datum der letzten Prüfung angeben (JJJJ-MM-TT)")
    elif reviewed and (reviewed - today).days > REVIEW_FUTURE_DAYS:
        reader.warn(
            item.line_of("reviewed"), f"„reviewed: {reviewed.isoformat()}“ liegt in der Zukunft: Tippfehler im Jahr?"
        )
    elif reviewed and (today - reviewed).days > REVIEW_MAX_AGE_DAYS:
        reader.warn(
            item.line_of("reviewed"), f"zuletzt geprüft am {reviewed.isoformat()}, vor über einem Jahr: bitte prüfen"
        )
    if not (entry_id and topic in TOPICS and questions and variants):
        return None
    return Entry(
        id=entry_id,
        topic=Topic(topic),
        questions=tuple(questions),
        variants=variants,
        sources=sources,
        reviewed=reviewed,
        keywords=tuple(text for text, _ in reader.texts(item, "keywords")),
        related=tuple(text for text, _ in reader.texts(item, "related")),
        location=reader.at(item.line),
    )


def _read_variants(reader: FileReader, item: LocatedDict, call: Call | None) -> tuple[Variant, ...]:
    """`answer: text`, or a list of `{text, from, until}` that together cover all time exactly once."""
    value = item.get("answer")
    if not isinstance(value, LocatedList):
        text = reader.text(item, "answer")
        return (Variant(text, None, None, reader.at(item.line_of("answer"))),) if text else ()
    variants, unread = [], []
    for variant_item, line in mappings(reader, item, "answer"):
        text = reader.text(variant_item, "text")
        for key in variant_item:
            if key not in ("text", "from", "until", "sources"):
                message = f"unbekannter Schlüssel „{key}“; erlaubt: text, from, until, sources"
                reader.error(variant_item.line_of(key), message)
        bounds, named_nothing = [], False
        for key in ("from", "until"):
            raw = variant_item.get(key)
            bound = resolve(raw, call) if raw is not None and call is not None else None
            if isinstance(bound, str):
                reader.error(variant_item.line_of(key), f"„{key}“: {bound}")
                bound = None
            named_nothing |= raw is not None and bound is None  # an unknown name, or call.yaml broken
            bounds.append(bound)
        if text:
            variants.append(Variant(text, bounds[0], bounds[1], reader.at(line), _read_sources(reader, variant_item)))
            if named_nothing:
                unread.append(variants[-1])
    if not variants:
        reader.error(item.line_of("answer"), "„answer“ braucht Text oder eine Liste von Varianten mit „text:“")
    reader.problems.extend(coverage_problems(variants, unread))
    return tuple(variants)


def _cross_check(
    entries: list[Entry], call: Call | None, problems: list[Problem], *, all_read: bool, broken: set[str]
) -> None:
    """Problems that only show across entries: duplicate ids, phrasings, dangling links."""
    seen_ids: dict[str, Entry] = {}
    seen_questions: dict[str, tuple[Entry, Question]] = {}
    deadline_ids = {d.id for d in call.deadlines} if call else set()
    for entry in entries:
        if entry.id in seen_ids:
            first = seen_ids[entry.id]
            problems.append(
                Problem(
                    Severity.ERROR,
                    entry.location,
                    f"id „{entry.id}“ gibt es schon ({first.location}): eine neue id wählen",
                )
            )
        seen_ids.setdefault(entry.id, entry)
        for question in entry.questions:
            key = " ".join(re.findall(r"\w+", question.text.casefold()))
            if key in seen_questions:
                other, first_q = seen_questions[key]
                where = "im selben Eintrag" if other is entry else f"in „{other.id}“"
                problems.append(
                    Problem(
                        Severity.WARNING,
                        question.location,
                        f"Formulierung „{question.text}“ steht schon {where} ({first_q.location})",
                    )
                )
            else:
                seen_questions[key] = (entry, question)
        problems.extend(_unknown_deadline_references(entry, deadline_ids))
        if call is not None:
            problems.extend(entry_problems(entry, call))
    for entry in entries if all_read else ():
        for related in entry.related:
            if related not in seen_ids and related not in broken:
                problems.append(Problem(Severity.ERROR, entry.location, f"„related“ nennt unbekannte id „{related}“"))
        if entry.id in entry.related or len(set(entry.related)) < len(entry.related):
            message = "„related“ nennt den Eintrag selbst oder eine id doppelt: jede andere id einmal"
            problems.append(Problem(Severity.WARNING, entry.location, message))


def _unknown_deadline_references(entry: Entry, deadline_ids: set[str]) -> list[Problem]:
    found = []
    for variant in entry.variants:
        for match in PLACEHOLDER.finditer(variant.text):
            name, argument = match.group(1), match.group(2)
            if argument and name in DEADLINE_PLACEHOLDERS and argument not in deadline_ids:
                known = ", ".join(sorted(deadline_ids))
                message = f"„{match.group(0)}“ nennt eine unbekannte Frist; bekannt: {known}"
                where = variant.location
                line = line_holding(
                    source_lines(where.file), where.line or 0, match.group(0), variant.text, match.start()
                )
                found.append(Problem(Severity.ERROR, Location(where.file, line or None), message))
    return found


def _version(root: Path) -> str:
    """A short content hash: logs record which knowledge answered."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.y*ml")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def read_knowledge(root: Path, today: date | None = None) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Everything wrong with the folder, and the knowledge base if it has no errors."""
    root = Path(root)
    problems: list[Problem] = []
    if not root.is_dir():
        folder = next((p for p in root.parents if (p / "call.yaml").is_file()), None)
        message = "Wissensordner nicht gefunden"
        if root.is_file():
            message = "eine Datei, kein Ordner: den Wissensordner angeben" + (f" ({folder})" if folder else "")
        problems.append(Problem(Severity.ERROR, Location(root, None), message))
        return None, problems
    call = _read_call(root, problems)
    synonyms = _read_synonyms(root, problems)
    lexicon = read_lexicon(root, problems)
    off_topic = read_off_topic(root, problems)
    entries, all_read, broken = _read_entries(root, problems, today or date.today(), call)
    _cross_check(entries, call, problems, all_read=all_read, broken=broken)
    deadline_ids = {d.id for d in call.deadlines} if call else set()
    check = read_check(root, problems, {e.id for e in entries} if all_read else None, deadline_ids)
    if call is None or any(p.severity is Severity.ERROR for p in problems):
        return None, problems
    kb = KnowledgeBase(
        root=root,
        call=call,
        entries=tuple(entries),
        synonyms=tuple(synonyms),
        version=_version(root),
        lexicon=lexicon,
        check=check,
        off_topic=off_topic,
    )
    return kb, problems


def load_knowledge(root: Path, today: date | None = None) -> KnowledgeBase:
    """The knowledge base, or KnowledgeError listing every error (warnings are ignored)."""
    kb, problems = read_knowledge(root, today)
    if kb is None:
        raise KnowledgeError(problems)
    return kb
