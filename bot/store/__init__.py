"""SQLite storage (aiosqlite): the query log and what operators read from it. No Telegram here."""
