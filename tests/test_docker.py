"""No Docker engine runs here, so the Dockerfile is linted and its install steps are replayed.

The replay reads the Dockerfile itself (WORKDIR, ENV, COPY, RUN) and performs every Python step
in a fresh virtualenv, so a broken install – a dependency missing from pyproject.toml, a file
not copied – fails CI just as `docker build` would. OS steps (useradd, chown …) are skipped.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def docker_copy(source: Path, target: Path, *, into_directory: bool) -> None:
    """COPY's rules: a folder's contents go into the target; a file goes into it if it ends in /."""
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)
        return
    if into_directory:
        target.mkdir(parents=True, exist_ok=True)
        target = target / source.name
    shutil.copy2(source, target)


def test_dockerfile_passes_hadolint():
    result = subprocess.run(["hadolint", str(ROOT / "Dockerfile")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_has_what_operators_rely_on():
    keywords = dict(instructions())
    assert keywords["FROM"].startswith("python:3.11-slim")
    assert keywords["USER"] not in ("root", "0")
    assert "foerderbot" in keywords["HEALTHCHECK"] and "health" in keywords["HEALTHCHECK"]
    assert keywords["STOPSIGNAL"] == "SIGTERM"
    assert '"/data"' in keywords["VOLUME"]
    assert "FOERDERBOT_DATA_DIR=/data" in keywords["ENV"]


def test_dockerfile_install_steps_work_in_a_fresh_virtualenv(tmp_path):
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    binaries = environment / "bin"
    env = {**os.environ, "PATH": f"{binaries}:{os.environ['PATH']}", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PYTHONPATH", None)
    image = tmp_path / "image"  # stands for the container's file system root
    workdir = image
    for keyword, argument in instructions():
        if keyword == "WORKDIR":
            workdir = image / argument.lstrip("/")
            workdir.mkdir(parents=True, exist_ok=True)
        elif keyword == "ENV":
            for name, value in re.findall(r"(\w+)=(\S+)", argument):
                env[name] = str(image / value.lstrip("/")) if value.startswith("/") else value
        elif keyword == "COPY":
            *sources, target = shlex.split(argument)
            destination = image / target.lstrip("/") if target.startswith("/") else workdir / target
            for source in sources:
                docker_copy(ROOT / source, destination, into_directory=target.endswith("/"))
        elif keyword == "RUN":
            for step in argument.split("&&"):
                step = step.strip()
                if step.split()[0] in ("python", "pip"):
                    subprocess.run(step, shell=True, cwd=workdir, env=env, check=True, timeout=600)
    python = str(binaries / "python")
    check = subprocess.run(
        [python, "-m", "bot", "kb", "check"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert " Einträge, 0 Fehler" in check.stdout
    assert str(image / "app" / "knowledge") in check.stdout  # the image's knowledge, via FOERDERBOT_KNOWLEDGE
    health = subprocess.run(
        [str(binaries / "foerderbot"), "health"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert health.returncode == 1 and "kein Lebenszeichen" in health.stdout
    where = subprocess.run(
        [python, "-c", "import bot; print(bot.__file__)"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert str(environment) in where.stdout  # installed into the venv, not read from the source tree


def test_compose_names_its_image_rotates_logs_and_says_what_is_missing():
    import yaml

    service = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))["services"]["foerderbot"]
    assert service["image"] and service["build"] == "."
    assert service["logging"]["options"]["max-size"] and service["logging"]["options"]["max-file"]
    assert service["env_file"] == [{"path": ".env", "required": False}]  # no obscure "env file not found"
    for name in ("TELEGRAM_BOT_TOKEN", "FOERDERBOT_WEBHOOK_SECRET"):  # compose stops and names what is missing
        assert service["environment"][name].startswith("${" + name + ":?")
