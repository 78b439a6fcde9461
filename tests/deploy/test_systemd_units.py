"""The systemd units in deploy/ (README "Operations"): `systemd-analyze verify` finds nothing
wrong with them, their /opt/aor paths pointed at this checkout so the commands exist."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = ("aor-migrate.service", "aor-web.service", "aor-scheduler.service")


def test_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (README says the units are then untested)")
    checkout = DEPLOY.parent
    for name in UNITS:
        text = (DEPLOY / name).read_text()
        text = text.replace("/opt/aor/.venv", str(checkout / ".venv"))
        (tmp_path / name).write_text(text.replace("/opt/aor", str(checkout)))
    result = subprocess.run(
        [analyze, "verify", *(str(tmp_path / n) for n in UNITS)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    said = (result.stdout + result.stderr).strip()
    assert result.returncode == 0 and said == "", said


def test_the_web_unit_serves_the_wsgi_app_with_metrics_across_workers() -> None:
    web = (DEPLOY / "aor-web.service").read_text()
    assert "bot.wsgi:app" in web and "PROMETHEUS_MULTIPROC_DIR=" in web
    assert "Requires=aor-migrate.service" in web
    assert "aor scheduler" in (DEPLOY / "aor-scheduler.service").read_text()
