"""`foerderbot kb fit`: both models from labelled sets, the thresholds from out-of-fold judgements."""

from __future__ import annotations

import argparse
import runpy
from dataclasses import replace
from pathlib import Path

from bot.cli import knowledge as knowledge_cli
from bot.engine import fit as fitting
from bot.engine import thresholds as thresholds_module
from bot.engine.decision import Weights
from bot.engine.evaluate import load_eval_set
from bot.engine.thresholds import DEFAULT

DATA = Path(__file__).parent / "data"


def test_out_of_fold_judges_every_case_by_models_that_never_saw_it(engine, before, monkeypatch):
    items = load_eval_set(DATA / "conversations_fit.yaml") + load_eval_set(DATA / "regression.yaml")[:40]
    cases = fitting.collect(engine, items, before)
    trained_on: list[set[int]] = []
    models = fitting._models

    def recording(training, thresholds):
        trained_on.append({id(case) for case in training})
        return models(training, thresholds)

    monkeypatch.setattr(fitting, "_models", recording)
    judged = fitting.out_of_fold(cases, engine.thresholds)

    assert len(trained_on) == fitting.FOLDS
    assert [case.item for case in judged] == [case.item for case in cases]
    for case in cases:  # left out of exactly one fold's training: the fold that judges it
        assert sum(id(case) not in seen for seen in trained_on) == 1
    chats: dict[object, list[int]] = {}
    for index, case in enumerate(cases):
        chats.setdefault(case.item.chat(index), []).append(id(case))
    for seen in trained_on:  # a conversation's turns are left out together
        for turns in chats.values():
            assert len({turn in seen for turn in turns}) == 1


def test_fit_picks_thresholds_from_the_grid_and_writes_them_back(engine, before, tmp_path):
    fitted = fitting.fit(engine, load_eval_set(DATA / "regression.yaml"), before)
    assert fitted.answer in fitting.GRID["answer"] and fitted.clarify <= fitted.answer
    copy = tmp_path / "thresholds.py"
    copy.write_text(Path(thresholds_module.__file__).read_text(encoding="utf-8"), encoding="utf-8")
    fitting.write_fitted(fitted, copy)
    written = runpy.run_path(str(copy))["FITTED"]
    assert written["answer"] == fitted.answer and written["second"] == fitted.second
    assert written["decision"]["coefficients"].keys() == fitted.decision.coefficients.keys()


def _fit_args() -> argparse.Namespace:
    return argparse.Namespace(
        knowledge=None,
        files=[DATA / "conversations_fit.yaml"],
        compare=[DATA / "regression.yaml"],
        now="2017-01-20T10:00:00+01:00",
        write=True,
    )


def test_fit_does_not_write_weights_that_do_worse_on_the_comparison_sets(monkeypatch, capsys):
    """Weights that are sure of everything answer every trap of regression.yaml: never written."""
    reckless = replace(DEFAULT, decision=Weights(50.0, {}))
    monkeypatch.setattr(knowledge_cli, "fit", lambda engine, items, now: reckless)
    written = []
    monkeypatch.setattr(knowledge_cli, "write_fitted", lambda thresholds, path: written.append(thresholds))

    assert knowledge_cli.run_fit(_fit_args()) == 1

    output = capsys.readouterr()
    assert written == []
    assert "nicht geschrieben" in output.err
    row = next(line for line in output.out.splitlines() if line.startswith("regression.yaml"))
    wrong_before, wrong_after = (int(n) for n in row.split()[-3::2])
    assert wrong_after > wrong_before


def test_fit_writes_weights_that_do_no_worse_on_the_comparison_sets(monkeypatch, capsys):
    monkeypatch.setattr(knowledge_cli, "fit", lambda engine, items, now: DEFAULT)
    written = []
    monkeypatch.setattr(knowledge_cli, "write_fitted", lambda thresholds, path: written.append(thresholds))

    assert knowledge_cli.run_fit(_fit_args()) == 0

    assert written == [DEFAULT]
    assert "Ziel der Anpassung" in capsys.readouterr().out


def test_fit_without_write_says_that_nothing_was_written(monkeypatch, capsys):
    monkeypatch.setattr(knowledge_cli, "fit", lambda engine, items, now: DEFAULT)
    written = []
    monkeypatch.setattr(knowledge_cli, "write_fitted", lambda thresholds, path: written.append(thresholds))
    args = _fit_args()
    args.write = False

    assert knowledge_cli.run_fit(args) == 0

    assert written == []
    assert "nicht geschrieben: mit --write übernimmt" in capsys.readouterr().out


def test_fit_without_write_does_not_promise_weights_that_do_worse(monkeypatch, capsys):
    """ "mit --write übernimmt `kb fit` diese Werte" was printed where --write would refuse them."""
    monkeypatch.setattr(knowledge_cli, "fit", lambda engine, items, now: replace(DEFAULT, decision=Weights(50.0, {})))
    args = _fit_args()
    args.write = False

    assert knowledge_cli.run_fit(args) == 0

    out = capsys.readouterr().out
    assert "nicht geschrieben: das neue Modell schneidet auf den Vergleichssätzen schlechter ab" in out
    assert "mit --write übernimmt" not in out
