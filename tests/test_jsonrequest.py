"""Bot API calls go out as JSON (files as PTB's multipart), with PTB's errors on failure.

Driven through a real PTB Bot, so the test uses PTB's public API only.
"""

from __future__ import annotations

import pytest
from fake_telegram import FakeBotApi
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import NetworkError, TelegramError, TimedOut

from bot.telegram.jsonrequest import JsonRequest


@pytest.fixture
async def api_and_bot():
    api = FakeBotApi()
    await api.start()
    bot = Bot(api.token, base_url=f"{api.base_url}/bot", request=JsonRequest())
    await bot.initialize()
    try:
        yield api, bot
    finally:
        await bot.shutdown()
        await api.stop()


async def test_a_message_with_buttons_arrives_as_json_with_its_types(api_and_bot):
    api, bot = api_and_bot
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Frist ändern? 👍", callback_data="u:abc:frist")]])
    text = "<b>Frist</b>: 17. Februar 2017 – „Umbau 21“"
    result = await bot.send_message(42, text, reply_markup=keyboard)
    assert api.content_types["sendMessage"] == "application/json"
    assert result.text == text
    (sent,) = api.sent
    assert sent["chat_id"] == 42 and sent["text"] == text
    assert sent["reply_markup"] == keyboard.to_dict()


async def test_files_still_go_as_multipart(api_and_bot):
    api, bot = api_and_bot
    with pytest.raises(TelegramError):  # the stand-in has no sendDocument; only the encoding matters
        await bot.send_document(42, InputFile(b"PDF", "a.pdf"))
    assert api.content_types["sendDocument"] == "multipart/form-data"


async def test_timeouts_and_dropped_connections_raise_ptbs_errors(api_and_bot):
    api, bot = api_and_bot
    api.faults["sendMessage"] = ["slow", "drop"]
    api.slow_seconds = 1.0
    with pytest.raises(TimedOut):
        await bot.send_message(1, "a", read_timeout=0.3)
    with pytest.raises(NetworkError):
        await bot.send_message(1, "b")
    assert not api.sent


async def test_a_request_shut_down_and_initialized_again_still_sends(api_and_bot):
    api, bot = api_and_bot
    await bot.shutdown()
    await bot.initialize()
    await bot.send_message(42, "wieder da")
    assert [m["text"] for m in api.sent] == ["wieder da"]
