"""German normalisation: the same question typed many ways should become the same terms.

Steps per word: casefold and ß folding, Snowball stemming (which also folds umlauts and
ae/oe/ue), domain synonyms, compound splitting into known words ("Bewerbungsfrist" →
Bewerbung + Frist) and typo correction against the knowledge base's own vocabulary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import NamedTuple

import Stemmer
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from bot.engine import lexicon
from bot.engine.spelling import fold, fold_case, fold_umlauts

_WORD = re.compile(r"[^\W_]+")
_MONTH = "|".join(sorted(lexicon.MONTHS, key=len, reverse=True))
_DATE = re.compile(
    rf"\b\d{{1,2}}\.\s?(?:\d{{1,2}}\.(?:\d{{4}}|\d{{2}})?|(?:{_MONTH})\b\.?)(?:\s?\d{{4}})?", re.IGNORECASE
)
"""A date ("17. Februar 2017", "17.02.", "17.2.2017") says when, not what about: its day number is no
unknown word ("Ist die Frist am 17. Februar?" fell back). A month name alone is a stopword (lexicon.py);
other numbers stay words ("Können wir 3 Skizzen einreichen?", "30 Millionen")."""
_SENTENCE_ENDS = ".!?"
_TOKEN = re.compile(r"[^\W_]+|[.!?]")
"""Words and sentence ends, for telling a capitalised noun from a sentence's first word."""
# Question words carry intent ("wann" → deadline), so they are never treated as stopwords.
INTERROGATIVES = frozenset(
    {
        "wann",
        "wer",
        "wen",
        "wem",
        "wie",
        "was",
        "wo",
        "welch",
        "warum",
        "wieso",
        "weshalb",
        "wieviel",
        "woher",
        "wohin",
        "wozu",
    }
)
_FUGEN = ("s", "es", "n", "en")
_MIN_PART = 5
_MIN_COMPOUND = 8
_LONGEST_WORD = 60
"""Longer "words" ("xxxx…", a pasted hash) are taken as they are: splitting and correcting them
costs time that grows with the cube of their length (4,096 letters: 6 s)."""
_MIN_UNKNOWN_TAIL = 4
_MIN_CORRECTABLE = 6
_MIN_SURFACE = 5
_VERB_ENDINGS = ("est", "et", "st", "t")
_MIN_VERB_STEM = 4
_TWO_TYPOS = 10
_PARTICLES = frozenset(
    {
        "ab", "an", "auf", "aus", "bei", "ein", "fest", "her", "hin", "los", "mit", "nach", "vor", "vorbei",
        "weiter", "zu", "zurück", "zusammen",
    }
)  # fmt: skip
"""Particles of German separable verbs: "Wer wählt die Projekte aus?" means "auswählen"."""
_CLAUSE = re.compile(r"[^,.;:!?]+")
_HOW_MANY = re.compile(r"\bwie\s*viele[nm]?\b", re.I)
_HOW_MUCH = re.compile(r"\bwie\s*viel\b", re.I)
""""Wie viel" asks for an amount, "wie viele" for a count; the stemmer would make both "viel",
a stopword, and lose the question. Replaced in lower case: a capital would make an all-lower-case
message look hand-capitalised."""


class Term(NamedTuple):
    """A normalised term, how sure we are of it, whether it was written like a noun, whether it
    names where something is ("in Marl"), and whether the question asks for it ("für die Polizei")."""

    text: str
    confidence: float = 1.0
    noun: bool = False
    place: bool = False
    target: bool = False


_MIN_LOWER_NOUN = 10
"""In lower case only a long word of the noun lexicon counts as a noun (a compound: "steuererklarung")."""
LOCATIVE = frozenset(["in", "aus", "nach", "von", "ausm", "aussem", "stadt", "kreis", "gemeinde"])
"""Words that place a noun right after them: "in Marl", "aus Bottrop", "die Stadt Bottrop"."""


