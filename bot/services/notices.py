"""Telling someone something in their DM with the bot, and refreshing their App Home: both
written to the outbox, so they leave the app the one way every message does."""

from __future__ import annotations

from bot.core.runtime import Runtime
from bot.services.members import ensure_member
from storage import outbox as outbox_store


def tell(rt: Runtime, *, team_id: str, user_id: str, text: str) -> None:
    """A plain line in the person's DM, for surfaces with no reply channel of their own
    (App Home buttons, acknowledged modals)."""
    with rt.db.transaction() as session:
        outbox_store.enqueue(
            session=session, team_id=team_id, user_id=user_id, payload={"text": text}
        )


def refresh_home(rt: Runtime, *, team_id: str, user_id: str) -> None:
    """The person opened the Home tab: make sure we know them, then show it as of now."""
    ensure_member(rt, team_id=team_id, user_id=user_id)
    with rt.db.transaction() as session:
        outbox_store.enqueue_homes(session=session, team_id=team_id, user_ids=[user_id])
