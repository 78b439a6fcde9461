"""The Slack call an outbox entry stands for: a DM posted, or updated where it landed, or an
App Home published."""

from __future__ import annotations

from typing import Any

from bot.core.runtime import Runtime
from bot.delivery.pacing import Pacer, sending
from bot.delivery.reads import gather_home
from bot.render.home import build_home
from storage import members as member_store
from storage.enums import OutboxKind
from storage.models import Outbox


def send(
    rt: Runtime,
    entry: Outbox,
    target: tuple[str, str] | None,
    *,
    view: dict[str, Any] | None = None,
    bulk: bool = False,
) -> tuple[str | None, str | None]:
    """Where the message is now (channel, ts); (None, None) for a Home. A Home's `view` is
    rendered here from the data current now when the caller has not rendered it. Paced per
    workspace (`bot.delivery.pacing`); `bulk` sends wait for their slot."""
    payload: dict[str, Any] = entry.payload
    pacer = pacer_of(rt)
    client = rt.client_for(entry.team_id)
    if entry.kind == OutboxKind.home:
        view = view or _render_home(rt, entry)
        if view is not None:
            with sending(pacer, entry.team_id, "views.publish", bulk=bulk):
                client.views_publish(user_id=entry.user_id, view=view)
        return None, None
    if target is not None:
        channel, ts = target
        with sending(pacer, entry.team_id, "chat.update", bulk=bulk):
            client.chat_update(
                channel=channel, ts=ts, text=payload["text"], blocks=payload.get("blocks")
            )
        return channel, ts
    with sending(pacer, entry.team_id, "chat.postMessage", bulk=bulk):
        response = client.chat_postMessage(
            channel=entry.user_id, text=payload["text"], blocks=payload.get("blocks")
        )
    return response["channel"], response["ts"]


def pacer_of(rt: Runtime) -> Pacer:
    if rt.pacer is None:
        rt.pacer = Pacer(rate=rt.settings.aor_send_rate)
    pacer: Pacer = rt.pacer
    return pacer


def _render_home(rt: Runtime, entry: Outbox) -> dict[str, Any] | None:
    with rt.db.transaction() as session:
        member = member_store.get_member(
            session=session, team_id=entry.team_id, user_id=entry.user_id
        )
        return build_home(gather_home(session=session, rt=rt, member=member)) if member else None
