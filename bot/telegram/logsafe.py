"""Logging that never shows the bot token (httpx logs request URLs, which contain it)."""

from __future__ import annotations

import logging

from telegram.error import InvalidToken


class RedactToken(logging.Filter):
    """Replaces the token in every record that passes a handler."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], InvalidToken):
            return False  # its message quotes the token; `foerderbot run` reports it as one line
        if self.token:
            message = record.getMessage()
            if self.token in message:
                record.msg = message.replace(self.token, "<TOKEN>")
                record.args = None
            if record.exc_info and record.exc_info[1] is not None:
                record.exc_text = logging.Formatter().formatException(record.exc_info).replace(self.token, "<TOKEN>")
                record.exc_info = None
        return True


def configure_logging(token: str, level: str = "INFO") -> None:
    """Log to stderr; httpx's per-request lines only when debugging; the token redacted everywhere."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    if level != "DEBUG":
        logging.getLogger("httpx").setLevel(logging.WARNING)
        logging.getLogger("httpcore").setLevel(logging.WARNING)
        # APScheduler (under PTB's JobQueue) logs two INFO lines per job run: the heartbeat alone
        # would write ~5,800 lines a day
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
