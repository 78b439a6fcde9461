"""What every listener and job needs, built once by the composition root."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field

from slack_sdk import WebClient

from bot.core.config import Settings
from storage.db import Database


def instance_name() -> str:
    """Names this process in claims, so a log or a row says who took the work."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class Runtime:
    settings: Settings
    db: Database
    client: WebClient
    # For the few Slack calls made before acknowledging a modal (3 s): no retries, short wait.
    quick_client: WebClient
    instance: str = field(default_factory=instance_name)

    def is_configured_admin(self, user_id: str) -> bool:
        return user_id in self.settings.admins
