"""The application core: what the bot does, as typed services, whatever front end asks.

Telegram handlers and the terminal (`foerderbot chat`/`ask`) call these services; the services
use the engine (answers) and the store (one database, two stores on it). Nothing here knows
Telegram.
"""

from bot.core.services import Services

__all__ = ["Services"]
