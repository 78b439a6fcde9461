"""Starting the app's real processes for a benchmark: gunicorn serving a WSGI app, `aor
scheduler`. Each is stopped by its own handle (terminate, then kill after a grace period)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from tests.utils.process import aor_executable, clean_env, free_port, wait_healthy

ROOT = Path(__file__).resolve().parent.parent


def app_env(
    *, api_url: str, database_url: str, signing_secret: str, **extra: str
) -> dict[str, str]:
    """The environment `bot.wsgi` and `aor` read, and nothing else of ours."""
    return clean_env(
        SLACK_BOT_TOKEN="xoxb-bench-token",
        SLACK_SIGNING_SECRET=signing_secret,
        SLACK_API_URL=api_url,
        DATABASE_URL=database_url,
        **extra,
    )


@contextmanager
def gunicorn(
    target: str, env: dict[str, str], *, workers: int, threads: int, log: IO[bytes]
) -> Iterator[str]:
    """gunicorn's gthread workers serving `target` (module:app) on a free loopback port;
    yields the base URL once /healthz answers."""
    port = free_port()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            *("--worker-class", "gthread", "--workers", str(workers), "--threads", str(threads)),
            *("--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT), target),
        ],
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}/healthz", process, timeout=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def start_scheduler(
    env: dict[str, str], log: IO[bytes], *, once: bool = False
) -> subprocess.Popen[bytes]:
    command = [aor_executable(), "scheduler", *(["--once"] if once else [])]
    return subprocess.Popen(command, env=env, stdout=log, stderr=log)


def stop(process: subprocess.Popen[bytes], grace: float = 15.0) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=grace)
