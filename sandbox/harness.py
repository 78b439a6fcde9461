"""The real app on a real socket, wired to a FakeSlack: for tests, benchmarks and the demo.

The one sandbox module that imports the product (bot, storage): the rest of the sandbox is a
fake Slack and knows nothing of the app it talks to, so it could serve any Slack app.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from pydantic import SecretStr

from bot.app import build_app, build_runtime
from bot.core.config import Settings
from bot.core.ids import Action
from bot.core.runtime import Runtime
from bot.jobs.scheduler import tick
from bot.web import make_http_server, make_wsgi
from sandbox.inflight import InFlight
from sandbox.server import FakeSlack
from storage import members as member_store
from storage.db import make_engine
from storage.migrate import upgrade
from storage.types import utcnow

__all__ = ["OAUTH", "Action", "RunningApp", "migrate", "run_app", "sandbox_settings"]

# The app's OAuth credentials in the sandbox (OAuth mode): Slack's side knows them too.
OAUTH = {
    "slack_client_id": "1111.2222",
    "slack_client_secret": "sandbox-client-secret",
    "slack_state_secret": "sandbox-state-secret",
}


@dataclass
class RunningApp:
    rt: Runtime
    settings: Settings
    base_url: str
    listeners: InFlight

    def wait_idle(self, timeout: float = 10.0) -> None:
        """Until every listener has finished, its deliveries after the commit included."""
        if not self.listeners.wait_idle(timeout):
            raise TimeoutError(f"the app was still busy after {timeout} s")

    @property
    def events_url(self) -> str:
        return f"{self.base_url}/slack/events"

    @property
    def install_url(self) -> str:
        return f"{self.base_url}/slack/install"

    def tick(self) -> None:
        """One scheduler tick, as `aor scheduler --once` runs it."""
        tick(self.rt)

    def plan_now(self, *, team_id: str, user_id: str) -> None:
        """Make a member's morning plan due now, whatever the day and their plan time."""
        with self.rt.db.transaction() as session:
            member = member_store.get_member(session=session, team_id=team_id, user_id=user_id)
            if member is None:
                raise LookupError(f"no member {user_id} in workspace {team_id}")
            member.next_plan_at = utcnow()
            session.add(member)


def migrate(database_url: str) -> None:
    """Bring a database to the newest schema, as `aor db upgrade` does."""
    engine = make_engine(database_url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


def sandbox_settings(
    *, fake: FakeSlack, database_url: str, signing_secret: str, oauth: bool = False, **extra: Any
) -> Settings:
    """Token mode with the sandbox's one bot token, or (`oauth`) OAuth mode with no token:
    each workspace's comes from its install."""
    if oauth:
        extra = {**OAUTH, **extra}
    return Settings(
        slack_bot_token=None if oauth else SecretStr("xoxb-sandbox-token"),
        slack_signing_secret=SecretStr(signing_secret),
        slack_api_url=fake.api_url,
        database_url=database_url,
        **extra,
    )


@contextmanager
def run_app(
    *, fake: FakeSlack, database_url: str, signing_secret: str, oauth: bool = False, **extra: Any
) -> Iterator[RunningApp]:
    """Serve `build_app` over HTTP on 127.0.0.1 (a free port) until the block ends; with
    `oauth`, in OAuth mode, the fake knowing the app's credentials and redirect URL."""
    settings = sandbox_settings(
        fake=fake, database_url=database_url, signing_secret=signing_secret, oauth=oauth, **extra
    )
    engine = make_engine(settings.database_url)
    rt = build_runtime(settings, engine)
    app = build_app(settings, engine, runtime=rt)
    listeners = InFlight(app.listener_runner.listener_executor)  # type: ignore[arg-type]
    wsgi = make_wsgi(app, rt.db, signing_secret=signing_secret)
    server = make_http_server(wsgi, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.server_port}"
    if oauth:
        fake.oauth.register_app(
            client_id=OAUTH["slack_client_id"],
            client_secret=OAUTH["slack_client_secret"],
            redirect_uri=f"{base_url}/slack/oauth_redirect",
        )
    try:
        yield RunningApp(rt=rt, settings=settings, base_url=base_url, listeners=listeners)
    finally:
        server.shutdown()
        server.server_close()
        engine.dispose()
