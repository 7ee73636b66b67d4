"""Configuration from the environment (12-factor); every variable is listed in the README."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

_PACKAGE = Path(__file__).resolve().parent
# Installed (wheel, `pip install .`): inside the package; in a checkout: the folder staff edit.
SHIPPED_KNOWLEDGE = next(
    (folder for folder in (_PACKAGE / "shipped_knowledge", _PACKAGE.parent / "knowledge") if folder.is_dir()),
    _PACKAGE.parent / "knowledge",
)
TELEGRAM_API = "https://api.telegram.org"


class ConfigError(ValueError):
    """A missing or malformed environment variable; the message says how to fix it."""


def knowledge_dir(explicit: str | None = None, env: Mapping[str, str] = os.environ) -> Path:
    """--knowledge, else FOERDERBOT_KNOWLEDGE, else the knowledge folder shipped with the code."""
    chosen = explicit or env.get("FOERDERBOT_KNOWLEDGE")
    return Path(chosen) if chosen else SHIPPED_KNOWLEDGE


def data_dir(explicit: Path | None = None, env: Mapping[str, str] = os.environ) -> Path:
    """--data-dir, else FOERDERBOT_DATA_DIR, else ./data: where the bot keeps its state."""
    return Path(explicit) if explicit else Path(env.get("FOERDERBOT_DATA_DIR", "./data"))


@dataclass(frozen=True)
class Settings:
    """What `foerderbot run` needs; read once at start."""

    token: str
    api_base_url: str
    data_dir: Path
    knowledge: Path
    admin_ids: frozenset[int]
    send_rate: float
    flood_messages: int
    flood_window: float
    log_level: str = "INFO"
    secret: str | None = None
    retention_days: int = 180
    start_attempts: int = 10

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ, knowledge: str | None = None) -> Settings:
        token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
        if not token:
            raise ConfigError("TELEGRAM_BOT_TOKEN fehlt: den Token von @BotFather setzen (export TELEGRAM_BOT_TOKEN=…)")
        return cls(
            token=token,
            api_base_url=env.get("TELEGRAM_API_BASE_URL", TELEGRAM_API).strip().rstrip("/") or TELEGRAM_API,
            data_dir=data_dir(env=env),
            knowledge=knowledge_dir(knowledge, env),
            admin_ids=_ids(env.get("FOERDERBOT_ADMIN_IDS", "")),
            send_rate=_number(env, "FOERDERBOT_SEND_RATE", 30.0),
            flood_messages=int(_number(env, "FOERDERBOT_FLOOD_MESSAGES", 20)),
            flood_window=_number(env, "FOERDERBOT_FLOOD_WINDOW", 60.0),
            log_level=_log_level(env.get("FOERDERBOT_LOG_LEVEL", "INFO")),
            secret=env.get("FOERDERBOT_SECRET") or None,
            retention_days=int(_number(env, "FOERDERBOT_RETENTION_DAYS", 180)),
            start_attempts=max(1, int(_number(env, "FOERDERBOT_START_ATTEMPTS", 10))),
        )


_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


@dataclass(frozen=True)
class WebhookSettings:
    """What `foerderbot run --webhook` needs besides Settings."""

    url: str
    listen: str
    port: int
    secret: str

    @property
    def path(self) -> str:
        return urlsplit(self.url).path or "/"

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> WebhookSettings:
        url = env.get("FOERDERBOT_WEBHOOK_URL", "").strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(
                "FOERDERBOT_WEBHOOK_URL fehlt oder ist keine Adresse, z. B. https://bot.example.org/telegram"
            )
        secret = env.get("FOERDERBOT_WEBHOOK_SECRET", "").strip()
        if not _SECRET_TOKEN.match(secret):
            raise ConfigError("FOERDERBOT_WEBHOOK_SECRET fehlt: 1–256 Zeichen aus A–Z, a–z, 0–9, _ und -")
        port = int(_number(env, "FOERDERBOT_WEBHOOK_PORT", 8080))
        if not 0 < port < 65536:
            raise ConfigError(f"FOERDERBOT_WEBHOOK_PORT: {port} ist kein Port")
        return cls(url=url, listen=env.get("FOERDERBOT_WEBHOOK_LISTEN", "0.0.0.0").strip(), port=port, secret=secret)


def _ids(text: str) -> frozenset[int]:
    ids = set()
    for part in filter(None, (p.strip() for p in text.split(","))):
        if not part.lstrip("-").isdigit():
            raise ConfigError(f"FOERDERBOT_ADMIN_IDS: „{part}“ ist keine Telegram-ID; Zahlen mit Komma trennen")
        ids.add(int(part))
    return frozenset(ids)


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}: „{raw}“ ist keine Zahl") from None
    if value < 0:
        raise ConfigError(f"{name} darf nicht negativ sein")
    return value


def _log_level(text: str) -> str:
    level = text.strip().upper() or "INFO"
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigError(f"FOERDERBOT_LOG_LEVEL: „{text}“; erlaubt: DEBUG, INFO, WARNING, ERROR")
    return level
