"""A real health signal: every 30 s the bot asks Telegram who it is and writes down the answer.

The container's HEALTHCHECK (`foerderbot health`) and the webhook's /healthz read that file: the
bot is healthy only if its event loop is alive, Telegram answered within the last 90 seconds and,
when polling, getUpdates worked within them too. Skipped unreadable updates are named as a warning.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from babel.dates import format_timedelta
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.german import LOCALE
from bot.telegram.context import services, settings
from bot.telegram.tolerant import TolerantBot

log = logging.getLogger(__name__)
HEALTH_FILE = "health.json"
BEAT_EVERY = timedelta(seconds=30)
STALE_AFTER = timedelta(seconds=90)


def _write(data_dir: Path, status: dict) -> None:
    path = Path(data_dir) / HEALTH_FILE
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(status), encoding="utf-8")
    os.replace(temporary, path)


async def heartbeat(context: ContextTypes.DEFAULT_TYPE) -> None:
    await beat(context.bot, context.bot_data)


async def beat(bot: TolerantBot, bot_data: dict) -> None:
    """Ask Telegram who the bot is and write down the answer (also once at start: APScheduler
    skips a first run that is already due when it starts, and /healthz would wait 30 s)."""
    status = {"at": datetime.now(UTC).isoformat(), "knowledge": services(bot_data).knowledge.kb.version}
    status["unreadable"] = bot.unreadable
    if bot.polled_at:  # long polling: when getUpdates last worked
        status["polled_at"] = bot.polled_at.isoformat()
    try:
        await bot.get_me()
        status["ok"] = True
    except TelegramError as exc:
        status.update(ok=False, error=type(exc).__name__)
    _write(settings(bot_data).data_dir, status)


def farewell(data_dir: Path) -> None:
    """A stop says so: until the next start `foerderbot health` must not read "gesund" for another
    90 seconds of an old heartbeat. Written at every shutdown, also one after an error."""
    try:
        _write(data_dir, {"at": datetime.now(UTC).isoformat(), "ok": False, "stopped": True})
    except OSError as exc:  # the stop goes on: an old heartbeat turns stale within 90 s anyway
        log.warning("health: %s not written at the stop (%s)", HEALTH_FILE, exc.strerror)


def _moment(value: object) -> datetime:
    """A time the bot wrote: ISO 8601 with its offset; anything else (a hand-edited or foreign
    file) raises ValueError."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    if moment is None or moment.tzinfo is None:
        raise ValueError(value)
    return moment


def _ago(age: timedelta) -> str:
    """ "vor 95 s" while it matters to the second, then "vor 3 Stunden" (Babel)."""
    if age < timedelta(hours=1):
        return f"vor {int(age.total_seconds())} s"
    return format_timedelta(-age, add_direction=True, locale=LOCALE)


def check(data_dir: Path, now: datetime | None = None) -> tuple[bool, str]:
    """(healthy, one line why)."""
    path = Path(data_dir) / HEALTH_FILE
    try:
        status = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False, f"kein Lebenszeichen in {path}"
    try:
        at = _moment(status.get("at") if isinstance(status, dict) else None)
        polled = _moment(status["polled_at"]) if "polled_at" in status else None
    except ValueError:
        return False, f"Lebenszeichen in {path} unlesbar (kein Zeitpunkt mit Zeitzone)"
    now = now or datetime.now(UTC)
    age = now - at
    if status.get("stopped") is True:  # after SIGTERM, or after an error at the start
        return False, f"angehalten {_ago(max(age, timedelta(0)))}"
    if age > STALE_AFTER:
        return False, f"letztes Lebenszeichen {_ago(age)}"
    if age < -STALE_AFTER:  # written by a clock far ahead, or by hand: it would stay "fresh" for ever
        return False, f"Lebenszeichen in {path} liegt in der Zukunft ({at.isoformat()}): Uhr prüfen"
    if status.get("ok") is not True:
        return False, f"Telegram nicht erreichbar ({status.get('error', '?')})"
    if polled and (silent := now - polled) > STALE_AFTER:
        return False, f"zuletzt Updates abgeholt {_ago(silent)} (getUpdates schlägt fehl)"
    line = f"gesund (Wissensbasis {status.get('knowledge')}, vor {int(age.total_seconds())} s)"
    if status.get("unreadable"):
        line += f"; Warnung: {status['unreadable']} unlesbare Updates übersprungen (siehe Log)"
    return True, line
