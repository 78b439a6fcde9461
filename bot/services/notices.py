"""Telling someone something in their DM with the bot, and refreshing their App Home: both
written to the outbox, so they leave the app the one way every message does."""

from __future__ import annotations

import logging
from typing import Any

from bot.core.errors import DatabaseUnavailable
from bot.core.logs import log_event
from bot.core.runtime import Runtime
from bot.services.members import ensure_member
from storage import outbox as outbox_store

logger = logging.getLogger(__name__)


def tell(
    rt: Runtime,
    *,
    team_id: str,
    user_id: str,
    text: str,
    blocks: list[dict[str, Any]] | None = None,
) -> bool:
    """A plain line in the person's DM, for surfaces with no reply channel of their own
    (App Home buttons, acknowledged modals). Only a notice, never the change itself: with
    the database out of reach it is dropped (and logged), so the failure to say something
    is never taken for a failure of what was done. Says whether it was queued."""
    try:
        rt.transact(
            lambda session: outbox_store.enqueue(
                session=session,
                team_id=team_id,
                user_id=user_id,
                payload={"text": text, **({"blocks": blocks} if blocks else {})},
            )
        )
    except DatabaseUnavailable:
        log_event(logger, "notice.dropped", logging.WARNING, team=team_id, user=user_id)
        return False
    return True


def refresh_home(rt: Runtime, *, team_id: str, user_id: str) -> None:
    """The person opened the Home tab: make sure we know them, then show it as of now."""
    ensure_member(rt, team_id=team_id, user_id=user_id)
    rt.transact(
        lambda session: outbox_store.enqueue_homes(
            session=session, team_id=team_id, user_ids=[user_id]
        )
    )
