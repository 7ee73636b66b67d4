"""Configuration from the environment (12-factor); every variable is listed in the README."""

from __future__ import annotations

import os
from pathlib import Path

SHIPPED_KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"


def knowledge_dir(explicit: str | None = None) -> Path:
    """--knowledge, else FOERDERBOT_KNOWLEDGE, else the knowledge folder shipped with the code."""
    chosen = explicit or os.environ.get("FOERDERBOT_KNOWLEDGE")
    return Path(chosen) if chosen else SHIPPED_KNOWLEDGE
