"""Per-message latency of the engine (sentence embedding included), start-up time and memory.

Run: python benchmarks/engine_latency.py [--eval ../shared/eval] [--no-synthetic]
Prints figures only; targets (README, issue 11): per message p50 <= 5 ms and p99 <= 25 ms with
every text seen for the first time (no cached embedding, no cached ranking); knowledge base load
<= 1 s with the phrasings' embeddings cached on disk, <= 5 s without; resident memory at most
150 MB above the engine without embeddings. Start-up and memory are measured in fresh processes.
numpy's BLAS uses a thread per core for `matrix @ vector`; on a busy machine they wait on each
other, so compare with `OPENBLAS_NUM_THREADS=1 python benchmarks/engine_latency.py`.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import statistics
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from bot.config import SHIPPED_KNOWLEDGE
from bot.engine import Engine
from bot.engine.answer import clean_question
from bot.engine.evaluate import load_eval_set
from bot.knowledge import TOPICS, load_knowledge

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime.fromisoformat("2017-01-20T10:00:00+01:00")
FIRST_QUESTION = "Wann ist die Bewerbungsfrist?"


def percentiles(samples_ns: list[int]) -> str:
    ordered = sorted(samples_ns)
    p50 = ordered[len(ordered) // 2] / 1e6
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] / 1e6
    return f"p50 {p50:7.3f} ms   p99 {p99:7.3f} ms   mean {statistics.fmean(ordered) / 1e6:7.3f} ms"


def time_each(function, questions: list[str], repeat: int, before_each=lambda: None) -> list[int]:
    samples = []
    for _ in range(repeat):
        for question in questions:
            before_each()
            start = time.perf_counter_ns()
            function(question)
            samples.append(time.perf_counter_ns() - start)
    return samples


def rss_mb() -> float:
    """Resident memory now (VmRSS), not the peak that getrusage reports."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def startup(cache_dir: str) -> dict[str, float]:
    """In a fresh process: load the shipped knowledge, build the engine, answer once.

    The model is loaded lazily: with the phrasings' vectors on disk, `Engine(kb)` never touches it
    and the first reply pays for loading it; without, `Engine(kb)` loads it and embeds every phrasing.
    """
    os.environ["FOERDERBOT_CACHE_DIR"] = cache_dir
    figures = {"rss_imports": rss_mb()}
    start = time.perf_counter()
    kb = load_knowledge(SHIPPED_KNOWLEDGE)
    figures["knowledge_s"] = time.perf_counter() - start
    figures["rss_knowledge"] = rss_mb()
    start = time.perf_counter()
    engine = Engine(kb)
    figures["engine_s"] = time.perf_counter() - start
    figures["rss_engine"] = rss_mb()
    start = time.perf_counter()
    engine.reply(FIRST_QUESTION, NOW)
    figures["first_reply_s"] = time.perf_counter() - start
    figures["rss_first_reply"] = rss_mb()
    figures["rss_peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def report_startup() -> None:
    spawn = multiprocessing.get_context("spawn")  # a new interpreter: nothing loaded, nothing cached
    with tempfile.TemporaryDirectory() as cache_dir, spawn.Pool(1, maxtasksperchild=1) as pool:
        cold = pool.apply(startup, (cache_dir,))
        warm = pool.apply(startup, (cache_dir,))
    print("start-up in a fresh process, shipped knowledge (seconds; RSS in MB):")
    for label, f in (("cold (no vectors on disk)", cold), ("warm (vectors cached)", warm)):
        print(
            f"  {label:26} load knowledge {f['knowledge_s']:5.2f} s + Engine(kb) {f['engine_s']:5.2f} s"
            f" = {f['knowledge_s'] + f['engine_s']:5.2f} s;  first reply {f['first_reply_s']:5.2f} s"
        )
        print(
            f"  {'':26} RSS after imports {f['rss_imports']:4.0f}, knowledge {f['rss_knowledge']:4.0f},"
            f" Engine(kb) {f['rss_engine']:4.0f}, first reply {f['rss_first_reply']:4.0f}, peak {f['rss_peak']:4.0f}"
        )
    model = warm["rss_first_reply"] - warm["rss_engine"]
    print(f"  embedding model in memory (warm: RSS after first reply - after Engine(kb)): +{model:.0f} MB")


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
                "topic": str(TOPICS[n % len(TOPICS)]),
                "questions": questions,
                "answer": "Antwort {frist_datum}.",
                "source": "https://example.org",
                "reviewed": date(2026, 11, 29),
            }
        )
    (target / "entries" / "synthetic.yaml").write_text(yaml.safe_dump(items, allow_unicode=True), encoding="utf-8")


