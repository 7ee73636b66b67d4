"""The bot uses other libraries through their public interfaces only (README: „Fremde
Bibliotheken“), so an upgrade cannot break it behind the version pin's back."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from telegram.ext import ExtBot

from bot.telegram.tolerant import TolerantBot

PACKAGE = Path(__file__).parent.parent / "bot"
LIBRARIES = ("telegram", "aiohttp", "httpx", "apscheduler", "aiosqlite")


def imported_modules(path: Path) -> list[str]:
    modules = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.append(node.module)
    return modules


def test_no_private_module_of_another_library_is_imported():
    private = [
        f"{path.relative_to(PACKAGE.parent)}: {module}"
        for path in PACKAGE.rglob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] in LIBRARIES and any(part.startswith("_") for part in module.split(".")[1:])
    ]
    assert private == []


def test_the_tolerant_bot_overrides_no_private_method_of_ptbs_bot():
    overridden = [
        name
        for name, value in vars(TolerantBot).items()
        if inspect.isfunction(value) and name.startswith("_") and not name.startswith("__") and hasattr(ExtBot, name)
    ]
    assert overridden == []
