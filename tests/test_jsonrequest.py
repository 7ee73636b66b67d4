"""Bot API calls go out as JSON (files as PTB's multipart), with PTB's errors on failure."""

from __future__ import annotations

import pytest
from fake_telegram import FakeBotApi
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.telegram.jsonrequest import JsonRequest


@pytest.fixture
async def api_and_request():
    api = FakeBotApi()
    await api.start()
    request = JsonRequest()
    await request.initialize()
    try:
        yield api, request
    finally:
        await request.shutdown()
        await api.stop()


def call(api: FakeBotApi, method: str) -> str:
    return f"{api.base_url}/bot{api.token}/{method}"


def data(**parameters) -> RequestData:
    return RequestData([RequestParameter.from_input(name, value) for name, value in parameters.items()])


async def test_a_message_with_buttons_arrives_as_json_with_its_types(api_and_request):
    api, request = api_and_request
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Frist ändern? 👍", callback_data="u:abc:frist")]])
    text = "<b>Frist</b>: 17. Februar 2017 – „Umbau 21“"
    result = await request.post(call(api, "sendMessage"), data(chat_id=42, text=text, reply_markup=keyboard))
    assert api.content_types["sendMessage"] == "application/json"
    assert result["text"] == text
    (sent,) = api.sent
    assert sent["chat_id"] == 42 and sent["text"] == text
    assert sent["reply_markup"] == keyboard.to_dict()


async def test_files_still_go_as_multipart(api_and_request):
    api, request = api_and_request
    with pytest.raises(TelegramError):  # the stand-in has no sendDocument; only the encoding matters
        await request.post(call(api, "sendDocument"), data(chat_id=42, document=InputFile(b"PDF", "a.pdf")))
    assert api.content_types["sendDocument"] == "multipart/form-data"


async def test_timeouts_and_dropped_connections_raise_ptbs_errors(api_and_request):
    api, request = api_and_request
    api.faults["sendMessage"] = ["slow", "drop"]
    api.slow_seconds = 1.0
    with pytest.raises(TimedOut):
        await request.post(call(api, "sendMessage"), data(chat_id=1, text="a"), read_timeout=0.3)
    with pytest.raises(NetworkError):
        await request.post(call(api, "sendMessage"), data(chat_id=1, text="b"))
    assert not api.sent
