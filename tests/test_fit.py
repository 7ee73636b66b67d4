"""`foerderbot kb fit`: both models from labelled sets, the thresholds from out-of-fold judgements."""

from __future__ import annotations

import runpy
from pathlib import Path

from bot.engine import fit as fitting
from bot.engine import thresholds as thresholds_module
from bot.engine.evaluate import load_eval_set

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
