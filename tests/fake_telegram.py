"""A small stand-in for the Telegram Bot API on 127.0.0.1, for end-to-end tests and benchmarks.

It speaks the real wire format, so python-telegram-bot's own HTTP stack (httpx) is exercised:
getMe, getUpdates long polling with offsets, sendMessage, editMessageText/ReplyMarkup,
answerCallbackQuery, setMyCommands, deleteWebhook … Tests push updates and read what was sent.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "Förderbot", "username": "foerder_test_bot"}
_JSON_FIELDS = {
    "chat_id", "message_id", "offset", "limit", "timeout", "reply_markup", "commands", "allowed_updates",
    "reply_parameters", "link_preview_options", "scope", "show_alert", "drop_pending_updates",
    "disable_notification", "cache_time",
}  # fmt: skip


class ApiError(Exception):
    """An error answer as Telegram gives it (403 blocked, 429 too many requests …)."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after


class FakeBotApi:
    """`rate_limit`: sendMessage calls per second before 429; `blocked`: chats that answer 403."""

    def __init__(self, token: str = "123456:TEST-token-abcdef", rate_limit: int | None = None) -> None:
        self.token = token
        self.rate_limit = rate_limit
        self.blocked: set[int] = set()
        self.too_many = 0
        self._recent_sends: list[float] = []
        self.faults: dict[str, list[str]] = {}
        """Per method, what the next calls suffer: "502"/"500" (error answers, optionally "code:description"),
        "drop" (connection cut),
        "slow" (an answer after `slow_seconds`, by default past the client's timeout)."""
        self.slow_seconds = 8.0
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.polled_with: dict[str, Any] = {}
        """The parameters of the last getUpdates call (it is not listed in `calls`)."""
        self.content_types: dict[str, str] = {}
        """Per method, how the last call's body was encoded (JSON, form, multipart)."""
        self.sent: list[dict[str, Any]] = []
        self._sent_per_chat: dict[int, int] = {}
        """Counted as messages are sent, so that polling /control/sent costs the same in every round."""
        self._duplicates = 0
        self.callback_answers: list[dict[str, Any]] = []
        self.edits: list[dict[str, Any]] = []
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 1
        self._confirmed_below = 1
        """getUpdates' last offset: the bot has fetched, and queued, every update below it."""
        self.application: Any = None
        """The Application under test, where a fixture sets it (for `settled`)."""
        self._user_messages: dict[int, dict[str, Any]] = {}
        """What users wrote, by message_id: a pressed button's message quotes the question it answers."""
        self._next_message_id = 1000
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.base_url = ""

    # --- server -------------------------------------------------------------------------
    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_post("/control/updates", self._control_push)
        app.router.add_get("/control/sent", self._control_sent)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"
        return self.base_url

    async def end_polls(self) -> None:
        """Answer pending and future getUpdates at once, so a client can stop without waiting."""
        async with self._changed:
            self._closing = True
            self._changed.notify_all()

    def resume_polls(self) -> None:
        self._closing = False

    async def stop(self) -> None:
        await self.end_polls()
        if self._runner:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        self.content_types[method] = request.content_type
        params = await self._params(request)
        fault = self.faults.get(method, []).pop(0) if self.faults.get(method) else None
        if fault == "drop":
            request.transport.close()
            return web.Response(status=500)
        if fault == "slow":  # longer than the client waits: it sees a timeout
            await asyncio.sleep(self.slow_seconds)
        if fault and fault != "slow":  # "502", or with Telegram's words: "400:Bad Request: message is not modified"
            code, _, description = fault.partition(":")
            return web.json_response(
                {"ok": False, "error_code": int(code), "description": description or "Bad Gateway"}, status=int(code)
            )
        handler = getattr(self, f"api_{method}", None)
        if handler is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        try:
            result = await handler(params)
        except ApiError as error:
            body = {"ok": False, "error_code": error.code, "description": error.description}
            if error.retry_after is not None:
                body["parameters"] = {"retry_after": error.retry_after}
            return web.json_response(body, status=error.code)
        if method != "getUpdates":
            async with self._changed:
                self.calls.append((method, params))
                self._changed.notify_all()
        return web.json_response({"ok": True, "result": result})

    async def _control_push(self, request: web.Request) -> web.Response:
        """For a driver in another process (benchmarks): queue a list of updates."""
        for update in await request.json():
            await self.push(update)
        return web.json_response({"ok": True})

    async def _control_sent(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "sent": len(self.sent),
                "chats": len(self._sent_per_chat),
                "duplicates": self._duplicates,
                "too_many": self.too_many,
            }
        )

    @staticmethod
    async def _params(request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return await request.json()
        form = await request.post() if request.can_read_body else {}
        params: dict[str, Any] = dict(request.query)
        for key, value in form.items():
            params[key] = json.loads(value) if key in _JSON_FIELDS and isinstance(value, str) else value
        for key in ("offset", "limit", "timeout", "chat_id", "message_id"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        return params

    # --- Bot API methods ----------------------------------------------------------------
    async def api_getMe(self, params: dict) -> dict:
        return BOT_USER

    async def api_deleteWebhook(self, params: dict) -> bool:
        return True

    async def api_setMyCommands(self, params: dict) -> bool:
        return True

    async def api_setWebhook(self, params: dict) -> bool:
        return True

    async def api_getUpdates(self, params: dict) -> list[dict]:
        self.polled_with = params
        offset = params.get("offset") or 0
        limit = params.get("limit") or 100
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        async with self._changed:
            if offset > self._confirmed_below:
                self._confirmed_below = offset
                self._changed.notify_all()
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and not self._closing and time.monotonic() < deadline:
                try:
                    await asyncio.wait_for(self._changed.wait(), deadline - time.monotonic())
                except TimeoutError:
                    break
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            return self._updates[:limit]

    async def api_sendMessage(self, params: dict) -> dict:
        if self.rate_limit:
            now = time.monotonic()
            self._recent_sends = [t for t in self._recent_sends if t > now - 1.0]
            if len(self._recent_sends) >= self.rate_limit:
                self.too_many += 1
                raise ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
            self._recent_sends.append(now)
        if int(params["chat_id"]) in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        message = self._bot_message(params["chat_id"], params.get("text", ""))
        self.sent.append({**params, "message_id": message["message_id"]})
        chat_id = int(params["chat_id"])
        self._sent_per_chat[chat_id] = self._sent_per_chat.get(chat_id, 0) + 1
        self._duplicates += self._sent_per_chat[chat_id] == 2
        return message

    async def api_editMessageText(self, params: dict) -> dict:
        self.edits.append(params)
        return self._bot_message(params.get("chat_id", 0), params.get("text", ""), params.get("message_id"))

    async def api_editMessageReplyMarkup(self, params: dict) -> dict:
        self.edits.append(params)
        return self._bot_message(params.get("chat_id", 0), "", params.get("message_id"))

    async def api_answerCallbackQuery(self, params: dict) -> bool:
        self.callback_answers.append(params)
        return True

    async def api_sendChatAction(self, params: dict) -> bool:
        return True

    def _bot_message(self, chat_id: int, text: str, message_id: int | None = None) -> dict:
        if message_id is None:
            self._next_message_id += 1
            message_id = self._next_message_id
        chat_type = "private" if int(chat_id) > 0 else "supergroup"
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": int(chat_id), "type": chat_type},
            "from": BOT_USER,
            "text": text,
        }

    # --- what tests use -----------------------------------------------------------------
    async def push(self, update: dict[str, Any]) -> int:
        async with self._changed:
            update_id = self._next_update_id
            self._next_update_id += 1
            self._updates.append({"update_id": update_id, **update})
            self._changed.notify_all()
        return update_id

    def user_message(
        self,
        chat_id: int,
        text: str | None = None,
        *,
        user_id: int | None = None,
        chat_type: str = "private",
        **extra: Any,
    ) -> dict[str, Any]:
        self._next_message_id += 1
        message = {
            "message_id": self._next_message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type, **({"title": "Gruppe"} if chat_type != "private" else {})},
            "from": {"id": user_id or abs(chat_id), "is_bot": False, "first_name": "Anna", "language_code": "de"},
            **extra,
        }
        self._user_messages[message["message_id"]] = message
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return message

    async def send_text(self, chat_id: int, text: str, **kwargs: Any) -> int:
        return await self.push({"message": self.user_message(chat_id, text, **kwargs)})

    async def press(self, chat_id: int, data: str | None, message_id: int = 1, *, user_id: int | None = None) -> int:
        message = self._bot_message(chat_id, "…", message_id)
        sent = next((m for m in self.sent if m["message_id"] == message_id), None)
        if sent is not None:  # as Telegram sends it: with its buttons and the question it answers
            if sent.get("reply_markup"):
                message["reply_markup"] = sent["reply_markup"]
            quoted = (sent.get("reply_parameters") or {}).get("message_id")
            if quoted in self._user_messages:
                message["reply_to_message"] = self._user_messages[quoted]
        query = {
            "id": f"cb{self._next_update_id}",
            "from": {"id": user_id or abs(chat_id), "is_bot": False, "first_name": "Anna"},
            "chat_instance": "ci",
            "message": message,
            **({"data": data} if data is not None else {}),
        }
        return await self.push({"callback_query": query})

    async def wait_until(self, condition: Callable[[], bool], timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        async with self._changed:
            while not condition():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError("the bot did not do what was expected in time")
                try:
                    await asyncio.wait_for(self._changed.wait(), remaining)
                except TimeoutError:
                    continue

    async def settled(self, timeout: float = 30.0) -> None:
        """Wait until the bot has fetched every update pushed so far and its handlers are through
        (PTB's update queue joined): what it would send for them has been sent."""
        pushed = self._next_update_id
        await self.wait_until(lambda: self._confirmed_below >= pushed, timeout)
        try:
            await asyncio.wait_for(self.application.update_queue.join(), timeout)
        except TimeoutError:
            raise AssertionError(f"the bot did not finish handling its updates within {timeout} s") from None

    def sent_to(self, chat_id: int) -> list[dict[str, Any]]:
        return [m for m in self.sent if m["chat_id"] == chat_id]

    async def replies(self, chat_id: int, count: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        await self.wait_until(lambda: len(self.sent_to(chat_id)) >= count, timeout)
        return self.sent_to(chat_id)


async def eventually(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    """Wait for a condition the stand-in server does not see (the bot's JobQueue, a file, a log)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        await asyncio.sleep(0.02)


def nothing_due(application: Any) -> bool:
    """Every job that was due has been started; stopping the application awaits it (and the tasks
    it created), so after the `running` block all it would send has been sent."""
    now = datetime.now(UTC)
    return all(job.next_t is None or job.next_t > now for job in application.job_queue.jobs())


@asynccontextmanager
async def running(application: Any, api: FakeBotApi | None = None) -> AsyncIterator[Any]:
    """A PTB Application started the way `run_polling` starts it (post_init included), then stopped."""
    from bot.telegram.app import ALLOWED_UPDATES
    from bot.telegram.lifecycle import started

    def start_polling() -> Any:
        return application.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=ALLOWED_UPDATES)

    try:
        async with started(application, start_polling):
            try:
                yield application
            finally:
                if api:
                    await api.end_polls()  # so stopping need not wait for a long poll to time out
    finally:
        if api:
            api.resume_polls()


@contextmanager
def server_process(rate_limit: int | None = None) -> Iterator[tuple[str, str]]:
    """The stand-in server in a process of its own (for benchmarks): yields (base_url, token)."""
    arguments = [str(rate_limit)] if rate_limit else []
    server = subprocess.Popen([sys.executable, __file__, *arguments], stdout=subprocess.PIPE, text=True)
    try:
        base_url, token = server.stdout.readline().split()
        yield base_url, token
    finally:
        server.terminate()
        server.wait()


async def _serve_forever() -> None:
    api = FakeBotApi(rate_limit=int(sys.argv[1]) if len(sys.argv) > 1 else None)
    print(await api.start(), api.token, flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(_serve_forever())
