"""Per-question latency of the engine next to a naive rapidfuzz baseline, and load times.

Run: python benchmarks/engine_latency.py [--dev ../shared/eval/dev.yaml]
Prints figures only; targets (README): p99 < 1 ms on the shipped base, < 1 s to load 1,000 entries.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from bot.config import SHIPPED_KNOWLEDGE
from bot.engine import Engine
from bot.engine.evaluate import load_eval_set
from bot.knowledge import TOPICS, load_knowledge

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime.fromisoformat("2017-01-20T10:00:00+01:00")


def percentiles(samples_ns: list[int]) -> str:
    ordered = sorted(samples_ns)
    p50 = ordered[len(ordered) // 2] / 1e6
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] / 1e6
    return f"p50 {p50:7.3f} ms   p99 {p99:7.3f} ms   mean {statistics.fmean(ordered) / 1e6:7.3f} ms"


def misspell(question: str, rng: random.Random) -> str:
    """Swap two neighbouring letters in one longer word: the commonest typo."""
    words = question.split()
    long_words = [i for i, w in enumerate(words) if len(w) > 5]
    if not long_words:
        return question
    i = rng.choice(long_words)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def time_each(function, questions: list[str], repeat: int, before_each=lambda: None) -> list[int]:
    samples = []
    for _ in range(repeat):
        for question in questions:
            before_each()
            start = time.perf_counter_ns()
            function(question)
            samples.append(time.perf_counter_ns() - start)
    return samples


def synthetic_knowledge(target: Path, entries: int, rng: random.Random) -> None:
    """A knowledge folder of `entries` entries built from the shipped base's own words."""
    shipped = SHIPPED_KNOWLEDGE
    (target / "entries").mkdir(parents=True)
    (target / "call.yaml").write_text((shipped / "call.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (target / "synonyms.yaml").write_text((shipped / "synonyms.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    kb = load_knowledge(shipped)
    phrasings = [q.text for e in kb.entries for q in e.questions]
    vocabulary = sorted({w.strip("?!.,") for text in phrasings for w in text.split() if len(w) > 3})
    items = []
    for n in range(entries):
        questions = [" ".join(rng.sample(vocabulary, rng.randint(3, 7))) + "?" for _ in range(8)]
        items.append(
            {
                "id": f"eintrag-{n}",
                "topic": TOPICS[n % len(TOPICS)],
                "questions": questions,
                "answer": "Antwort {frist_datum}.",
                "source": "https://example.org",
                "reviewed": date(2026, 11, 29),
            }
        )
    (target / "entries" / "synthetic.yaml").write_text(yaml.safe_dump(items, allow_unicode=True), encoding="utf-8")


def load_seconds(root: Path) -> tuple[Engine, float]:
    start = time.perf_counter()
    engine = Engine(load_knowledge(root))
    return engine, time.perf_counter() - start


def measure(label: str, engine: Engine, questions: list[str]) -> None:
    raw = [q.text for e in engine.kb.entries for q in e.questions]
    time_each(lambda q: engine.reply(q, NOW), questions, 1)  # warm the per-word caches, as in a running bot
    forget = engine.matcher.forget_rankings  # time the matching itself, not the cache of recent rankings
    ours = time_each(lambda q: engine.reply(q, NOW), questions, 5, forget)
    naive = time_each(lambda q: process.extractOne(q, raw, scorer=fuzz.WRatio), questions, 5)
    print(f"{label}: {len(engine.kb.entries)} entries, {len(raw)} phrasings, {len(questions)} questions x 5")
    print(f"  Förderbot engine        {percentiles(ours)}")
    print(f"  naive extractOne/WRatio {percentiles(naive)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dev", type=Path, default=ROOT.parent / "shared" / "eval" / "dev.yaml")
    args = parser.parse_args()
    rng = random.Random(21)
    sets = [ROOT / "tests" / "data" / "regression.yaml", ROOT / "tests" / "data" / "holdout.yaml"]
    if args.dev.exists():
        sets.append(args.dev)
    questions = [item.question for path in sets for item in load_eval_set(path)]
    questions += [misspell(q, rng) for q in questions]
    questions.append("Wann ist die Bewerbungsfrist? " * 160)  # a 5,000-character message

    engine, seconds = load_seconds(SHIPPED_KNOWLEDGE)
    print(f"load shipped knowledge + build engine: {seconds * 1000:.0f} ms")
    measure("shipped", engine, questions)
    with tempfile.TemporaryDirectory() as folder:
        synthetic_knowledge(Path(folder), 1000, rng)
        big, seconds = load_seconds(Path(folder))
        print(f"load synthetic 1,000-entry knowledge + build engine: {seconds * 1000:.0f} ms")
        measure("synthetic", big, questions)


if __name__ == "__main__":
    main()
