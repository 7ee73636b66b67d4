"""`foerderbot run` as a real process against the stand-in server: start, answer, log, stop."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

import pytest
from fake_telegram import FakeBotApi

from bot.telegram.health import check


async def start_bot(
    api: FakeBotApi, tmp_path, *args: str, level: str = "DEBUG", **extra_env: str
) -> asyncio.subprocess.Process:
    """The bot as a process; its log goes to tmp_path/bot.log (a pipe nobody reads would fill up)."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "FOERDERBOT_DATA_DIR": str(tmp_path / "data"),
        "FOERDERBOT_LOG_LEVEL": level,
        **extra_env,
    }
    with (tmp_path / "bot.log").open("wb") as log:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", *args, env=env, stdout=log, stderr=asyncio.subprocess.STDOUT
        )


async def file_appears(path, timeout: float = 30.0) -> None:
    """Wait until the bot has written `path` (it writes outside the Bot API, so poll the disk)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not path.exists():
        assert loop.time() < deadline, f"{path} was not written within {timeout} s"
        await asyncio.sleep(0.05)


async def test_run_answers_logs_without_token_and_stops_on_sigterm(tmp_path):
    api = FakeBotApi()
    await api.start()
    process = await start_bot(api, tmp_path, "--now", "2017-02-14T10:00:00+01:00")
    try:
        await api.send_text(55, "Wie viele Tage bleiben noch?")
        (reply,) = await api.replies(55, timeout=30)
        assert "noch 3 Tage" in reply["text"]  # the --now clock drives the answers
        assert set(api.polled_with["allowed_updates"]) == {"message", "callback_query", "my_chat_member"}
        await file_appears(tmp_path / "data" / "health.json")  # the first heartbeat
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), timeout=5)
    finally:
        if process.returncode is None:
            process.kill()
        await api.stop()
    output = (tmp_path / "bot.log").read_text()
    assert process.returncode == 0, output
    assert api.token not in output
    assert api.token.split(":")[1] not in output
    assert "<TOKEN>" in output  # httpx's request lines were logged, and redacted
    data = tmp_path / "data"
    assert data.is_dir() and oct(data.stat().st_mode)[-3:] == "700"
    written = [path for path in data.rglob("*") if path.is_file()]
    assert {path.name for path in written} >= {"foerderbot.sqlite3", "secret", "health.json"}
    healthy, line = check(data)  # a clean stop is no longer "gesund" for the next 90 seconds
    assert not healthy and line.startswith("angehalten vor ") and line.endswith(" s")
    for path in written:  # nothing the bot wrote holds the token, and nobody else may read it
        assert api.token.encode() not in path.read_bytes(), path
        assert oct(path.stat().st_mode)[-3:] == "600", path


async def test_run_without_token_says_what_to_do(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    _, err = await process.communicate()
    assert process.returncode == 2
    assert err.decode().strip().startswith("foerderbot: TELEGRAM_BOT_TOKEN fehlt")
    assert "Traceback" not in err.decode()


async def _run_until_it_ends(tmp_path, api: FakeBotApi, *args: str, **env: str) -> tuple[int, str]:
    process = await start_bot(api, tmp_path, *args, **env)
    try:
        await asyncio.wait_for(process.wait(), timeout=30)
    finally:
        if process.returncode is None:
            process.kill()
    return process.returncode, (tmp_path / "bot.log").read_text()


@pytest.mark.parametrize("status", ["401", "404"])
@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_a_rejected_token_ends_with_one_german_line_and_is_never_shown(tmp_path, status, mode):
    api = FakeBotApi()
    await api.start()
    api.faults["getMe"] = [status]  # Telegram: 401 for a revoked token, 404 for a malformed one
    webhook = {
        "FOERDERBOT_WEBHOOK_URL": "https://bot.example.org/telegram",
        "FOERDERBOT_WEBHOOK_SECRET": "s3cret",
        "FOERDERBOT_WEBHOOK_PORT": "18443",  # never opened: getMe fails first
    }
    try:
        if mode == "webhook":
            code, output = await _run_until_it_ends(tmp_path, api, "--webhook", **webhook)
        else:
            code, output = await _run_until_it_ends(tmp_path, api)
    finally:
        await api.stop()
    assert code == 2, output
    assert api.token not in output and api.token.split(":")[1] not in output
    assert "Traceback" not in output
    assert output.strip().splitlines()[-1].startswith("foerderbot: Telegram lehnt den Token ab")


async def test_an_unusable_data_dir_ends_with_one_line(tmp_path):
    api = FakeBotApi()
    await api.start()
    (tmp_path / "data").write_text("keine Ordner")  # FOERDERBOT_DATA_DIR names a file
    try:
        code, output = await _run_until_it_ends(tmp_path, api)
    finally:
        await api.stop()
    assert code == 2, output
    assert "Traceback" not in output
    assert output.strip().splitlines()[-1].startswith("foerderbot: Datenordner")


async def test_run_waits_out_a_telegram_outage_at_start_with_growing_pauses(tmp_path):
    api = FakeBotApi()
    await api.start()
    api.faults["getMe"] = ["502", "502"]
    process = await start_bot(api, tmp_path, level="INFO")
    try:
        await api.send_text(56, "Frist?")
        (reply,) = await api.replies(56, timeout=30)
        assert "17. Februar 2017" in reply["text"]
        await file_appears(tmp_path / "data" / "health.json")  # the heartbeat job ran
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), timeout=10)
    finally:
        if process.returncode is None:
            process.kill()
        await api.stop()
    output = (tmp_path / "bot.log").read_text()
    assert "Traceback" not in output
    retries = [line for line in output.splitlines() if "Telegram nicht erreichbar" in line]
    assert len(retries) == 2, output
    assert "neuer Versuch 2 von 10 in 1 s" in retries[0] and "neuer Versuch 3 von 10 in 2 s" in retries[1]
    assert "apscheduler" not in output  # no INFO lines per job run (~5,800 a day for the heartbeat)


async def test_run_with_a_token_telegram_refuses_stops_at_once_with_one_line(tmp_path):
    api = FakeBotApi()
    await api.start()
    api.faults["getMe"] = ["401"]
    try:
        process = await start_bot(api, tmp_path, level="INFO")
        await asyncio.wait_for(process.wait(), timeout=30)
    finally:
        await api.stop()
    output = (tmp_path / "bot.log").read_text()
    assert process.returncode == 2
    assert output.strip() == "foerderbot: Telegram lehnt den Token ab: TELEGRAM_BOT_TOKEN prüfen (von @BotFather)"
