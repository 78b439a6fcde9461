"""What the person who acted is told, once the outbox has tried to deliver."""

from __future__ import annotations

from slack_sdk.webhook import WebhookClient

from bot.core.runtime import Runtime
from bot.core.text import mention
from bot.delivery.outbox import deliver
from bot.render.assignment import task_line, view_of
from bot.render.modals import ModalMeta
from bot.services.assignments import Outcome, approval_key
from storage import outbox as outbox_store
from storage.enums import OutboxStatus


def tell_created(rt: Runtime, outcome: Outcome) -> str:
    """Send the new request's DMs now; say honestly whether the approver has it."""
    deliver(rt, outcome.outbox_ids)
    a = outcome.assignment
    line = f"{task_line(view_of(a))} for {mention(a.rep_id)}"
    key = approval_key(a.id or 0)
    with rt.db.transaction() as session:
        landed = outbox_store.landing(session=session, team_id=a.team_id, message_key=key)
        status = outbox_store.latest_status(session=session, team_id=a.team_id, message_key=key)
    if landed is not None:
        return (
            f"Sent to {mention(a.approver_id)} for a decision: {line}. "
            "They choose: join the AOR, a one-off outside it, or decline."
        )
    if status == OutboxStatus.dead:
        return (
            f"Saved request #{a.id}: {line}, but Slack would not deliver the DM to "
            f"{mention(a.approver_id)}. They can still decide it from `/aor pending` or the "
            "bot's App Home; whoever runs the bot can see why in its logs."
        )
    return (
        f"Saved request #{a.id}: {line}. The DM to {mention(a.approver_id)} is delayed (Slack "
        "did not take it); it is queued and will be retried automatically."
    )


def tell_after_modal(rt: Runtime, *, meta: ModalMeta, user_id: str, text: str) -> None:
    """Answer where the person started: the command's response_url while it lives, else a DM."""
    if meta.response_url:
        response = WebhookClient(meta.response_url).send(
            text=text, response_type="ephemeral", replace_original=False
        )
        if response.status_code == 200:
            return
    rt.client.chat_postMessage(channel=user_id, text=text)
