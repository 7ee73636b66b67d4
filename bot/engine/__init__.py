"""Normalise, match and render answers; imports the knowledge layer, never Telegram."""

from bot.engine.answer import Engine, Outcome, Reply
from bot.engine.matcher import Candidate
from bot.engine.thresholds import Thresholds

__all__ = ["Candidate", "Engine", "Outcome", "Reply", "Thresholds"]
