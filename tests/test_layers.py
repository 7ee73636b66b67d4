"""Imports go one way: domain → knowledge → engine → store → core → telegram → cli.

Read from the source (nothing is imported), so a new module that reaches upwards fails here.
Imports only for type hints (`if TYPE_CHECKING:`) do not count: they create no dependency at run time.
"""

from __future__ import annotations

import ast
from pathlib import Path

import bot

LAYERS = ("domain", "knowledge", "engine", "store", "core", "telegram", "cli")
SHARED = {"clock", "config", "german", "personal"}
"""Top-level modules that import no layer: any layer may use them."""
ROOT = Path(bot.__file__).parent


def layer_of(module: str) -> str | None:
    """ "bot.store.querylog" → "store"; None for the shared modules and the package itself."""
    parts = module.split(".")
    if parts[0] != "bot" or len(parts) < 2 or parts[1] in SHARED or parts[1] == "__main__":
        return None
    return parts[1]


def run_time_imports(tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            node.body = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return found


def test_every_import_points_down_the_layers():
    upward = []
    for path in sorted(ROOT.rglob("*.py")):
        module = ".".join(("bot", *path.relative_to(ROOT).with_suffix("").parts))
        own = layer_of(module)
        for imported in run_time_imports(ast.parse(path.read_text(encoding="utf-8"))):
            target = layer_of(imported)
            if own is None and target is not None and path.stem in SHARED:
                upward.append(f"{module} (shared) imports {imported}")
            elif own in LAYERS and target in LAYERS and LAYERS.index(target) > LAYERS.index(own):
                upward.append(f"{module} imports {imported}")
    assert upward == []


def test_every_part_of_the_bot_is_a_known_layer():
    modules = {path.stem for path in ROOT.glob("*.py") if not path.stem.startswith("_")}
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    assert modules | packages == set(LAYERS) | SHARED
