"""`aor demo`: the README's first command, run as a person would."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.utils.process import aor_executable, clean_env


def test_demo_plays_the_whole_day_and_exits_0_again_in_the_same_folder(tmp_path: Path) -> None:
    # The second run finds the first one's database in the folder and starts the day afresh.
    for _ in range(2):
        result = subprocess.run(
            [aor_executable(), "demo", "--dir", str(tmp_path)],
            env=clean_env(),
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    out = result.stdout
    for view in (
        "maria's DM from the bot",
        "rob's DM from the bot",
        "maria's App Home",
        "rob's App Home",
        "only maria sees (ephemeral)",
        "only rob sees (ephemeral)",
    ):
        assert f"--- {view}" in out, view
    assert "[ Join AOR: first priority ]" in out and "[ Decline ]" in out
    assert "joined your AOR at second priority" in out  # Rob's view
    assert "> maria types: /aor report @rob" in out  # each command, as typed
    assert "Your team's selling share" in out
    assert "declined" in out and "Marketing owns events this quarter" in out
    assert "[x] Prospecting calls" in out and "[ ] Update the landing page" in out
    assert "== Activity breakdown" in out
    assert "No sandbox violations" in out
    charts = [Path(p) for p in re.findall(r"Saved at (\S+\.png)", out)]
    assert [c.name.split("-")[0] for c in charts] == ["activity", "team"]
    for chart in charts:
        assert chart.parent == tmp_path  # nothing left behind in the system's temporary folder
        assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 5000
        assert int.from_bytes(chart.read_bytes()[16:20], "big") >= 1400  # the PNG's width
