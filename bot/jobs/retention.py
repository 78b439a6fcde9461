"""The scheduler's part in retention: an uninstalled workspace's data is purged once
AOR_RETENTION_DAYS have passed since the uninstall."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.core.runtime import Runtime
from bot.services.workspaces import purge_due

logger = logging.getLogger(__name__)


def run_retention(rt: Runtime, *, now: datetime) -> list[str]:
    """The workspaces purged this tick. A failure waits for the next tick (it is logged)."""
    try:
        return purge_due(rt, now=now)
    except Exception:
        logger.exception("retention.failed", extra={"instance": rt.instance})
        return []
