"""The real app on a real socket, wired to a FakeSlack: for tests, benchmarks and the demo."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from bot.app import build_app, build_runtime
from bot.core.config import Settings
from bot.core.runtime import Runtime
from bot.web import make_http_server, make_wsgi
from sandbox.server import FakeSlack
from storage.db import make_engine


@dataclass
class RunningApp:
    rt: Runtime
    settings: Settings
    base_url: str

    @property
    def events_url(self) -> str:
        return f"{self.base_url}/slack/events"


def sandbox_settings(
    *, fake: FakeSlack, database_url: str, signing_secret: str, **extra: Any
) -> Settings:
    return Settings(
        slack_bot_token="xoxb-sandbox-token",
        slack_signing_secret=signing_secret,
        slack_api_url=fake.api_url,
        database_url=database_url,
        **extra,
    )


@contextmanager
def run_app(
    *, fake: FakeSlack, database_url: str, signing_secret: str, **extra: Any
) -> Iterator[RunningApp]:
    """Serve `build_app` over HTTP on 127.0.0.1 (a free port) until the block ends."""
    settings = sandbox_settings(
        fake=fake, database_url=database_url, signing_secret=signing_secret, **extra
    )
    engine = make_engine(settings.database_url)
    rt = build_runtime(settings, engine)
    app = build_app(settings, engine, runtime=rt)
    server = make_http_server(make_wsgi(app, rt.db), host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield RunningApp(
            rt=rt, settings=settings, base_url=f"http://127.0.0.1:{server.server_port}"
        )
    finally:
        server.shutdown()
        server.server_close()
        engine.dispose()
