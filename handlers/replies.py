"""Answering the person after a modal closed: where they started, else in their DM."""

from __future__ import annotations

from slack_sdk.webhook import WebhookClient

from bot.core.runtime import Runtime
from bot.render.modals import ModalMeta
from bot.services.notices import tell


def tell_after_modal(
    rt: Runtime, *, meta: ModalMeta, team_id: str, user_id: str, text: str
) -> None:
    """Answer where the person started: the command's response_url while it lives, else a DM."""
    if meta.response_url:
        response = WebhookClient(meta.response_url).send(
            text=text, response_type="ephemeral", replace_original=False
        )
        if response.status_code == 200:
            return
    tell(rt, team_id=team_id, user_id=user_id, text=text)
