"""Installs other than `pip install -e`: a wheel carries the knowledge, the noun list and tzdata."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_wheel_install_answers_without_the_source_tree_or_system_time_zones(tmp_path):
    source = tmp_path / "source"  # a clean copy: setuptools' build/ folder in the checkout may be stale
    for name in ("bot", "knowledge"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path, source],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("foerderbot-*.whl")
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = str(environment / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", wheel], check=True, timeout=300)
    # the dependencies come from this test's environment; its .pth files (the editable install
    # of the checkout) are not read from a path added this way, so `bot` is the wheel's
    site = subprocess.run(
        [python, "-c", "import site; print(site.getsitepackages()[0])"], capture_output=True, text=True
    )
    Path(site.stdout.strip(), "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {"PATH": os.environ["PATH"], "PYTHONTZPATH": ""}  # no system zoneinfo: only the tzdata package

    where = subprocess.run(
        [python, "-c", "import bot; print(bot.__file__)"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert where.stdout.startswith(str(environment)), where.stdout + where.stderr
    check = subprocess.run([python, "-m", "bot", "kb", "check"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "shipped_knowledge: " in check.stdout and " Einträge, 0 Fehler" in check.stdout
    ask = subprocess.run(
        [python, "-m", "bot", "ask", "--now", "2017-01-20T10:00:00+01:00", "bewerbungsschluss"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert "17. Februar 2017" in ask.stdout, ask.stderr


def test_the_noun_list_carries_its_license_and_the_bot_does_not_need_german_nouns():
    from bot.engine.lexicon import NOUNS_FILE, nouns

    assert {"antrag", "antrage", "foerderung".replace("oe", "o"), "frist"} <= nouns()
    notice = (NOUNS_FILE.parent / "NOUNS-LICENSE.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in notice and "Wiktionary" in notice
    dependencies = (ROOT / "pyproject.toml").read_text(encoding="utf-8").split("[project.optional-dependencies]")[0]
    assert "german-nouns" not in dependencies and "tzdata" in dependencies
