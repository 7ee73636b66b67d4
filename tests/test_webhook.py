"""Webhook mode end to end: updates posted as Telegram posts them, replies at the stand-in server."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from contextlib import asynccontextmanager

import httpx
import pytest
from fake_telegram import FakeBotApi, eventually

from bot.clock import Clock
from bot.config import SHIPPED_KNOWLEDGE, ConfigError, Settings, WebhookSettings
from bot.telegram.app import build_application
from bot.telegram.webhook import SECRET_HEADER, serving

SECRET = "s3cr3t-token_for-tests"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def update(update_id: int, chat: int, text: str) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1,
            "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "W"},
            "text": text,
        },
    }


def bot_settings(api: FakeBotApi, tmp_path) -> Settings:
    """The bot's settings against the stand-in Bot API, sending without a rate limit."""
    return Settings(
        token=api.token, api_base_url=api.base_url, data_dir=tmp_path, knowledge=SHIPPED_KNOWLEDGE,
        admin_ids=frozenset(), send_rate=0, flood_messages=20, flood_window=60,
    )  # fmt: skip


async def test_webhook_checks_the_secret_answers_once_and_reports_health(tmp_path, engine, before):
    api = FakeBotApi()
    await api.start()
    port = free_port()
    config = WebhookSettings(url=f"http://127.0.0.1:{port}/telegram/hook", listen="127.0.0.1", port=port, secret=SECRET)
    settings = bot_settings(api, tmp_path)
    try:
        async with serving(build_application(settings, engine, Clock(before)), config) as server:
            webhook = next(params for method, params in api.calls if method == "setWebhook")
            assert webhook["url"] == config.url and webhook["secret_token"] == SECRET
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                missing = await client.post("/telegram/hook", json=update(1, 71, "Frist?"))
                wrong = await client.post("/telegram/hook", json=update(2, 71, "Frist?"), headers={SECRET_HEADER: "x"})
                assert (missing.status_code, wrong.status_code) == (403, 403)
                good = {SECRET_HEADER: SECRET}
                for _ in range(3):  # Telegram retries: the same update three times
                    assert (await client.post("/telegram/hook", json=update(3, 72, "Frist?"), headers=good)).is_success
                assert (await client.post("/telegram/hook", content=b"{kaputt", headers=good)).status_code == 400
                (reply,) = await api.replies(72)
                await asyncio.wait_for(server.application.update_queue.join(), 30)  # all handled
                assert len(api.sent_to(72)) == 1 and "17. Februar 2017" in reply["text"]
                assert not api.sent_to(71)
                # the first heartbeat runs right after start
                await eventually(lambda: (tmp_path / "health.json").exists(), "the first heartbeat was written")
                health = await client.get("/healthz")
                assert health.json()["healthy"], health.json()
    finally:
        await api.stop()


async def test_run_webhook_as_a_process_stops_cleanly(tmp_path):
    api = FakeBotApi()
    await api.start()
    port = free_port()
    env = {
        **os.environ, "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE_URL": api.base_url,
        "FOERDERBOT_DATA_DIR": str(tmp_path), "FOERDERBOT_WEBHOOK_URL": f"http://127.0.0.1:{port}/hook",
        "FOERDERBOT_WEBHOOK_LISTEN": "127.0.0.1", "FOERDERBOT_WEBHOOK_PORT": str(port),
        "FOERDERBOT_WEBHOOK_SECRET": SECRET,
    }  # fmt: skip
    with (tmp_path / "bot.log").open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--webhook", env=env, stdout=log, stderr=log
        )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(300):  # the process starts, then its first heartbeat makes /healthz 200
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            else:
                raise AssertionError("/healthz did not answer 200 within 30 s of the start")
            response = await client.post("/hook", json=update(9, 73, "Hallo"), headers={SECRET_HEADER: SECRET})
            assert response.status_code == 200
            (reply,) = await api.replies(73)
            assert reply["text"].startswith("Hallo!")
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), timeout=10) == 0
    finally:
        if process.returncode is None:
            process.kill()
        await api.stop()
    assert api.token not in (tmp_path / "bot.log").read_text()


def test_webhook_settings_are_checked():
    with pytest.raises(ConfigError, match="FOERDERBOT_WEBHOOK_URL"):
        WebhookSettings.from_env({"FOERDERBOT_WEBHOOK_SECRET": SECRET})
    with pytest.raises(ConfigError, match="FOERDERBOT_WEBHOOK_SECRET"):
        WebhookSettings.from_env(
            {"FOERDERBOT_WEBHOOK_URL": "https://bot.example.org/hook", "FOERDERBOT_WEBHOOK_SECRET": "ä"}
        )
    config = WebhookSettings.from_env(
        {"FOERDERBOT_WEBHOOK_URL": "https://bot.example.org/tg", "FOERDERBOT_WEBHOOK_SECRET": SECRET}
    )
    assert (config.listen, config.port, config.path) == ("0.0.0.0", 8080, "/tg")


