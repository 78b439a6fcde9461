"""Which modules a source file imports, read from its syntax tree (nothing is executed)."""

from __future__ import annotations

import ast
from pathlib import Path


def imported_modules(path: Path) -> set[str]:
    """Every absolute module an `import` or `from ... import` in the file names, at any depth
    (imports inside functions included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def imports_any(path: Path, packages: tuple[str, ...]) -> bool:
    """Whether the file imports any of these top-level packages or their modules."""
    return any(name.split(".")[0] in packages for name in imported_modules(path))
