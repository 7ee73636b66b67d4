"""Pseudonymous user keys: an HMAC of the Telegram user id, never the id, name or username."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

SECRET_FILE = "secret"


def load_secret(data_dir: Path, configured: str | None) -> bytes:
    """FOERDERBOT_SECRET if set; else one generated on first start and kept in the data folder."""
    if configured:
        return configured.encode()
    path = Path(data_dir) / SECRET_FILE
    if path.exists():
        return path.read_text(encoding="ascii").strip().encode()
    secret = secrets.token_hex(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(secret)
    return secret.encode()


class Pseudonymizer:
    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def key(self, user_id: int) -> str:
        return hmac.new(self._secret, str(user_id).encode(), hashlib.sha256).hexdigest()[:32]

    def question_ref(self, update_id: int) -> str:
        """A question's handle in button data: unguessable, yet the same if a crash makes the bot
        handle the update again – so the query log keeps one row for it, not two."""
        return hmac.new(self._secret, f"update:{update_id}".encode(), hashlib.sha256).hexdigest()[:12]