@asynccontextmanager
async def webhook_bot(tmp_path, engine, before):
    """The webhook server on a free port in front of the real Application; yields (api, client)."""
    api = FakeBotApi()
    await api.start()
    port = free_port()
    config = WebhookSettings(url=f"http://127.0.0.1:{port}/hook", listen="127.0.0.1", port=port, secret=SECRET)
    settings = bot_settings(api, tmp_path)
    try:
        application = build_application(settings, engine, Clock(before))
        base_url, headers = f"http://127.0.0.1:{port}", {SECRET_HEADER: SECRET}
        async with serving(application, config), httpx.AsyncClient(base_url=base_url, headers=headers) as client:
            api.application = application
            yield api, client
    finally:
        await api.stop()


async def test_webhook_skips_an_update_it_cannot_read_with_200(tmp_path, engine, before):
    from test_faults import OLD_POLL

    async with webhook_bot(tmp_path, engine, before) as (api, client):
        unreadable = update(20, 74, "")
        unreadable["message"]["poll"] = OLD_POLL
        response = await client.post("/hook", json=unreadable)
        assert response.status_code == 200  # a 500 would only make Telegram send it again and again
        assert (await client.post("/hook", json=update(21, 74, "Frist?"))).status_code == 200
        (reply,) = await api.replies(74)
        assert "17. Februar 2017" in reply["text"]
        assert api.application.bot.unreadable == 1


async def test_webhook_refuses_odd_secrets_and_odd_json_without_500(tmp_path, engine, before):
    async with webhook_bot(tmp_path, engine, before) as (api, client):
        for odd_secret in ("ä€".encode(), b"\xff\xfe", SECRET.encode() + b"\xc3"):
            response = await client.post("/hook", json=update(30, 75, "Frist?"), headers={SECRET_HEADER: odd_secret})
            assert response.status_code == 403, odd_secret
        for body in (b'{"update_id": Infinity}', b'{"update_id": NaN}', b'{"update_id": 1e400}',
                     b'{"update_id": true}', b"[" * 100_000 + b"]" * 100_000):  # fmt: skip
            assert (await client.post("/hook", content=body)).status_code == 400, body[:30]
        assert (await client.post("/hook", json=update(31, 75, "Frist?"))).status_code == 200
        await api.replies(75)


async def _closed_by_server(reader: asyncio.StreamReader) -> bytes:
    """What the server sends before it closes the connection (it must close it in time)."""
    return await asyncio.wait_for(reader.read(), timeout=10)


async def test_webhook_closes_half_sent_requests_and_caps_connections(tmp_path, engine, before, monkeypatch):
    monkeypatch.setattr("bot.telegram.webhook.HEADER_TIMEOUT", 0.5)
    monkeypatch.setattr("bot.telegram.webhook.BODY_TIMEOUT", 0.5)
    monkeypatch.setattr("bot.telegram.webhook.MAX_CONNECTIONS", 3)
    async with webhook_bot(tmp_path, engine, before) as (_, client):
        port = int(str(client.base_url).rsplit(":", 1)[1])
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"POST /hook HTTP/1.1\r\nHost: x\r\n")  # and the rest of the headers never come
        assert await _closed_by_server(reader) == b""
        writer.close()

        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            f"POST /hook HTTP/1.1\r\nHost: x\r\n{SECRET_HEADER}: {SECRET}\r\nContent-Type: application/json\r\n"
            'Content-Length: 100\r\n\r\n{"update_id":'.encode()
        )  # and the rest of the body never comes
        status_line = await asyncio.wait_for(reader.readline(), timeout=10)
        assert status_line.startswith(b"HTTP/1.1 408")
        writer.close()

        idle = [await asyncio.open_connection("127.0.0.1", port) for _ in range(3)]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        assert await _closed_by_server(reader) == b""  # the fourth is turned away at once
        writer.close()
        for _, idle_writer in idle:
            idle_writer.close()
        for _ in range(100):  # the slots are free again once the server has seen them close
            try:
                if (await client.get("/healthz")).status_code in (200, 503):
                    break
            except httpx.TransportError:
                await asyncio.sleep(0.05)
        else:
            raise AssertionError("/healthz unreachable after the idle connections closed")


async def test_webhook_answers_an_update_once_even_across_a_restart(tmp_path, engine, before):
    async with webhook_bot(tmp_path, engine, before) as (api, client):
        assert (await client.post("/hook", json=update(40, 76, "Frist?"))).status_code == 200
        await api.replies(76)
    async with webhook_bot(tmp_path, engine, before) as (api, client):
        # Telegram did not see the 200 (say the proxy dropped it) and delivers again to the new process
        assert (await client.post("/hook", json=update(40, 76, "Frist?"))).status_code == 200
        assert (await client.post("/hook", json=update(41, 77, "Frist?"))).status_code == 200
        await api.replies(77)
        assert not api.sent_to(76)
