"""The fake Slack knows nothing of the product: only sandbox/harness.py, which starts the app,
imports bot, handlers or storage (the demo and the tests reach the app through it)."""

from __future__ import annotations

from pathlib import Path

import sandbox
from tests.utils.imports import imports_any

PRODUCT = ("bot", "handlers", "storage")
SANDBOX = Path(sandbox.__file__).parent


def test_only_the_harness_imports_the_product() -> None:
    importers = {path.name for path in SANDBOX.glob("*.py") if imports_any(path, PRODUCT)}
    assert importers == {"harness.py"}
