"""Running the installed `aor` console script as a real OS process."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def gunicorn_serving(
    args: list[str], *, port: int, api_url: str, secret: str, database: Path, **env: str
) -> Iterator[str]:
    """`aor db upgrade`, then gunicorn with `args` serving bot.wsgi:app on `port` in single-
    token mode against the fake Slack at `api_url`; the base URL once /healthz answers."""
    environment = clean_env(
        SLACK_BOT_TOKEN="xoxb-gunicorn-test",
        SLACK_SIGNING_SECRET=secret,
        SLACK_API_URL=api_url,
        DATABASE_URL=f"sqlite:///{database}",
        **env,
    )
    subprocess.run([aor_executable(), "db", "upgrade"], env=environment, check=True, timeout=60)
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), *args, "bot.wsgi:app"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=15)


def scheduler_env(api_url: str, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of an `aor scheduler` process in single-token mode against the fake
    Slack at `api_url` (sending at 100/s unless `extra` says otherwise)."""
    return clean_env(
        DATABASE_URL=database_url,
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_API_URL=api_url,
        LOG_LEVEL="WARNING",
        **{"AOR_SEND_RATE": "100", **extra},
    )


def start_schedulers(env: dict[str, str], count: int = 2) -> list[subprocess.Popen[bytes]]:
    """`count` `aor scheduler` processes running side by side."""
    return [
        subprocess.Popen([aor_executable(), "scheduler"], env=env, stderr=subprocess.DEVNULL)
        for _ in range(count)
    ]
