"""`aor demo`'s output, word for word, against tests/golden/demo.txt: each person's view of the
whole day, reviewed line by line against STYLE "Copy" (names, not ids; no "0m"; plurals right;
the reader addressed as "you").

The demo runs in-process at a fixed moment (a Wednesday, 09:00 for Rob in Los Angeles), so the
dates are the same on every run; what still varies (the demo's folder, the minute on a slow
machine) is normalised. To accept a deliberate change of copy:
`AOR_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_demo_golden.py`, then review the diff."""

from __future__ import annotations

import io
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import time_machine

from sandbox import demo

GOLDEN = Path(__file__).parent / "golden" / "demo.txt"
MOMENT = datetime(2026, 12, 2, 17, 0, tzinfo=UTC)
# Slack ids a person must never read: users, the DM channels, files, teams.
IDS = re.compile(r"\b(?:UMARIA|UROB|D[A-Z0-9]{6,}|F[0-9A-F]{8}|T[0-9]{4})\b")


def _normalise(text: str, workdir: Path) -> str:
    text = text.replace(str(workdir), "<demo folder>")
    return re.sub(r"\b\d\d:\d\d UTC\b", "HH:MM UTC", text)


def _demo_output(workdir: Path) -> str:
    out = io.StringIO()
    with time_machine.travel(MOMENT, tick=True):
        assert demo.main(out=out, workdir=workdir) == 0
    return _normalise(out.getvalue(), workdir)


def test_the_demo_reads_as_the_golden_text(tmp_path: Path) -> None:
    shown = _demo_output(tmp_path)
    if os.environ.get("AOR_UPDATE_GOLDEN"):
        GOLDEN.write_text(shown)
    assert shown == GOLDEN.read_text()


def test_the_golden_text_keeps_the_copy_rules() -> None:
    """The rules the review applied, kept by the stored text itself."""
    text = GOLDEN.read_text()
    views = [v for v in re.split(r"\n(?=--- )", text) if v.startswith("--- ")]
    files = [v for v in views if "(a file" in v]

    assert not re.search(r"(?<![\dh])0m\b", text)  # no zero filler
    assert not re.search(r"\b1 (?:reps|items|requests|weeks)\b", text)  # plurals
    for view in views:
        body = view.split("Saved at")[0]  # file names carry ids by design, titles do not
        assert not IDS.search(body), view
    for view in views:  # each person reads "you", never their own @mention in their own view
        reader = view.split("'s ", 1)[0].removeprefix("--- ").removeprefix("only ").split()[0]
        if "App Home" in view.split("\n", 1)[0] or "DM" in view.split("\n", 1)[0]:
            assert f"@{reader} asks" not in view and f"@{reader}'s AOR" not in view, view
    assert "Decided: joined Rob (sales rep)'s AOR at second priority" in text
    assert "planned selling share" in text and "done selling share" in text
    assert "selling share *" not in text.replace("planned selling share *", "")
    assert len(files) == 2 and all("Alt text: Bar chart" in f for f in files)