_PURPOSE = frozenset(["für", "fur", "fuer", "fürs", "furs", "bei", "beim"])
"""A noun after "für" or "bei" names what the question is for or about: "die Bewerbungsfrist für die
Polizei", "meine Daten bei WhatsApp", "die Antragsfrist beim EXIST-Gründerstipendium"."""
_DETERMINERS = frozenset(
    ["der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer",
     "mein", "meine", "meinen", "meinem", "unser", "unsere", "unseren", "unserem", "dein", "deine"]
)  # fmt: skip
_GENITIVE = frozenset(["des", "eines", "meines", "unseres", "deines", "ihres", "seines"])
"""Determiners of a genitive attribute after a noun: "die Verlängerung *meines* Führerscheins"."""
_SENTENCE_END = re.compile(r"[.!?:;]\s+")


def _targets(text: str, raw: list[str], nouns: list[bool]) -> list[bool]:
    """Which words are a noun after "für" or "bei" (an article between allowed) in the last sentence:
    the question. "… ein Start-up für Drohnen. Gibt es …?" tells about the writer, not what is asked."""
    asked_from = len(raw) - len(words(_SENTENCE_END.split(text.strip())[-1]))

    def after_purpose(i: int) -> bool:
        before = raw[i - 1] if i > 0 else ""
        return before in _PURPOSE or (before in _DETERMINERS and i > 1 and raw[i - 2] in _PURPOSE)

    targets: list[bool] = []
    for i in range(len(raw)):
        # "die Frist für die Verlängerung meines Führerscheins": what it is for includes whose
        attribute = i > 1 and raw[i - 1] in _GENITIVE and targets[i - 2]
        targets.append(nouns[i] and i >= asked_from and (after_purpose(i) or attribute))
    return targets


def _written_words(text: str, nouns: frozenset[str]) -> tuple[list[str], list[bool], list[bool]]:
    """The words of `text` (as `words` gives them), which are probably nouns, and which name a
    place (a noun right after "in", "aus" …), from one pass.

    German capitalises nouns, so a capitalised word that does not open a sentence is one. A
    message typed all in lower case gives no such evidence, and the noun lexicon lists nearly
    every word ("schreiben", "essen", "sommer"): taking them all for unknown nouns made lower-case
    chat questions look off-topic. There, only a long word of the lexicon (a compound:
    "steuererklarung") counts as a noun, and the lexicon tells which word after "in" is a place.
    """
    if not any(c.isupper() for c in text):
        raw = words(text)
        places = [i > 0 and raw[i - 1] in LOCATIVE and lexicon.is_noun(word, nouns) for i, word in enumerate(raw)]
        return raw, [len(word) >= _MIN_LOWER_NOUN and lexicon.is_noun(word, nouns) for word in raw], places
    raw, flags, places = [], [], []
    sentence_start = True
    for match in _TOKEN.finditer(unicodedata.normalize("NFKC", text)):
        token = match.group(0)
        if token in _SENTENCE_ENDS:
            sentence_start = True
            continue
        capitalised = token[0].isupper() and not sentence_start and not token.isupper()
        for word in _WORD.findall(fold_case(token)):  # casefolding may cut a word ("İ" → "i̇")
            raw.append(word)
            flags.append(capitalised)
            places.append(capitalised and len(raw) > 1 and raw[-2] in LOCATIVE)
        sentence_start = False
    return raw, flags, places


def _allowed_edits(word: str) -> int:
    return 1 if len(word) < _TWO_TYPOS else 2


def _confidence(edits: int) -> float:
    return 1.0 - 0.15 * edits


def words(text: str) -> list[str]:
    """Casefolded words; hyphenated words come apart, punctuation and emoji vanish."""
    text = fold_case(unicodedata.normalize("NFKC", text))
    return _WORD.findall(text)


def written_words(text: str) -> list[str]:
    """The words as written, case kept: what a person reads back in a report."""
    return _WORD.findall(unicodedata.normalize("NFKC", text))


