"""Loading and validating the YAML knowledge base; knows nothing of matching or Telegram."""

from bot.knowledge.loader import load_knowledge, read_knowledge
from bot.knowledge.model import TOPICS, Call, Contact, Deadline, Entry, KnowledgeBase, Location
from bot.knowledge.problems import KnowledgeError, Problem, Severity

__all__ = [
    "TOPICS",
    "Call",
    "Contact",
    "Deadline",
    "Entry",
    "KnowledgeBase",
    "KnowledgeError",
    "Location",
    "Problem",
    "Severity",
    "load_knowledge",
    "read_knowledge",
]
