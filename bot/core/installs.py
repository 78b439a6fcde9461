"""OAuth mode's stores and tokens: slack_sdk's SQLAlchemy installation and OAuth state stores
on the app's own database (tables from migration 0007), and each workspace's Web API client
built from the bot token its installation left there."""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

from bot.core.config import Settings, reveal
from storage import workspaces as store
from storage.db import Database

# What the app asks for at install; app_manifest.yml grants the same (tests/test_manifest).
BOT_SCOPES = ("commands", "chat:write", "im:write", "users:read", "files:write")
STATE_SECONDS = 600  # an install started and not finished within 10 minutes starts again

MakeClient = Callable[[str, bool], WebClient]


class NotInstalled(SlackClientError):
    """No bot token for this workspace (never installed, or uninstalled): to a caller it is
    Slack refusing the workspace, as `invalid_auth` would be."""


class SignedStateStore(SQLAlchemyOAuthStateStore):
    """slack_sdk's state store, with the state signed by SLACK_STATE_SECRET: a forged or
    altered state is refused before the database is asked."""

    def __init__(self, *, secret: str, engine: Engine) -> None:
        super().__init__(expiration_seconds=STATE_SECONDS, engine=engine)
        self._secret = secret.encode()

    def _sign(self, state: str) -> str:
        return hmac.new(self._secret, state.encode(), hashlib.sha256).hexdigest()[:32]

    def issue(self, *args: Any, **kwargs: Any) -> str:
        state = super().issue(*args, **kwargs)
        return f"{state}.{self._sign(state)}"

    def consume(self, state: str) -> bool:
        raw, _, signature = state.rpartition(".")
        if not raw or not hmac.compare_digest(signature, self._sign(raw)):
            return False
        return bool(super().consume(raw))


class Installs:
    """The installation store and a client per workspace. Tokens are read from the store at
    each use (an uninstall takes effect at once); clients are kept per token."""

    def __init__(self, *, settings: Settings, db: Database, make_client: MakeClient) -> None:
        engine = db.engine
        self.db = db
        self.installation_store = SQLAlchemyInstallationStore(
            client_id=settings.slack_client_id or "", engine=engine
        )
        self.state_store = SignedStateStore(
            secret=reveal(settings.slack_state_secret), engine=engine
        )
        self._make_client = make_client
        self._clients: dict[tuple[str, bool], WebClient] = {}
        self._lock = threading.Lock()
        self._served: set[tuple[str, str | None]] = set()

    def bot_token(self, *, team_id: str, enterprise_id: str | None) -> str | None:
        found = self.installation_store.find_bot(enterprise_id=enterprise_id, team_id=team_id)
        if found is None and enterprise_id is not None:  # an org-wide install serves its teams
            found = self.installation_store.find_bot(
                enterprise_id=enterprise_id, team_id=None, is_enterprise_install=True
            )
        return found.bot_token if found is not None else None

    def client(self, team_id: str, *, quick: bool = False) -> WebClient:
        with self.db.transaction() as session:
            enterprise_id = store.enterprise_of(session=session, team_id=team_id)
        token = self.bot_token(team_id=team_id, enterprise_id=enterprise_id)
        if not token:
            raise NotInstalled(f"the AOR bot is not installed in workspace {team_id}")
        with self._lock:
            key = (token, quick)
            if key not in self._clients:
                self._clients[key] = self._make_client(token, quick)
            return self._clients[key]

    def forget(self, *, team_id: str | None, enterprise_id: str | None, bot_only: bool) -> None:
        """Delete the tokens of an uninstalled workspace (`team_id` None: the org-wide
        install of `enterprise_id`)."""
        if bot_only:
            self.installation_store.delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        else:
            self.installation_store.delete_all(enterprise_id=enterprise_id, team_id=team_id)
        with self._lock:
            self._clients.clear()

    def noted(self, team_id: str, enterprise_id: str | None) -> bool:
        """Whether this process has already recorded that it serves the workspace."""
        with self._lock:
            return (team_id, enterprise_id) in self._served

    def remember(self, team_id: str, enterprise_id: str | None) -> None:
        with self._lock:
            self._served.add((team_id, enterprise_id))

    def unremember(self, team_ids: list[str]) -> None:
        with self._lock:
            self._served = {k for k in self._served if k[0] not in team_ids}