class Normalizer:
    """Turns text into weighted-matchable terms; built once per knowledge base."""

    def __init__(
        self,
        synonym_groups: Iterable[Iterable[str]],
        vocabulary_texts: Iterable[str],
        nouns: frozenset[str] | None = None,
    ) -> None:
        self._stemmer = Stemmer.Stemmer("german")
        self._nouns = lexicon.nouns() if nouns is None else nouns
        self.stopwords = self._stopwords()
        self.synonyms, self.conflicts = self._synonym_table(synonym_groups)
        self._phrase_lengths = sorted({len(k) for k in self.synonyms if len(k) > 1}, reverse=True)
        texts = list(vocabulary_texts)
        self.vocabulary = self._vocabulary(texts)
        self._surface = self._surface_forms(texts)
        self._surface_words = sorted(self._surface)
        self._correctable = self._correctable_terms()
        self._resolve = lru_cache(maxsize=65536)(self._resolve_word)

    def _stopwords(self) -> frozenset[str]:
        """Stems of the stopword list, except question words: they carry intent."""
        stopwords = {self._stem(w) for w in lexicon.stopwords()}
        return frozenset(stopwords - {self._stem(w) for w in INTERROGATIVES})

    def _synonym_table(
        self, synonym_groups: Iterable[Iterable[str]]
    ) -> tuple[dict[tuple[str, ...], str], list[tuple[str, int, int]]]:
        """Each variant's stems → its group's canonical term (the stem of the group's first word),
        and the variants two groups claim, also by their stems ("Antrag" / "Anträgen"): (variant,
        number of the first group, number of the second)."""
        synonyms: dict[tuple[str, ...], str] = {}
        owners: dict[tuple[str, ...], int] = {}
        conflicts: list[tuple[str, int, int]] = []
        for number, group in enumerate(synonym_groups):
            group = list(group)
            canonical = self._stems(group[0])[0]
            for variant in group:
                key = tuple(self._stems(variant))
                previous = synonyms.setdefault(key, canonical)
                owners.setdefault(key, number)
                if previous != canonical:
                    conflicts.append((variant, owners[key], number))
        return synonyms, conflicts

    def _vocabulary(self, texts: list[str]) -> frozenset[str]:
        """The terms of the knowledge base's texts as written: stems and synonyms, no compound
        splitting or typo correction (those look words up in this very vocabulary)."""
        terms = {
            canonical or self.synonyms.get((stems[i],)) or stems[i]
            for stems in (self._stems(text) for text in texts)
            for i, canonical in self._phrases(stems)
        }
        return frozenset(terms) | frozenset(self.synonyms.values())

    def _surface_forms(self, texts: list[str]) -> dict[str, tuple[Term, ...]]:
        """The knowledge base's content words as written (umlauts folded) → their terms: typos
        are looked up here first, by the written word."""
        return {
            fold_umlauts(word): self._resolve_word(word, correct=False)
            for text in texts
            for word in words(text)
            if len(word) >= _MIN_SURFACE and word.isalpha() and self._stem(word) not in self.stopwords
        }

    def _correctable_terms(self) -> list[str]:
        """Terms a typo's stem may be corrected to: the vocabulary and one-word synonym variants."""
        single_word_variants = {key[0] for key in self.synonyms if len(key) == 1}
        return sorted(
            t
            for t in self.vocabulary | single_word_variants
            if len(t) >= _MIN_PART and t not in self.stopwords and t.isalpha()
        )

    def _stem(self, word: str) -> str:
        return self._stemmer.stemWord(fold_case(word))

    def _stems(self, text: str) -> list[str]:
        return [self._stem(w) for w in words(text)]

    def is_stopword(self, term: str) -> bool:
        return term in self.stopwords

    def terms(self, text: str) -> list[Term]:
        """The terms of a question or phrasing, typo-corrected against the vocabulary."""
        return self._terms(text, correct=True)

    def _terms(self, text: str, *, correct: bool) -> list[Term]:
        text = _HOW_MUCH.sub("wieviel", _HOW_MANY.sub("anzahl", _DATE.sub(" ", text)))
        text = _CLAUSE.sub(lambda clause: self._join_particle(clause.group(0)), text)
        raw, nouns, places = _written_words(text, self._nouns)
        targets = _targets(text, raw, nouns)
        result: list[Term] = []
        for i, canonical in self._phrases([self._stem(w) for w in raw]):
            if canonical:
                result.append(Term(canonical))
                continue
            resolved = self._resolve(raw[i]) if correct else self._resolve_word(raw[i], correct=False)
            result.extend(term._replace(noun=nouns[i], place=places[i], target=targets[i]) for term in resolved)
        return result

    def _phrases(self, stems: list[str]) -> Iterator[tuple[int, str | None]]:
        """The words cut into synonym phrases of several words, each as (position of its first
        word, its canonical term), and the other words one by one, as (position, None)."""
        i = 0
        while i < len(stems):
            for length in self._phrase_lengths:
                canonical = self.synonyms.get(tuple(stems[i : i + length]))
                if canonical and i + length <= len(stems):
                    yield i, canonical
                    i += length
                    break
            else:
                yield i, None
                i += 1

    def _join_particle(self, clause: str) -> str:
        """A separable verb put back together ("wählt … aus" → "auswählt") when the knowledge base
        knows the joined verb; otherwise the clause as written."""
        tokens = clause.split()
        if len(tokens) < 3 or fold_case(tokens[-1]) not in _PARTICLES:
            return clause
        particle = fold_case(tokens[-1])
        for position, token in enumerate(tokens[:-1]):
            joined = particle + fold_case(token)
            if token.isalpha() and self._known_verb(joined):
                return " ".join([*tokens[:position], joined, *tokens[position + 1 : -1]])
        return clause

    def knows(self, word: str) -> bool:
        """The knowledge base uses the word as a content word, as written: a name ("Regio") is no
        typo of "Region", and a stopword ("Jetzt") is no content."""
        term = self._known(word)
        return term is not None and term not in self.stopwords

    def _known_verb(self, word: str) -> bool:
        term = self._known(word) or self._verb_stem(self._stem(word))
        return term is not None and term not in self.stopwords

    def _known(self, word: str) -> str | None:
        """The word's term if the knowledge base (or the synonym list) knows it.

        A compound's head is often a bare stem ("Förder-quote"), so the word itself counts too.
        """
        for form in (self._stem(word), fold_umlauts(word)):
            term = self._term_of(form)
            if term:
                return term
        return None

    def _term_of(self, form: str) -> str | None:
        """The canonical term of a synonym, the form itself if the knowledge base uses it, else None."""
        return self.synonyms.get((form,)) or (form if form in self.vocabulary else None)

    def _resolve_word(self, word: str, correct: bool = True) -> tuple[Term, ...]:
        stem = self._stem(word)
        canonical = self.synonyms.get((stem,))
        if canonical:
            return (Term(canonical),)
        if stem in self.stopwords or not word.isalpha() or len(word) > _LONGEST_WORD:
            return (Term(stem),)
        parts = self._split(word)
        if parts:
            return tuple(Term(part) for part in parts)
        if stem in self.vocabulary or not correct:
            return (Term(stem),)
        inflected = self._verb_stem(stem) or self._participle(word) or self._as_participle(stem)
        if inflected:
            return (Term(inflected),)
        # A word of the German noun list is no typo of a knowledge word ("Wetter" is not "Letter").
        corrected = None if fold(word) in self._nouns else self._correct(word, stem)
        if corrected:
            return corrected
        parts = self.split_unknown(word)
        return tuple(Term(part) for part in parts) if parts else (Term(stem),)

    def _participle(self, word: str) -> str | None:
        """A past participle read as its verb when the knowledge base knows that: "abgegeben" →
        "abgeben", "eingereicht" → "einreichen", "ausgewählt" → "auswählen"."""
        folded = fold_case(word)
        for particle in ("", *(p for p in _PARTICLES if folded.startswith(p))):
            rest = folded[len(particle) :]
            if rest.startswith("ge") and len(rest) - 2 >= _MIN_VERB_STEM:
                verb = particle + rest[2:]
                term = self._known(verb) or self._verb_stem(self._stem(verb))
                if term and term not in self.stopwords:
                    return term
        return None

    def _as_participle(self, stem: str) -> str | None:
        """A verb form read as the participle the knowledge base writes: "sucht" → "gesucht",
        "prüft" → "geprüft", "reicht … ein" → "eingereicht" (the stemmer keeps the "ge-")."""
        bases = [stem, *(stem.removesuffix(e) for e in _VERB_ENDINGS if stem.endswith(e))]
        for base in bases:
            # every particle the base may start with ("zu", "zusammen"), not one picked by set order
            for particle in ("", *sorted(p for p in _PARTICLES if base.startswith(p))):
                verb = base[len(particle) :]
                if len(verb) < _MIN_VERB_STEM:
                    continue
                term = self._term_of(f"{particle}ge{verb}t")
                if term and term not in self.stopwords:
                    return term
        return None

    def _verb_stem(self, stem: str) -> str | None:
        """The stemmer keeps the -t of "wählt" and "stellt"; without it the verb may be known
        ("wahl" from "wählen"), which beats a typo guess one letter away ("zahlt")."""
        for ending in _VERB_ENDINGS:
            base = stem.removesuffix(ending)
            if base != stem and len(base) >= _MIN_VERB_STEM and base not in self.stopwords:
                known = self._term_of(base)
                if known:
                    return known
        return None

    def _correct(self, word: str, stem: str) -> tuple[Term, ...] | None:
        """A typo's terms, found by the written word ("Parnter") or by its stem ("bewerbn")."""
        folded = fold_umlauts(word)
        if len(folded) >= _MIN_SURFACE:
            match = process.extractOne(
                folded, self._surface_words, scorer=DamerauLevenshtein.distance, score_cutoff=_allowed_edits(folded)
            )
            if match:
                return tuple(term._replace(confidence=_confidence(match[1])) for term in self._surface[match[0]])
        if len(stem) >= _MIN_CORRECTABLE:
            match = process.extractOne(
                stem, self._correctable, scorer=DamerauLevenshtein.distance, score_cutoff=_allowed_edits(stem)
            )
            if match:
                corrected, edits, _ = match
                canonical = self.synonyms.get((corrected,))
                parts = [canonical] if canonical else self._split(corrected) or [corrected]
                return tuple(Term(part, _confidence(edits)) for part in parts)
        return None

    def _split(self, word: str) -> list[str] | None:
        """Split a compound into two or more known words, or None."""
        if len(word) < _MIN_COMPOUND:
            return None
        for cut in range(_MIN_PART, len(word) - _MIN_PART + 1):
            head, tail = word[:cut], word[cut:]
            head_term = self._known_part(head)
            if head_term is None:
                continue
            tail_term = self._known_part(tail)
            if tail_term is not None:
                return [head_term, tail_term]
            rest = self._split(tail)
            if rest:
                return [head_term, *rest]
        return None

    def split_unknown(self, word: str) -> list[str] | None:
        """A known head with an unknown tail ("Partner-suche"): keep both as terms.

        The tail must be a noun: otherwise a Fugen-s or a chance prefix cuts a word into false
        terms ("Nachbars-chaftsnetz", "Grunds-ätzlich", "Elektr-omeister" → company)."""
        for cut in range(len(word) - _MIN_UNKNOWN_TAIL, _MIN_PART - 1, -1):
            tail = word[cut:]
            if not lexicon.is_noun(tail, self._nouns):
                continue
            head_term = self._known_part(word[:cut])
            if head_term is not None:
                return [head_term, self._stem(tail)]
        return None

    def _known_part(self, part: str) -> str | None:
        for fuge in ("", *_FUGEN):
            if fuge and not part.endswith(fuge):
                continue
            candidate = part[: len(part) - len(fuge)] if fuge else part
            if len(candidate) < _MIN_PART:
                continue
            term = self._known(candidate)
            if term and term not in self.stopwords:
                return term
        return None
