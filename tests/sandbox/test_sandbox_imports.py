"""The fake Slack knows nothing of the product: only sandbox/harness.py, which starts the app,
imports bot, handlers or storage (the demo and the tests reach the app through it)."""

from __future__ import annotations

import ast
from pathlib import Path

import sandbox

PRODUCT = ("bot", "handlers", "storage")
SANDBOX = Path(sandbox.__file__).parent


def _imported(path: Path) -> set[str]:
    """Every module an `import` or `from ... import` in this file names, at any depth."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_only_the_harness_imports_the_product() -> None:
    importers = {
        path.name
        for path in SANDBOX.glob("*.py")
        if any(name.split(".")[0] in PRODUCT for name in _imported(path))
    }
    assert importers == {"harness.py"}
