"""Before the bot starts: its database opens and Telegram answers – else one line says why.

A Telegram outage at start is waited out with growing pauses (each one logged in one line);
only after FOERDERBOT_START_ATTEMPTS failed attempts does `run` give up.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot
from telegram.error import InvalidToken, NetworkError, RetryAfter

from bot.config import Settings
from bot.german import counted
from bot.store.database import connect

log = logging.getLogger(__name__)
MAX_PAUSE = 60.0
TOKEN_REJECTED = "Telegram lehnt den Token ab: TELEGRAM_BOT_TOKEN prüfen (von @BotFather)"


class StartError(Exception):
    """The bot cannot start; the message says why and what to do."""


async def check_database(settings: Settings) -> None:
    connection = await connect(settings.data_dir)
    await connection.close()


async def wait_for_telegram(settings: Settings, attempts: int, first_pause: float = 1.0) -> None:
    """Returns once Telegram answers getMe; retries network failures with backoff."""
    pause = first_pause
    for attempt in range(1, attempts + 1):
        try:
            async with Bot(settings.token, base_url=f"{settings.api_base_url}/bot"):
                return  # entering calls getMe
        except InvalidToken:
            raise StartError(TOKEN_REJECTED) from None  # never PTB's text: it quotes the token
        except (NetworkError, RetryAfter) as exc:
            reason = f"{type(exc).__name__}: {exc}"
            if attempt == attempts:
                raise StartError(
                    f"Telegram unter {settings.api_base_url} nicht erreichbar ({reason}); "
                    f"nach {counted(attempts, 'Versuch', 'Versuchen')} aufgegeben – "
                    "Netz und TELEGRAM_API_BASE_URL prüfen"
                ) from None
            next_try = f"neuer Versuch {attempt + 1} von {attempts} in {pause:.0f} s"
            log.warning("Telegram nicht erreichbar (%s): %s", reason, next_try)
            await asyncio.sleep(pause)
            pause = min(pause * 2, MAX_PAUSE)
    raise StartError("FOERDERBOT_START_ATTEMPTS muss mindestens 1 sein")