def load_seconds(root: Path, cache_dir: Path) -> tuple[Engine, float]:
    os.environ["FOERDERBOT_CACHE_DIR"] = str(cache_dir)
    start = time.perf_counter()
    engine = Engine(load_knowledge(root))
    return engine, time.perf_counter() - start


def measure(label: str, engine: Engine, questions: list[str]) -> None:
    raw = [q.text for e in engine.kb.entries for q in e.questions]
    time_each(lambda q: engine.reply(q, NOW), questions, 1)  # load the model, warm the per-word caches

    def first_seen() -> None:  # the message's embedding, ranking and signals are computed afresh
        engine.forget_recent(embeddings=True)

    def embedding_kept() -> None:  # only the message's embedding is remembered
        engine.forget_recent(embeddings=False)

    cold = time_each(lambda q: engine.reply(q, NOW), questions, 5, first_seen)
    warm = time_each(lambda q: engine.reply(q, NOW), questions, 5, embedding_kept)
    embedding = time_each(lambda q: engine.vectors._encode(clean_question(q)), questions, 5)
    naive = time_each(lambda q: process.extractOne(q, raw, scorer=fuzz.WRatio), questions, 5)
    print(f"{label}: {len(engine.kb.entries)} entries, {len(raw)} phrasings, {len(questions)} messages x 5")
    print(f"  engine, message first seen   {percentiles(cold)}")
    print(f"  engine, embedding cached     {percentiles(warm)}")
    print(f"  of which: embedding alone    {percentiles(embedding)}")
    print(f"  naive extractOne/WRatio      {percentiles(naive)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval", help="holds dev/messages.yaml")
    parser.add_argument("--no-synthetic", action="store_true", help="skip the 1,000-entry knowledge base")
    args = parser.parse_args()
    blas = os.environ.get("OPENBLAS_NUM_THREADS", "numpy's default")
    print(f"{os.cpu_count()} cores, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}, BLAS threads: {blas}")
    report_startup()
    sets = [args.eval / "messages.yaml", args.eval / "dev.yaml", ROOT / "tests" / "data" / "messages_holdout.yaml"]
    questions = [item.question for path in sets if path.exists() for item in load_eval_set(path)]
    questions.append("Wann ist die Bewerbungsfrist? " * 160)  # a 5,000-character message

    with tempfile.TemporaryDirectory() as cache_dir:
        engine, _ = load_seconds(SHIPPED_KNOWLEDGE, Path(cache_dir))
        measure("shipped", engine, questions)
        if args.no_synthetic:
            return
        with tempfile.TemporaryDirectory() as folder:
            synthetic_knowledge(Path(folder), 1000, random.Random(21))
            _, cold = load_seconds(Path(folder), Path(cache_dir))
            big, warm = load_seconds(Path(folder), Path(cache_dir))
            print(f"synthetic 1,000-entry knowledge, load + build engine: {cold:.2f} s cold (model already")
            print(f"  in memory, every phrasing embedded), {warm:.2f} s with the vectors cached")
            measure("synthetic", big, questions)


if __name__ == "__main__":
    main()
