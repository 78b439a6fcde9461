"""Running the installed `aor` console script as a real OS process."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def aor_executable() -> str:
    """The `aor` script next to this interpreter (the venv pytest runs in)."""
    candidate = Path(sys.executable).parent / "aor"
    found = str(candidate) if candidate.exists() else shutil.which("aor")
    if found is None:
        raise RuntimeError("the `aor` console script is not installed: pip install -e '.[dev]'")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clean_env(**values: str) -> dict[str, str]:
    """The parent's environment without any Slack or database settings, plus `values`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "AOR_"))
        and k not in ("DATABASE_URL", "LOG_LEVEL", "PROMETHEUS_MULTIPROC_DIR")
    }
    env.update(values)
    return env


def wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:  # refused, reset or timed out while the server starts
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer 200 within {timeout}s")
