"""Every subcommand against what goes wrong on real machines: one clear German line, no traceback.

Each case runs the real console command as a process, the way staff and operators meet it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import SHIPPED_KNOWLEDGE
from bot.store.database import connect

REGRESSION = Path(__file__).parent / "data" / "regression.yaml"
LOADS_KNOWLEDGE = {
    "ask": ["ask", "Frist?"],
    "chat": ["chat"],
    "kb check": ["kb", "check"],
    "kb eval": ["kb", "eval", str(REGRESSION)],
    "run": ["run"],
    "run --webhook": ["run", "--webhook"],
    "report": ["report"],
    "report suggest": ["report", "suggest"],
    "reminders": ["reminders"],
}
USES_DATA = {
    "run": ["run"],
    "run --webhook": ["run", "--webhook"],
    "report": ["report"],
    "report --json": ["report", "--json"],
    "report --csv": ["report", "--csv", "{tmp}/out.csv"],
    "report --html": ["report", "--html", "{tmp}/out.html"],
    "report suggest": ["report", "suggest"],
    "reminders": ["reminders"],
}


def empty_database(folder: Path) -> Path:
    async def create() -> None:
        await (await connect(folder)).close()

    asyncio.run(create())
    return folder


def impossible_date(tmp: Path, env: dict) -> None:
    knowledge = tmp / "knowledge"
    shutil.copytree(SHIPPED_KNOWLEDGE, knowledge)
    call = knowledge / "call.yaml"
    call.write_text(call.read_text(encoding="utf-8").replace("2017-02-17", "2017-02-30", 1), encoding="utf-8")
    env["FOERDERBOT_KNOWLEDGE"] = str(knowledge)


def empty_call_file(tmp: Path, env: dict) -> None:
    knowledge = tmp / "knowledge"
    shutil.copytree(SHIPPED_KNOWLEDGE, knowledge)
    (knowledge / "call.yaml").write_text("# noch leer\n", encoding="utf-8")
    env["FOERDERBOT_KNOWLEDGE"] = str(knowledge)


def missing_knowledge(tmp: Path, env: dict) -> None:
    env["FOERDERBOT_KNOWLEDGE"] = str(tmp / "gibt-es-nicht")


def data_folder_is_a_file(tmp: Path, env: dict) -> None:
    (tmp / "datei").write_text("kein Ordner", encoding="utf-8")
    env["FOERDERBOT_DATA_DIR"] = str(tmp / "datei" / "data")


def corrupt_database(tmp: Path, env: dict) -> None:
    (Path(env["FOERDERBOT_DATA_DIR"]) / "foerderbot.sqlite3").write_bytes(b"kein SQLite" * 100)


def output_folder_missing(tmp: Path, env: dict) -> None:
    env["OUT"] = "/nonexistent/dir"


def telegram_unreachable(tmp: Path, env: dict) -> None:
    env["TELEGRAM_API_BASE_URL"] = "http://127.0.0.1:9"  # the discard port: nobody listens


CONDITIONS = {
    "impossible date": (impossible_date, LOADS_KNOWLEDGE, "2017-02-30 gibt es nicht"),
    "empty call.yaml": (empty_call_file, LOADS_KNOWLEDGE, "die Datei ist leer"),
    "missing knowledge folder": (missing_knowledge, LOADS_KNOWLEDGE, "Wissensordner nicht gefunden"),
    "data folder is a file": (data_folder_is_a_file, USES_DATA, "datei"),
    "corrupt database": (corrupt_database, USES_DATA, "keine SQLite-Datenbank oder beschädigt"),
    "output folder missing": (
        output_folder_missing,
        {k: v for k, v in USES_DATA.items() if "--csv" in v or "--html" in v},
        "/nonexistent/dir",
    ),
    "Telegram unreachable": (
        telegram_unreachable,
        {k: v for k, v in USES_DATA.items() if k.startswith("run")},
        "nach 1 Versuch aufgegeben",  # FOERDERBOT_START_ATTEMPTS=1; it said "1 Versuchen"
    ),
}
CASES = [
    pytest.param(condition, command, id=f"{condition}: {command}")
    for condition, (_, commands, _) in CONDITIONS.items()
    for command in commands
]


def run(args: list[str], env: dict, tmp: Path, *, user: str | None = None) -> subprocess.CompletedProcess:
    prefix = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"] if user is not None else []
    return subprocess.run(
        [*prefix, sys.executable, "-m", "bot", *args],
        input="Frist?\n",
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp,
    )


def base_env(tmp: Path) -> dict:
    return {
        "PATH": os.environ.get("PATH", ""),
        "FOERDERBOT_DATA_DIR": str(empty_database(tmp / "data")),
        "TELEGRAM_BOT_TOKEN": "123456:TEST-TOKEN",
        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9",
        "FOERDERBOT_START_ATTEMPTS": "1",
        "FOERDERBOT_WEBHOOK_URL": "https://bot.example.org/telegram",
        "FOERDERBOT_WEBHOOK_SECRET": "geheim",
        "FOERDERBOT_WEBHOOK_LISTEN": "127.0.0.1",
        "FOERDERBOT_WEBHOOK_PORT": "8443",
        "OUT": str(tmp),
    }


def assert_one_clear_line(result: subprocess.CompletedProcess, expected: str, *, on_stdout: bool = False) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.returncode != 0, output
    if on_stdout:  # kb check lists every problem on stdout, one per line
        assert any(": Fehler: " in line and expected in line for line in result.stdout.splitlines()), output
        return
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert lines[0].startswith("foerderbot: ") and expected in lines[0], output


@pytest.mark.parametrize(("condition", "command"), CASES)
def test_every_subcommand_fails_with_one_clear_line(condition, command, tmp_path):
    prepare, commands, expected = CONDITIONS[condition]
    env = base_env(tmp_path)
    prepare(tmp_path, env)
    args = [arg.replace("{tmp}", env["OUT"]) for arg in commands[command]]
    result = run(args, env, tmp_path)
    assert_one_clear_line(result, expected, on_stdout=command == "kb check")


def test_health_without_a_usable_data_folder_says_so(tmp_path):
    env = base_env(tmp_path)
    data_folder_is_a_file(tmp_path, env)
    result = run(["health"], env, tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.strip().startswith("kein Lebenszeichen in ")


@pytest.mark.skipif(os.geteuid() == 0 and not shutil.which("setpriv"), reason="needs setpriv to drop root")
@pytest.mark.parametrize("command", ["report", "reminders", "run"])
def test_a_data_folder_owned_by_someone_else_gives_one_line(command, shared):
    """The data folder belongs to the bot's user; an operator (here: nobody) may not touch it."""
    env = base_env(shared)
    env["FOERDERBOT_KNOWLEDGE"] = str(shutil.copytree(SHIPPED_KNOWLEDGE, shared / "knowledge"))
    data = Path(env["FOERDERBOT_DATA_DIR"])
    for path in (data, *data.iterdir()):
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    user = "65534" if os.geteuid() == 0 else None  # nobody
    if user and run(["--version"], env, shared, user=user).returncode != 0:
        pytest.skip("nobody darf den Python-Interpreter dieses Checkouts nicht ausführen")
    if user is None:
        os.chmod(data, 0o555)  # as a normal user: a folder we may not write
    result = run([command], env, shared, user=user)
    if command == "run":
        assert_one_clear_line(result, str(data))
    else:  # reading works or says in one line why not
        assert "Traceback" not in result.stdout + result.stderr
        assert result.returncode == 0 or len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.fixture
def shared() -> Iterator[Path]:
    """pytest's tmp_path is private to its owner; another user needs a folder it can enter.
    Removed afterwards, like tmp_path."""
    with tempfile.TemporaryDirectory(prefix="foerderbot-") as folder:
        os.chmod(folder, 0o755)
        yield Path(folder)
