"""Does a question ask about another funding programme ("beim KfW-Programm", "Programm Digital Jetzt")?

Such questions share the call's words (Frist, Förderquote, Antrag) and would get the call's answer,
wrongly. The words for "a programme" are the knowledge base's own: the synonym group that holds the
call's short name ("Aufruf", "Programm", "Wettbewerb" …). A programme word carrying a name the
knowledge base does not know ("KfW-Programm", "Bundesprogramm go-digital") names another programme,
unless the question names the call too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from bot.engine.spelling import fold_case

_TOKEN = re.compile(r"[\w][\w.\-]*[\w]|\w")
_MIN_COMPOUND_HEAD = 6
"""A compound ending in a programme word of at least this length is one ("Bundesprogramm")."""
_NAME_WORDS = 3
"""Words read as the name after a programme word ("Programm Digital Jetzt")."""


class ProgrammeNames:
    """Tells a question about this call from one about another programme."""

    def __init__(
        self, call_names: Iterable[str], synonym_groups: Iterable[Iterable[str]], known: Callable[[str], bool]
    ) -> None:
        """`known(word)`: the knowledge base knows the word as a content word."""
        names = [fold_case(name) for name in call_names]
        self._call_names = tuple(names)
        self._call_words = frozenset(word for name in names for word in _TOKEN.findall(name))
        group = next((g for g in synonym_groups if any(fold_case(w) in names for w in g)), ())
        self._programme_words = frozenset(fold_case(word) for word in group if " " not in word)
        self._known = known

    def other_programme(self, question: str) -> bool:
        """The question names a programme by a name that is not the call's."""
        if any(name in fold_case(question) for name in self._call_names):
            return False
        tokens = _TOKEN.findall(question)
        return any(
            self._foreign_name(tokens, i) for i, token in enumerate(tokens) if self._is_programme_word(fold_case(token))
        )

    def _is_programme_word(self, token: str) -> bool:
        head = token.rsplit("-", 1)[-1]
        return head in self._programme_words or any(
            head.endswith(word) for word in self._programme_words if len(word) >= _MIN_COMPOUND_HEAD
        )

    def _foreign_name(self, tokens: list[str], position: int) -> bool:
        """A hyphenated prefix ("KfW-Programm") or the capitalised words right after
        ("Programm Digital Jetzt", "Bundesprogramm go-digital") that the knowledge base does not know."""
        name = tokens[position].split("-")[:-1]
        for token in tokens[position + 1 : position + 1 + _NAME_WORDS]:
            if not (token[0].isupper() or "-" in token or "." in token):
                break
            name.extend(part for part in re.split(r"[.\-]", token) if part)
        return any(not self._known(word) for word in name if fold_case(word) not in self._call_words)
