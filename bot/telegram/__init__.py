"""The Telegram front end: handlers and the Application; imports engine and knowledge, not the CLI."""
