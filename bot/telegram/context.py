"""What the handlers find in `application.bot_data`, each under its own key and type."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # `foerderbot health` reads bot.telegram.health without loading the engine
    from bot.config import Settings
    from bot.core import Services
    from bot.store.inbox import Inbox
    from bot.telegram.flood import FloodGuard

_SERVICES = "services"
_SETTINGS = "settings"
_FLOOD = "flood"
_INBOX = "inbox"
BotData = MutableMapping[str, Any]


def keep(bot_data: BotData, services: Services, settings: Settings, flood: FloodGuard, inbox: Inbox) -> None:
    bot_data.update({_SERVICES: services, _SETTINGS: settings, _FLOOD: flood, _INBOX: inbox})


def services(bot_data: BotData) -> Services:
    """The application core: what the bot does."""
    return bot_data[_SERVICES]


def settings(bot_data: BotData) -> Settings:
    return bot_data[_SETTINGS]


def flood(bot_data: BotData) -> FloodGuard:
    return bot_data[_FLOOD]


def inbox(bot_data: BotData) -> Inbox:
    """Every update before it is confirmed to Telegram (bot.store.inbox)."""
    return bot_data[_INBOX]
