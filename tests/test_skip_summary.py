"""A run without PostgreSQL says why its tests were skipped once, not once per test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REASON = "PostgreSQL tests need AOR_TEST_DATABASE_URL (CI sets it)"


def test_the_postgresql_skip_reason_is_printed_once_with_its_count(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AOR_", "PYTEST_"))}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/storage/test_schema.py",
            "-p",
            "no:cacheprovider",
            "--basetemp",
            str(tmp_path / "run"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    mentions = [line for line in result.stdout.splitlines() if REASON in line]
    assert len(mentions) == 1, result.stdout
    assert mentions[0].startswith("SKIPPED ") and " tests: " in mentions[0]
