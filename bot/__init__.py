"""Förderbot: answers applicants' questions about a funding call, in German."""

__version__ = "0.1.0"
